package io.kemu.api.selectors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A field selector as k8s.io/apimachinery/pkg/fields parses it: {@code a=b}, {@code a==b}, {@code a!=b},
 * comma-separated, all required. Which fields a resource supports is the server's business.
 */
public final class FieldSelector {
  public record Requirement(String field, boolean equals, String value) {
    public boolean matches(Map<String, String> fields) {
      String v = fields.getOrDefault(field, "");
      return equals == v.equals(value);
    }
  }

  public static final FieldSelector EVERYTHING = new FieldSelector(List.of());

  private final List<Requirement> requirements;

  private FieldSelector(List<Requirement> requirements) {
    this.requirements = requirements;
  }

  public List<Requirement> requirements() {
    return requirements;
  }

  public boolean isEmpty() {
    return requirements.isEmpty();
  }

  public boolean matches(Map<String, String> fields) {
    for (Requirement r : requirements) {
      if (!r.matches(fields)) {
        return false;
      }
    }
    return true;
  }

  /** The value a selector requires for a field with '=', if any (e.g. metadata.name or spec.nodeName). */
  public String requiredValue(String field) {
    for (Requirement r : requirements) {
      if (r.equals() && r.field().equals(field)) {
        return r.value();
      }
    }
    return null;
  }

  public static FieldSelector parse(String s) {
    if (s == null || s.isBlank()) {
      return EVERYTHING;
    }
    List<Requirement> out = new ArrayList<>();
    for (String term : splitTerms(s)) {
      if (term.isEmpty()) {
        continue;
      }
      int ne = term.indexOf("!=");
      int eqeq = term.indexOf("==");
      int eq = term.indexOf('=');
      if (ne >= 0) {
        out.add(new Requirement(unescape(term.substring(0, ne)), false, unescape(term.substring(ne + 2))));
      } else if (eqeq >= 0) {
        out.add(new Requirement(unescape(term.substring(0, eqeq)), true, unescape(term.substring(eqeq + 2))));
      } else if (eq >= 0) {
        out.add(new Requirement(unescape(term.substring(0, eq)), true, unescape(term.substring(eq + 1))));
      } else {
        throw new SelectorParseException("invalid selector: '" + s + "'; can't understand '" + term + "'");
      }
    }
    return new FieldSelector(out);
  }

  public static FieldSelector equal(String field, String value) {
    return new FieldSelector(List.of(new Requirement(field, true, value)));
  }

  /** fields.splitTerms: commas split terms unless escaped with a backslash. */
  private static List<String> splitTerms(String s) {
    List<String> terms = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean escaped = false;
    for (char c : s.toCharArray()) {
      if (escaped) {
        cur.append('\\').append(c);
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == ',') {
        terms.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    terms.add(cur.toString());
    return terms;
  }

  private static String unescape(String s) {
    return s.replace("\\,", ",").replace("\\=", "=").replace("\\\\", "\\");
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    requirements.forEach(r -> parts.add(r.field() + (r.equals() ? "=" : "!=") + r.value()));
    return String.join(",", parts);
  }
}
