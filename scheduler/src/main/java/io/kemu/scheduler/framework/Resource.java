package io.kemu.scheduler.framework;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * framework.Resource: milli-CPU, memory and ephemeral storage in bytes, allowed pods, and scalar (extended,
 * hugepages) resources. Also the pod request arithmetic of k8s.io/component-helpers/resource (PodRequests).
 */
public final class Resource {
  /** schedutil.DefaultMilliCPURequest / DefaultMemoryRequest: what a container without requests counts for scoring. */
  public static final long DEFAULT_MILLI_CPU_REQUEST = 100;
  public static final long DEFAULT_MEMORY_REQUEST = 200L * 1024 * 1024;

  public long milliCpu;
  public long memory;
  public long ephemeralStorage;
  public long allowedPodNumber;
  /** Sorted, so that "Insufficient x" reasons come in a stable order. */
  public final Map<String, Long> scalar = new TreeMap<>();

  public static Resource of(Map<String, Quantity> list) {
    Resource r = new Resource();
    if (list != null) {
      list.forEach(r::add);
    }
    return r;
  }

  public Resource copy() {
    Resource r = new Resource();
    r.add(this);
    return r;
  }

  public void add(String name, Quantity q) {
    switch (name) {
      case "cpu" -> milliCpu += milli(q);
      case "memory" -> memory += value(q);
      case "ephemeral-storage" -> ephemeralStorage += value(q);
      case "pods" -> allowedPodNumber += value(q);
      default -> {
        if (isScalarResourceName(name)) {
          scalar.merge(name, value(q), Long::sum);
        }
      }
    }
  }

  public void add(Resource o) {
    milliCpu += o.milliCpu;
    memory += o.memory;
    ephemeralStorage += o.ephemeralStorage;
    allowedPodNumber += o.allowedPodNumber;
    if (!o.scalar.isEmpty()) {
      o.scalar.forEach((k, v) -> scalar.merge(k, v, Long::sum));
    }
  }

  public void subtract(Resource o) {
    milliCpu -= o.milliCpu;
    memory -= o.memory;
    ephemeralStorage -= o.ephemeralStorage;
    allowedPodNumber -= o.allowedPodNumber;
    if (!o.scalar.isEmpty()) {
      o.scalar.forEach((k, v) -> scalar.merge(k, -v, Long::sum));
    }
  }

  /** max per resource (init containers run one at a time). */
  void setMax(Resource o) {
    milliCpu = Math.max(milliCpu, o.milliCpu);
    memory = Math.max(memory, o.memory);
    ephemeralStorage = Math.max(ephemeralStorage, o.ephemeralStorage);
    o.scalar.forEach((k, v) -> scalar.merge(k, v, Math::max));
  }

  public long get(String name) {
    return switch (name) {
      case "cpu" -> milliCpu;
      case "memory" -> memory;
      case "ephemeral-storage" -> ephemeralStorage;
      case "pods" -> allowedPodNumber;
      default -> scalar.getOrDefault(name, 0L);
    };
  }

  public boolean isZero() {
    if (milliCpu != 0 || memory != 0 || ephemeralStorage != 0) {
      return false;
    }
    for (long v : scalar.values()) {
      if (v != 0) {
        return false;
      }
    }
    return true;
  }

  /** schedutil.IsScalarResourceName: extended, hugepages, prefixed native and attachable-volume resources. */
  public static boolean isScalarResourceName(String name) {
    return isExtendedResourceName(name) || name.startsWith("hugepages-") || name.contains("kubernetes.io/")
        || name.startsWith("attachable-volumes-");
  }

  /** v1helper.IsExtendedResourceName: domain-prefixed, outside kubernetes.io, not a quota "requests." name. */
  public static boolean isExtendedResourceName(String name) {
    return name.contains("/") && !name.contains("kubernetes.io/") && !name.startsWith("requests.");
  }

  public static long milli(Quantity q) {
    return q.getNumericalAmount().multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.CEILING).longValue();
  }

  public static long value(Quantity q) {
    return q.getNumericalAmount().setScale(0, RoundingMode.CEILING).longValue();
  }

  /**
   * resourcehelper.PodRequests: the sum of the app containers' and the restartable (sidecar) init containers'
   * requests, at least the largest single init container (plus the sidecars started before it), plus the pod
   * overhead. With {@code nonZero}, containers that request no CPU or memory count kube-scheduler's defaults
   * (NonMissingContainerRequests), as scoring does.
   */
  public static Resource podRequests(Pod pod, boolean nonZero) {
    Resource apps = new Resource();
    for (Container c : list(pod.getSpec().getContainers())) {
      apps.add(containerRequests(c, nonZero));
    }
    Resource sidecars = new Resource();
    Resource initMax = new Resource();
    for (Container c : list(pod.getSpec().getInitContainers())) {
      Resource r = containerRequests(c, nonZero);
      if ("Always".equals(c.getRestartPolicy())) {
        sidecars.add(r);
        apps.add(r);
        initMax.setMax(sidecars);
      } else {
        Resource withSidecars = r.copy();
        withSidecars.add(sidecars);
        initMax.setMax(withSidecars);
      }
    }
    apps.setMax(initMax);
    if (pod.getSpec().getOverhead() != null) {
      apps.add(of(pod.getSpec().getOverhead()));
    }
    return apps;
  }

  private static Resource containerRequests(Container c, boolean nonZero) {
    Map<String, Quantity> req = c.getResources() == null ? null : c.getResources().getRequests();
    Resource r = of(req);
    if (nonZero) {
      if (req == null || !req.containsKey("cpu")) {
        r.milliCpu = DEFAULT_MILLI_CPU_REQUEST;
      }
      if (req == null || !req.containsKey("memory")) {
        r.memory = DEFAULT_MEMORY_REQUEST;
      }
    }
    return r;
  }

  private static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }

  @Override
  public String toString() {
    return "cpu=" + milliCpu + "m memory=" + memory + " ephemeral-storage=" + ephemeralStorage + " pods="
        + allowedPodNumber + (scalar.isEmpty() ? "" : " " + scalar);
  }
}
