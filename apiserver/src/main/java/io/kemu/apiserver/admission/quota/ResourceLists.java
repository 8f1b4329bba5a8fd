package io.kemu.apiserver.admission.quota;

import io.fabric8.kubernetes.api.model.Quantity;
import io.kemu.apiserver.validation.GoQuantity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The ResourceList arithmetic of k8s.io/apiserver/pkg/quota/v1/resources.go (Add, Subtract, Mask, LessThanOrEqual,
 * IsNegative, RemoveZeros) over sorted maps of {@link GoQuantity}, so that results print as kube prints them.
 */
public final class ResourceLists {
  private ResourceLists() {}

  /** resource.Quantity{Format: DecimalSI}: the zero every usage starts from. */
  public static final GoQuantity ZERO = GoQuantity.parse("0");

  public static GoQuantity of(long v) {
    return GoQuantity.parse(Long.toString(v));
  }

  /** The quantities of a fabric8 ResourceList (malformed ones are left out: validation rejected them already). */
  public static Map<String, GoQuantity> parse(Map<String, Quantity> list) {
    Map<String, GoQuantity> out = new TreeMap<>();
    if (list != null) {
      list.forEach((k, v) -> {
        GoQuantity q = GoQuantity.tryParse(GoQuantity.text(v));
        if (q != null) {
          out.put(k, q);
        }
      });
    }
    return out;
  }

  /** A fabric8 ResourceList with each quantity in its canonical form. */
  public static Map<String, Quantity> toFabric8(Map<String, GoQuantity> list) {
    Map<String, Quantity> out = new LinkedHashMap<>();
    list.forEach((k, v) -> out.put(k, v.toFabric8()));
    return out;
  }

  /** quota.Add: the sum, with keys of either. */
  public static Map<String, GoQuantity> add(Map<String, GoQuantity> a, Map<String, GoQuantity> b) {
    Map<String, GoQuantity> out = new TreeMap<>(a);
    b.forEach((k, v) -> out.merge(k, v, GoQuantity::add));
    return out;
  }

  /** quota.SubtractWithNonNegativeResult */
  public static Map<String, GoQuantity> subtractNonNegative(Map<String, GoQuantity> a, Map<String, GoQuantity> b) {
    Map<String, GoQuantity> out = new TreeMap<>();
    a.forEach((k, v) -> {
      GoQuantity other = b.get(k);
      GoQuantity r = other == null ? v : v.add(negate(other));
      out.put(k, r.value().signum() < 0 ? ZERO : r);
    });
    b.forEach((k, v) -> out.putIfAbsent(k, ZERO));
    return out;
  }

  private static GoQuantity negate(GoQuantity q) {
    return GoQuantity.parse(q.value().negate().toPlainString());
  }

  /** quota.Mask: only the named keys. */
  public static Map<String, GoQuantity> mask(Map<String, GoQuantity> list, Collection<String> names) {
    Map<String, GoQuantity> out = new TreeMap<>();
    for (String n : names) {
      GoQuantity v = list.get(n);
      if (v != null) {
        out.put(n, v);
      }
    }
    return out;
  }

  /** quota.LessThanOrEqual: the keys of a whose value exceeds b's (keys b lacks are not limited). */
  public static List<String> exceeded(Map<String, GoQuantity> a, Map<String, GoQuantity> b) {
    List<String> out = new ArrayList<>();
    a.forEach((k, v) -> {
      GoQuantity limit = b.get(k);
      if (limit != null && v.compareTo(limit) > 0) {
        out.add(k);
      }
    });
    return out;
  }

  /** quota.IsNegative */
  public static List<String> negative(Map<String, GoQuantity> list) {
    List<String> out = new ArrayList<>();
    list.forEach((k, v) -> {
      if (v.value().signum() < 0) {
        out.add(k);
      }
    });
    return out;
  }

  /** quota.RemoveZeros */
  public static Map<String, GoQuantity> removeZeros(Map<String, GoQuantity> list) {
    Map<String, GoQuantity> out = new TreeMap<>();
    list.forEach((k, v) -> {
      if (!v.isZero()) {
        out.put(k, v);
      }
    });
    return out;
  }

  /** quota.Equals */
  public static boolean equal(Map<String, GoQuantity> a, Map<String, GoQuantity> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (Map.Entry<String, GoQuantity> e : a.entrySet()) {
      if (e.getValue().compareTo(b.get(e.getKey())) != 0) {
        return false;
      }
    }
    return true;
  }

  /** prettyPrint: {@code k=v,k=v} in key order. */
  public static String prettyPrint(Map<String, GoQuantity> list) {
    List<String> parts = new ArrayList<>();
    new TreeMap<>(list).forEach((k, v) -> parts.add(k + "=" + v));
    return String.join(",", parts);
  }

  /** prettyPrintResourceNames */
  public static String prettyPrintNames(Collection<String> names) {
    return String.join(",", new TreeSet<>(names));
  }

  public static Set<String> names(Map<String, GoQuantity> list) {
    return new TreeSet<>(list.keySet());
  }
}
