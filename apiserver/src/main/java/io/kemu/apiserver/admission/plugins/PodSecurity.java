package io.kemu.apiserver.admission.plugins;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.kemu.api.Resources;
import io.kemu.apiserver.admission.AdmissionAttributes;
import io.kemu.apiserver.admission.AdmissionAttributes.Operation;
import io.kemu.apiserver.admission.AdmissionPlugin;
import io.kemu.apiserver.admission.podsecurity.PodSecurityChecks;
import io.kemu.apiserver.admission.podsecurity.PodSecurityChecks.Aggregate;
import io.kemu.apiserver.admission.podsecurity.PodSecurityPolicy;
import io.kemu.apiserver.admission.podsecurity.PodSecurityPolicy.Evaluated;
import io.kemu.apiserver.admission.podsecurity.PodSecurityPolicy.LabelError;
import io.kemu.apiserver.admission.podsecurity.PodSecurityPolicy.LevelVersion;
import io.kemu.apiserver.admission.podsecurity.PodSecurityPolicy.Policy;
import io.kemu.apiserver.errors.ApiException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The PodSecurity validating plugin (k8s.io/pod-security-admission/admission, as built into kube-apiserver 1.32):
 * a pod is checked against its namespace's {@code enforce} level (403 {@code violates PodSecurity "<level>:<version>":
 * …}) and {@code warn} level ({@code Warning: would violate PodSecurity …}); the pod templates of deployments,
 * replica sets and jobs only against {@code warn}; a namespace's labels must parse, and raising its enforce level
 * warns about the existing pods that violate it. Namespaces without labels get the cluster defaults
 * ({@code kemu.apiserver.pod-security}); exempt namespaces, users and runtime classes are not checked.
 */
public final class PodSecurity implements AdmissionPlugin {
  /** The AdmissionConfiguration of the plugin: defaults and exemptions. */
  public record Config(Policy defaults, Set<String> exemptNamespaces, Set<String> exemptUsers,
                       Set<String> exemptRuntimeClasses) {}

  /** namespaceMaxPodsToCheck */
  static final int MAX_PODS_TO_CHECK = 3000;

  private final Config config;
  private final Function<String, CompletionStage<Namespace>> namespaces;
  private final Function<String, List<Pod>> podsIn;

  /**
   * @param namespaces a namespace by name (failing with NotFound when there is none)
   * @param podsIn     the pods of a namespace (for a namespace's new enforce level)
   */
  public PodSecurity(Config config, Function<String, CompletionStage<Namespace>> namespaces,
                     Function<String, List<Pod>> podsIn) {
    this.config = config;
    this.namespaces = namespaces;
    this.podsIn = podsIn;
  }

  @Override
  public String name() {
    return "PodSecurity";
  }

  @Override
  public CompletionStage<Void> validate(AdmissionAttributes a) {
    if (a.operation() != Operation.CREATE && a.operation() != Operation.UPDATE) {
      return CompletableFuture.completedFuture(null);
    }
    if (a.type() == Resources.NAMESPACES) {
      validateNamespace(a);
      return CompletableFuture.completedFuture(null);
    }
    if (a.type() == Resources.PODS) {
      return validatePod(a);
    }
    if (a.type() == Resources.DEPLOYMENTS || a.type() == Resources.REPLICA_SETS || a.type() == Resources.JOBS) {
      return validatePodController(a);
    }
    return CompletableFuture.completedFuture(null);
  }

  /** ValidateNamespace */
  private void validateNamespace(AdmissionAttributes a) {
    if (!a.isMainResource() || !(a.object() instanceof Namespace ns)) {
      return;
    }
    Evaluated next = PodSecurityPolicy.toEvaluate(ns.getMetadata().getLabels(), config.defaults());
    if (a.operation() == Operation.CREATE) {
      if (!next.errors().isEmpty()) {
        throw invalid(ns.getMetadata().getName(), next.errors());
      }
      return;
    }
    if (!(a.oldObject() instanceof Namespace old)) {
      return;
    }
    Evaluated prev = PodSecurityPolicy.toEvaluate(old.getMetadata().getLabels(), config.defaults());
    if (!next.errors().isEmpty() && (prev.errors().isEmpty() || !next.errors().equals(prev.errors()))) {
      throw invalid(ns.getMetadata().getName(), next.errors());
    }
    LevelVersion ne = next.policy().enforce();
    LevelVersion oe = prev.policy().enforce();
    if (ne.equals(oe) || ne.level().equals("privileged")
        || (ne.version().equals(oe.version()) && compareLevels(ne.level(), oe.level()) < 1)
        || config.exemptNamespaces().contains(ns.getMetadata().getName())) {
      return;
    }
    for (String w : evaluatePodsInNamespace(ns.getMetadata().getName(), ne)) {
      a.addWarning(w);
    }
  }

  private static int compareLevels(String a, String b) {
    List<String> order = List.of("privileged", "baseline", "restricted");
    return Integer.compare(order.indexOf(a), order.indexOf(b));
  }

  /** EvaluatePodsInNamespace: one warning per distinct reason set, naming the first pod (by name) that has it. */
  List<String> evaluatePodsInNamespace(String namespace, LevelVersion enforce) {
    List<Pod> pods = new ArrayList<>(podsIn.apply(namespace));
    pods.sort(Comparator.comparing(p -> p.getMetadata().getName()));
    int total = pods.size();
    if (pods.size() > MAX_PODS_TO_CHECK) {
      pods = pods.subList(0, MAX_PODS_TO_CHECK);
    }
    Map<String, String[]> byWarning = new LinkedHashMap<>(); // reason -> {first pod name, count}
    for (Pod p : pods) {
      Aggregate r = PodSecurityChecks.evaluate(enforce.level(), p.getMetadata(), p.getSpec());
      if (!r.allowed()) {
        String w = r.forbiddenReason();
        String[] c = byWarning.get(w);
        if (c == null) {
          byWarning.put(w, new String[] {p.getMetadata().getName(), "1"});
        } else {
          if (p.getMetadata().getName().compareTo(c[0]) < 0) {
            c[0] = p.getMetadata().getName();
          }
          c[1] = Integer.toString(Integer.parseInt(c[1]) + 1);
        }
      }
    }
    List<String> warnings = new ArrayList<>();
    if (pods.size() < total) {
      warnings.add("new PodSecurity enforce level only checked against the first " + pods.size() + " of " + total
          + " existing pods");
    }
    if (!byWarning.isEmpty()) {
      warnings.add("existing pods in namespace \"" + namespace + "\" violate the new PodSecurity enforce level \""
          + enforce + "\"");
    }
    List<String> podWarnings = new ArrayList<>();
    byWarning.forEach((w, c) -> {
      int count = Integer.parseInt(c[1]);
      podWarnings.add(switch (count) {
        case 1 -> c[0] + ": " + w;
        case 2 -> c[0] + " (and 1 other pod): " + w;
        default -> c[0] + " (and " + (count - 1) + " other pods): " + w;
      });
    });
    podWarnings.sort(null);
    warnings.addAll(podWarnings);
    return warnings;
  }

  /** ValidatePod */
  private CompletionStage<Void> validatePod(AdmissionAttributes a) {
    String sub = a.subresource() == null ? "" : a.subresource();
    if (!sub.isEmpty() && !sub.equals("ephemeralcontainers")) {
      return CompletableFuture.completedFuture(null); // ignoredPodSubresources, and every other one
    }
    if (exempt(a) || !(a.object() instanceof Pod pod)) {
      return CompletableFuture.completedFuture(null);
    }
    return policyOf(a).thenAccept(ev -> {
      if (ev.errors().isEmpty() && ev.policy().fullyPrivileged()) {
        return;
      }
      if (a.operation() == Operation.UPDATE && a.oldObject() instanceof Pod old && !isSignificantPodUpdate(pod, old)) {
        return;
      }
      evaluatePod(ev.policy(), pod.getMetadata(), pod.getSpec(), a, true);
    });
  }

  /** ValidatePodController: workloads are only warned about. */
  private CompletionStage<Void> validatePodController(AdmissionAttributes a) {
    if (!a.isMainResource() || exempt(a)) {
      return CompletableFuture.completedFuture(null);
    }
    return policyOf(a).thenAccept(ev -> {
      Policy p = ev.policy();
      if (ev.errors().isEmpty() && p.warn().level().equals("privileged") && p.audit().level().equals("privileged")) {
        return;
      }
      PodTemplateSpec template = template(a.object());
      if (template == null || template.getSpec() == null) {
        return;
      }
      evaluatePod(p, template.getMetadata(), template.getSpec(), a, false);
    });
  }

  /** DefaultPodSpecExtractor for the workloads kemu serves. */
  static PodTemplateSpec template(HasMetadata o) {
    if (o instanceof Deployment d && d.getSpec() != null) {
      return d.getSpec().getTemplate();
    }
    if (o instanceof ReplicaSet r && r.getSpec() != null) {
      return r.getSpec().getTemplate();
    }
    if (o instanceof Job j && j.getSpec() != null) {
      return j.getSpec().getTemplate();
    }
    return null;
  }

  /** EvaluatePod: enforce fails the request; warn adds a warning to a request that is allowed. */
  void evaluatePod(Policy policy, ObjectMeta meta, PodSpec spec, AdmissionAttributes a, boolean enforce) {
    if (spec.getRuntimeClassName() != null && config.exemptRuntimeClasses().contains(spec.getRuntimeClassName())) {
      return;
    }
    Map<LevelVersion, Aggregate> cached = new LinkedHashMap<>();
    if (enforce) {
      Aggregate r = PodSecurityChecks.evaluate(policy.enforce().level(), meta, spec);
      if (!r.allowed()) {
        throw forbidden(a, "violates PodSecurity \"" + policy.enforce() + "\": " + r.forbiddenDetail());
      }
      cached.put(policy.enforce(), r);
    }
    Aggregate w = cached.get(policy.warn());
    if (w == null) {
      w = PodSecurityChecks.evaluate(policy.warn().level(), meta, spec);
    }
    if (!w.allowed()) {
      a.addWarning("would violate PodSecurity \"" + policy.warn() + "\": " + w.forbiddenDetail());
    }
  }

  private boolean exempt(AdmissionAttributes a) {
    return config.exemptNamespaces().contains(a.namespace()) || config.exemptUsers().contains(a.user().name());
  }

  private CompletionStage<Evaluated> policyOf(AdmissionAttributes a) {
    return namespaces.apply(a.namespace()).handle((ns, err) -> {
      if (err != null) {
        throw ApiException.internal("failed to lookup namespace \"" + a.namespace() + "\"");
      }
      return PodSecurityPolicy.toEvaluate(ns.getMetadata().getLabels(), config.defaults());
    });
  }

  /** isSignificantPodUpdate: only image and seccomp-annotation changes, and new containers, are re-checked. */
  static boolean isSignificantPodUpdate(Pod pod, Pod old) {
    Map<String, String> ann = annotations(pod);
    Map<String, String> oldAnn = annotations(old);
    String podSeccomp = "seccomp.security.alpha.kubernetes.io/pod";
    if (!Objects.equals(ann.get(podSeccomp), oldAnn.get(podSeccomp))) {
      return true;
    }
    List<Container> cs = list(pod.getSpec().getContainers());
    List<Container> ocs = list(old.getSpec().getContainers());
    List<Container> ics = list(pod.getSpec().getInitContainers());
    List<Container> oics = list(old.getSpec().getInitContainers());
    if (cs.size() != ocs.size() || ics.size() != oics.size()) {
      return true;
    }
    for (int i = 0; i < cs.size(); i++) {
      if (significantContainerUpdate(cs.get(i).getName(), cs.get(i).getImage(), ocs.get(i).getImage(), ann, oldAnn)) {
        return true;
      }
    }
    for (int i = 0; i < ics.size(); i++) {
      if (significantContainerUpdate(ics.get(i).getName(), ics.get(i).getImage(), oics.get(i).getImage(), ann,
          oldAnn)) {
        return true;
      }
    }
    for (EphemeralContainer e : list(pod.getSpec().getEphemeralContainers())) {
      EphemeralContainer oe = list(old.getSpec().getEphemeralContainers()).stream()
          .filter(x -> Objects.equals(x.getName(), e.getName())).findFirst().orElse(null);
      if (oe == null || significantContainerUpdate(e.getName(), e.getImage(), oe.getImage(), ann, oldAnn)) {
        return true;
      }
    }
    return false;
  }

  private static boolean significantContainerUpdate(String name, String image, String oldImage,
                                                    Map<String, String> ann, Map<String, String> oldAnn) {
    if (!Objects.equals(image, oldImage)) {
      return true;
    }
    String key = "container.seccomp.security.alpha.kubernetes.io/" + name;
    return !Objects.equals(ann.get(key), oldAnn.get(key));
  }

  private static Map<String, String> annotations(Pod p) {
    return p.getMetadata() == null || p.getMetadata().getAnnotations() == null ? Map.of()
        : p.getMetadata().getAnnotations();
  }

  private static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }

  /** forbiddenResponse: apierrors.NewForbidden with the request's name (none for generated names). */
  private static ApiException forbidden(AdmissionAttributes a, String why) {
    String gr = a.type().groupResource();
    String name = a.name() == null ? "" : a.name();
    String message = name.isEmpty() ? gr + " is forbidden: " + why : gr + " \"" + name + "\" is forbidden: " + why;
    return ApiException.forbidden(a.type().group(), a.type().resource(), name.isEmpty() ? null : name, message);
  }

  /** invalidResponse: 422 naming the bad labels. */
  private static ApiException invalid(String name, List<LabelError> errs) {
    List<String> messages = errs.stream().map(LabelError::message).toList();
    String joined = messages.size() == 1 ? messages.get(0) : "[" + String.join(", ", messages) + "]";
    return ApiException.invalid("", "Namespace", name, "Namespace \"" + name + "\" is invalid: " + joined,
        errs.stream().map(e -> new ApiException.Cause("FieldValueInvalid", "Invalid value: \"" + e.value() + "\": "
            + e.detail(), e.field())).toList());
  }
}
