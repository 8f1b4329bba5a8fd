package io.kemu.apiserver.admission.plugins;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeItem;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.kemu.api.Resources;
import io.kemu.apiserver.admission.AdmissionAttributes;
import io.kemu.apiserver.admission.AdmissionAttributes.Operation;
import io.kemu.apiserver.admission.AdmissionPlugin;
import io.kemu.apiserver.validation.GoQuantity;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * plugin/pkg/admission/limitranger (kube 1.32): on pod creation, the defaults of the namespace's LimitRanges fill
 * the containers' unset requests and limits (Admit, annotating the pod with {@code kubernetes.io/limit-ranger}), then
 * every Container and Pod item's min, max and maxLimitRequestRatio is enforced (Validate). Pod updates are not
 * checked (containers' resources are immutable). LimitRanges come from the watch cache; when it has none for the
 * namespace a live list is made and remembered for 30 s, as upstream's liveLookupCache does.
 */
public final class LimitRanger implements AdmissionPlugin {
  static final String ANNOTATION = "kubernetes.io/limit-ranger";
  static final Duration LIVE_TTL = Duration.ofSeconds(30);
  /** resource.MaxMilliValue */
  static final BigInteger MAX_MILLI_VALUE = BigInteger.valueOf(Long.MAX_VALUE / 1000);

  private record LiveEntry(Instant expiry, List<LimitRange> items) {}

  private final Function<String, List<LimitRange>> cached;
  private final Function<String, CompletionStage<List<LimitRange>>> live;
  private final Clock clock;
  private final Map<String, LiveEntry> liveLookups = new ConcurrentHashMap<>();

  /**
   * @param cached the namespace's LimitRanges in the watch cache
   * @param live   a list of the namespace's LimitRanges from the store
   */
  public LimitRanger(Function<String, List<LimitRange>> cached,
                     Function<String, CompletionStage<List<LimitRange>>> live, Clock clock) {
    this.cached = cached;
    this.live = live;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "LimitRanger";
  }

  @Override
  public CompletionStage<Void> admit(AdmissionAttributes a) {
    if (!supports(a)) {
      return CompletableFuture.completedFuture(null);
    }
    return limitRanges(a).thenAccept(items -> {
      for (LimitRange lr : items) {
        podMutateLimitFunc(lr, (Pod) a.object());
      }
    });
  }

  @Override
  public CompletionStage<Void> validate(AdmissionAttributes a) {
    if (!supports(a)) {
      return CompletableFuture.completedFuture(null);
    }
    return limitRanges(a).thenAccept(items -> {
      for (LimitRange lr : items) {
        String err = podValidateLimitFunc(lr, (Pod) a.object());
        if (err != null) {
          throw a.forbidden(err);
        }
      }
    });
  }

  /** SupportsAttributes (pods only: kemu serves no PersistentVolumeClaims), and runLimitFunc's deletion skip. */
  private static boolean supports(AdmissionAttributes a) {
    if (!a.isMainResource() || a.type() != Resources.PODS || !(a.object() instanceof Pod)) {
      return false;
    }
    if (a.operation() != Operation.CREATE) {
      return false; // Handler(Create, Update), and pod updates are skipped
    }
    return a.oldObject() == null || a.oldObject().getMetadata() == null
        || a.oldObject().getMetadata().getDeletionTimestamp() == null;
  }

  /** GetLimitRanges */
  private CompletionStage<List<LimitRange>> limitRanges(AdmissionAttributes a) {
    List<LimitRange> items = cached.apply(a.namespace());
    if (!items.isEmpty()) {
      return CompletableFuture.completedFuture(items);
    }
    LiveEntry e = liveLookups.get(a.namespace());
    Instant now = clock.instant();
    if (e != null && !e.expiry().isBefore(now)) {
      return CompletableFuture.completedFuture(e.items());
    }
    return live.apply(a.namespace()).handle((list, err) -> {
      if (err != null) {
        Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
            ? err.getCause() : err;
        throw a.forbidden(String.valueOf(cause.getMessage()));
      }
      liveLookups.put(a.namespace(), new LiveEntry(now.plus(LIVE_TTL), List.copyOf(list)));
      return list;
    });
  }

  // ------------------------------------------------------------------ defaults (Admit)

  /** PodMutateLimitFunc: defaultContainerResourceRequirements + mergePodResourceRequirements */
  static void podMutateLimitFunc(LimitRange lr, Pod pod) {
    Map<String, Quantity> defaultRequests = new TreeMap<>();
    Map<String, Quantity> defaultLimits = new TreeMap<>();
    for (LimitRangeItem item : items(lr)) {
      if ("Container".equals(item.getType())) {
        if (item.getDefaultRequest() != null) {
          item.getDefaultRequest().forEach((k, v) -> defaultRequests.put(k, new Quantity(GoQuantity.text(v))));
        }
        if (item.getDefault() != null) {
          item.getDefault().forEach((k, v) -> defaultLimits.put(k, new Quantity(GoQuantity.text(v))));
        }
      }
    }
    List<String> annotations = new ArrayList<>();
    if (pod.getSpec().getContainers() != null) {
      for (Container c : pod.getSpec().getContainers()) {
        mergeContainerResources(c, defaultRequests, defaultLimits, "container", annotations);
      }
    }
    if (pod.getSpec().getInitContainers() != null) {
      for (Container c : pod.getSpec().getInitContainers()) {
        mergeContainerResources(c, defaultRequests, defaultLimits, "init container", annotations);
      }
    }
    if (!annotations.isEmpty()) {
      if (pod.getMetadata().getAnnotations() == null) {
        pod.getMetadata().setAnnotations(new LinkedHashMap<>());
      }
      pod.getMetadata().getAnnotations().put(ANNOTATION, "LimitRanger plugin set: " + String.join("; ", annotations));
    }
  }

  /** mergeContainerResources */
  private static void mergeContainerResources(Container c, Map<String, Quantity> requests,
                                              Map<String, Quantity> limits, String prefix, List<String> annotations) {
    ResourceRequirements res = c.getResources() == null ? new ResourceRequirements() : c.getResources();
    Map<String, Quantity> curLimits = res.getLimits() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(res.getLimits());
    Map<String, Quantity> curRequests = res.getRequests() == null ? new LinkedHashMap<>()
        : new LinkedHashMap<>(res.getRequests());
    List<String> setRequests = new ArrayList<>();
    List<String> setLimits = new ArrayList<>();
    limits.forEach((k, v) -> {
      if (!curLimits.containsKey(k)) {
        curLimits.put(k, new Quantity(GoQuantity.text(v)));
        setLimits.add(k);
      }
    });
    requests.forEach((k, v) -> {
      if (!curRequests.containsKey(k)) {
        curRequests.put(k, new Quantity(GoQuantity.text(v)));
        setRequests.add(k);
      }
    });
    if (!setLimits.isEmpty() || !setRequests.isEmpty()) {
      res.setLimits(curLimits.isEmpty() ? null : curLimits);
      res.setRequests(curRequests.isEmpty() ? null : curRequests);
      c.setResources(res);
    }
    if (!setRequests.isEmpty()) {
      Collections.sort(setRequests);
      annotations.add(String.join(", ", setRequests) + " request for " + prefix + " " + c.getName());
    }
    if (!setLimits.isEmpty()) {
      Collections.sort(setLimits);
      annotations.add(String.join(", ", setLimits) + " limit for " + prefix + " " + c.getName());
    }
  }

  // ------------------------------------------------------------------ constraints (Validate)

  /** PodValidateLimitFunc: null when the pod satisfies the LimitRange, else utilerrors.NewAggregate's message. */
  static String podValidateLimitFunc(LimitRange lr, Pod pod) {
    List<String> errs = new ArrayList<>();
    for (LimitRangeItem item : items(lr)) {
      String type = item.getType() == null ? "" : item.getType();
      if (type.equals("Container")) {
        for (List<Container> cs : java.util.Arrays.asList(pod.getSpec().getContainers(),
            pod.getSpec().getInitContainers())) {
          if (cs == null) {
            continue;
          }
          for (Container c : cs) {
            Map<String, GoQuantity> req = parse(c.getResources() == null ? null : c.getResources().getRequests());
            Map<String, GoQuantity> lim = parse(c.getResources() == null ? null : c.getResources().getLimits());
            check(type, item, req, lim, errs);
          }
        }
      }
      if (type.equals("Pod")) {
        check(type, item, podRequests(pod), podLimits(pod), errs);
      }
    }
    return aggregate(errs);
  }

  private static void check(String type, LimitRangeItem item, Map<String, GoQuantity> req,
                            Map<String, GoQuantity> lim, List<String> errs) {
    // Go ranges over the maps in random order; kemu takes the resource names in order.
    parse(item.getMin()).forEach((k, v) -> add(errs, minConstraint(type, k, v, req, lim)));
    parse(item.getMax()).forEach((k, v) -> add(errs, maxConstraint(type, k, v, req, lim)));
    parse(item.getMaxLimitRequestRatio()).forEach((k, v) -> add(errs, limitRequestRatioConstraint(type, k, v, req,
        lim)));
  }

  private static void add(List<String> errs, String err) {
    if (err != null) {
      errs.add(err);
    }
  }

  /** utilerrors.NewAggregate(errs).Error(): one message alone, several deduplicated in brackets. */
  static String aggregate(List<String> errs) {
    if (errs.isEmpty()) {
      return null;
    }
    if (errs.size() == 1) {
      return errs.get(0);
    }
    LinkedHashSet<String> seen = new LinkedHashSet<>(errs);
    return seen.size() == 1 ? errs.get(0) : "[" + String.join(", ", seen) + "]";
  }

  /** Value(): the integer value, rounded up. */
  private static BigInteger value(GoQuantity q) {
    return q.value().setScale(0, RoundingMode.CEILING).toBigInteger();
  }

  /** requestLimitEnforcedValues: milli-precision when no value overflows it. */
  private static BigInteger[] enforcedValues(GoQuantity req, GoQuantity lim, GoQuantity enforced) {
    BigInteger r = value(req);
    BigInteger l = value(lim);
    BigInteger e = value(enforced);
    if (r.compareTo(MAX_MILLI_VALUE) <= 0 && l.compareTo(MAX_MILLI_VALUE) <= 0 && e.compareTo(MAX_MILLI_VALUE) <= 0) {
      return new BigInteger[] {req.milliValue(), lim.milliValue(), enforced.milliValue()};
    }
    return new BigInteger[] {r, l, e};
  }

  private static final GoQuantity ZERO = GoQuantity.parse("0");

  /** minConstraint */
  static String minConstraint(String type, String name, GoQuantity enforced, Map<String, GoQuantity> request,
                              Map<String, GoQuantity> limit) {
    GoQuantity req = request.get(name);
    GoQuantity lim = limit.get(name);
    BigInteger[] v = enforcedValues(req == null ? ZERO : req, lim == null ? ZERO : lim, enforced);
    if (req == null) {
      return "minimum " + name + " usage per " + type + " is " + enforced + ".  No request is specified";
    }
    if (v[0].compareTo(v[2]) < 0) {
      return "minimum " + name + " usage per " + type + " is " + enforced + ", but request is " + req;
    }
    if (lim != null && v[1].compareTo(v[2]) < 0) {
      return "minimum " + name + " usage per " + type + " is " + enforced + ", but limit is " + lim;
    }
    return null;
  }

  /** maxConstraint */
  static String maxConstraint(String type, String name, GoQuantity enforced, Map<String, GoQuantity> request,
                              Map<String, GoQuantity> limit) {
    GoQuantity req = request.get(name);
    GoQuantity lim = limit.get(name);
    BigInteger[] v = enforcedValues(req == null ? ZERO : req, lim == null ? ZERO : lim, enforced);
    if (lim == null) {
      return "maximum " + name + " usage per " + type + " is " + enforced + ".  No limit is specified";
    }
    if (v[1].compareTo(v[2]) > 0) {
      return "maximum " + name + " usage per " + type + " is " + enforced + ", but limit is " + lim;
    }
    if (req != null && v[0].compareTo(v[2]) > 0) {
      return "maximum " + name + " usage per " + type + " is " + enforced + ", but request is " + req;
    }
    return null;
  }

  /** limitRequestRatioConstraint */
  static String limitRequestRatioConstraint(String type, String name, GoQuantity enforced,
                                            Map<String, GoQuantity> request, Map<String, GoQuantity> limit) {
    GoQuantity req = request.get(name);
    GoQuantity lim = limit.get(name);
    BigInteger[] v = enforcedValues(req == null ? ZERO : req, lim == null ? ZERO : lim, enforced);
    if (req == null || v[0].signum() == 0) {
      return name + " max limit to request ratio per " + type + " is " + enforced
          + ", but no request is specified or request is 0";
    }
    if (lim == null || v[1].signum() == 0) {
      return name + " max limit to request ratio per " + type + " is " + enforced
          + ", but no limit is specified or limit is 0";
    }
    double observed = v[1].doubleValue() / v[0].doubleValue();
    double display = observed;
    double max = value(enforced).doubleValue();
    if (value(enforced).compareTo(MAX_MILLI_VALUE) <= 0) {
      observed = observed * 1000;
      max = enforced.milliValue().doubleValue();
    }
    if (observed > max) {
      return name + " max limit to request ratio per " + type + " is " + enforced + ", but provided ratio is "
          + String.format(Locale.ROOT, "%f", display);
    }
    return null;
  }

  // ------------------------------------------------------------------ pod totals

  /** podRequests (InPlacePodVerticalScaling off): containers summed, sidecars added, max with init containers. */
  static Map<String, GoQuantity> podRequests(Pod pod) {
    return podTotal(pod, true);
  }

  /** podLimits */
  static Map<String, GoQuantity> podLimits(Pod pod) {
    return podTotal(pod, false);
  }

  private static Map<String, GoQuantity> podTotal(Pod pod, boolean requests) {
    Map<String, GoQuantity> total = new TreeMap<>();
    if (pod.getSpec().getContainers() != null) {
      for (Container c : pod.getSpec().getContainers()) {
        addResourceList(total, of(c, requests));
      }
    }
    Map<String, GoQuantity> restartable = new TreeMap<>();
    Map<String, GoQuantity> init = new TreeMap<>();
    if (pod.getSpec().getInitContainers() != null) {
      for (Container c : pod.getSpec().getInitContainers()) {
        Map<String, GoQuantity> cr = of(c, requests);
        if ("Always".equals(c.getRestartPolicy())) {
          addResourceList(total, cr);
          addResourceList(restartable, cr);
          cr = restartable;
        } else {
          Map<String, GoQuantity> tmp = new TreeMap<>();
          addResourceList(tmp, cr);
          addResourceList(tmp, restartable);
          cr = tmp;
        }
        maxResourceList(init, cr);
      }
    }
    maxResourceList(total, init);
    return total;
  }

  private static Map<String, GoQuantity> of(Container c, boolean requests) {
    if (c.getResources() == null) {
      return Map.of();
    }
    return parse(requests ? c.getResources().getRequests() : c.getResources().getLimits());
  }

  static void addResourceList(Map<String, GoQuantity> list, Map<String, GoQuantity> add) {
    add.forEach((k, v) -> list.merge(k, v, GoQuantity::add));
  }

  static void maxResourceList(Map<String, GoQuantity> list, Map<String, GoQuantity> other) {
    other.forEach((k, v) -> {
      GoQuantity cur = list.get(k);
      if (cur == null || v.compareTo(cur) > 0) {
        list.put(k, v);
      }
    });
  }

  static Map<String, GoQuantity> parse(Map<String, Quantity> list) {
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

  private static List<LimitRangeItem> items(LimitRange lr) {
    return lr.getSpec() == null || lr.getSpec().getLimits() == null ? List.of() : lr.getSpec().getLimits();
  }
}
