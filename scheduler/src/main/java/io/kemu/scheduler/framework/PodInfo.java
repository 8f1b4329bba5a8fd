package io.kemu.scheduler.framework;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.util.ArrayList;
import java.util.List;

/**
 * framework.PodInfo: a pod with what the plugins derive from its spec, computed once: parsed (anti-)affinity terms,
 * its requests (exact and with the scoring defaults) and the host ports it wants.
 */
public final class PodInfo {
  private final Pod pod;
  private final List<AffinityTerm> requiredAffinityTerms;
  private final List<AffinityTerm> requiredAntiAffinityTerms;
  private final List<AffinityTerm.Weighted> preferredAffinityTerms;
  private final List<AffinityTerm.Weighted> preferredAntiAffinityTerms;
  private final Resource requests;
  private final Resource nonZeroRequests;
  private final List<ContainerPort> hostPorts;
  private final String parseError;

  private PodInfo(Pod pod) {
    this.pod = pod;
    Affinity a = pod.getSpec().getAffinity();
    List<AffinityTerm> reqAff = List.of();
    List<AffinityTerm> reqAnti = List.of();
    List<AffinityTerm.Weighted> prefAff = List.of();
    List<AffinityTerm.Weighted> prefAnti = List.of();
    String err = null;
    try {
      if (a != null && a.getPodAffinity() != null) {
        reqAff = terms(pod, a.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution());
        prefAff = weighted(pod, a.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution());
      }
      if (a != null && a.getPodAntiAffinity() != null) {
        reqAnti = terms(pod, a.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution());
        prefAnti = weighted(pod, a.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution());
      }
    } catch (RuntimeException e) {
      err = e.getMessage();
    }
    this.requiredAffinityTerms = reqAff;
    this.requiredAntiAffinityTerms = reqAnti;
    this.preferredAffinityTerms = prefAff;
    this.preferredAntiAffinityTerms = prefAnti;
    this.parseError = err;
    this.requests = Resource.podRequests(pod, false);
    this.nonZeroRequests = Resource.podRequests(pod, true);
    this.hostPorts = hostPorts(pod);
  }

  public static PodInfo of(Pod pod) {
    return new PodInfo(pod);
  }

  private static List<AffinityTerm> terms(Pod pod, List<PodAffinityTerm> terms) {
    if (terms == null || terms.isEmpty()) {
      return List.of();
    }
    List<AffinityTerm> out = new ArrayList<>(terms.size());
    for (PodAffinityTerm t : terms) {
      out.add(AffinityTerm.of(pod, t));
    }
    return List.copyOf(out);
  }

  private static List<AffinityTerm.Weighted> weighted(Pod pod, List<WeightedPodAffinityTerm> terms) {
    if (terms == null || terms.isEmpty()) {
      return List.of();
    }
    List<AffinityTerm.Weighted> out = new ArrayList<>(terms.size());
    for (WeightedPodAffinityTerm t : terms) {
      out.add(new AffinityTerm.Weighted(AffinityTerm.of(pod, t.getPodAffinityTerm()),
          t.getWeight() == null ? 0 : t.getWeight()));
    }
    return List.copyOf(out);
  }

  /** util.GetHostPorts: ports with a hostPort, of the containers and of the restartable init containers. */
  static List<ContainerPort> hostPorts(Pod pod) {
    List<ContainerPort> out = new ArrayList<>();
    if (pod.getSpec().getContainers() != null) {
      for (Container c : pod.getSpec().getContainers()) {
        addHostPorts(c, out);
      }
    }
    if (pod.getSpec().getInitContainers() != null) {
      for (Container c : pod.getSpec().getInitContainers()) {
        if ("Always".equals(c.getRestartPolicy())) {
          addHostPorts(c, out);
        }
      }
    }
    return out.isEmpty() ? List.of() : List.copyOf(out);
  }

  private static void addHostPorts(Container c, List<ContainerPort> out) {
    if (c.getPorts() != null) {
      for (ContainerPort p : c.getPorts()) {
        if (p.getHostPort() != null && p.getHostPort() > 0) {
          out.add(p);
        }
      }
    }
  }

  public Pod pod() {
    return pod;
  }

  public String uid() {
    return pod.getMetadata().getUid();
  }

  public String namespace() {
    return pod.getMetadata().getNamespace();
  }

  public String name() {
    return pod.getMetadata().getName();
  }

  public int priority() {
    Integer p = pod.getSpec().getPriority();
    return p == null ? 0 : p;
  }

  public List<AffinityTerm> requiredAffinityTerms() {
    return requiredAffinityTerms;
  }

  public List<AffinityTerm> requiredAntiAffinityTerms() {
    return requiredAntiAffinityTerms;
  }

  public List<AffinityTerm.Weighted> preferredAffinityTerms() {
    return preferredAffinityTerms;
  }

  public List<AffinityTerm.Weighted> preferredAntiAffinityTerms() {
    return preferredAntiAffinityTerms;
  }

  /** Any pod (anti-)affinity at all: such pods are indexed in NodeInfo.podsWithAffinity. */
  public boolean hasAffinity() {
    Affinity a = pod.getSpec().getAffinity();
    return a != null && (a.getPodAffinity() != null || a.getPodAntiAffinity() != null);
  }

  public Resource requests() {
    return requests;
  }

  public Resource nonZeroRequests() {
    return nonZeroRequests;
  }

  public List<ContainerPort> hostPorts() {
    return hostPorts;
  }

  /** Why the affinity terms could not be parsed, or null. */
  public String parseError() {
    return parseError;
  }

  /** A pod with the same spec bound to another node (assume): the derived data are shared. */
  public PodInfo withPod(Pod p) {
    return new PodInfo(p, this);
  }

  private PodInfo(Pod p, PodInfo o) {
    this.pod = p;
    this.requiredAffinityTerms = o.requiredAffinityTerms;
    this.requiredAntiAffinityTerms = o.requiredAntiAffinityTerms;
    this.preferredAffinityTerms = o.preferredAffinityTerms;
    this.preferredAntiAffinityTerms = o.preferredAntiAffinityTerms;
    this.requests = o.requests;
    this.nonZeroRequests = o.nonZeroRequests;
    this.hostPorts = o.hostPorts;
    this.parseError = o.parseError;
  }

  @Override
  public String toString() {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }
}
