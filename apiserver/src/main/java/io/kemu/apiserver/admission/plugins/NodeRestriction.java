package io.kemu.apiserver.admission.plugins;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.kemu.api.Resources;
import io.kemu.apiserver.admission.AdmissionAttributes;
import io.kemu.apiserver.admission.AdmissionAttributes.Operation;
import io.kemu.apiserver.admission.AdmissionPlugin;
import io.kemu.apiserver.errors.ApiException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * plugin/pkg/admission/noderestriction (a mutating plugin, Admit): a kubelet identity may only create mirror pods
 * bound to itself, delete, update the status of and evict the pods bound to it, modify its own Node (not its
 * taints nor labels outside the kubelet set) and its own Lease in kube-node-lease. Pods and nodes are read from the
 * apiserver's caches, as upstream reads them from informers.
 */
public final class NodeRestriction implements AdmissionPlugin {
  static final String MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";
  static final String NODE_RESTRICTION_NAMESPACE = "node-restriction.kubernetes.io";
  /** k8s.io/kubelet/pkg/apis kubeletLabels */
  static final Set<String> KUBELET_LABELS = Set.of("kubernetes.io/hostname", "topology.kubernetes.io/zone",
      "topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/zone",
      "failure-domain.beta.kubernetes.io/region", "beta.kubernetes.io/instance-type",
      "node.kubernetes.io/instance-type", "kubernetes.io/os", "kubernetes.io/arch", "beta.kubernetes.io/os",
      "beta.kubernetes.io/arch");
  static final Set<String> KUBELET_LABEL_NAMESPACES = Set.of("kubelet.kubernetes.io", "node.kubernetes.io");

  private final BiFunction<String, String, Pod> pods;
  private final Function<String, Node> nodes;

  /** @param pods the pod lister (namespace, name → pod or null); @param nodes the node lister */
  public NodeRestriction(BiFunction<String, String, Pod> pods, Function<String, Node> nodes) {
    this.pods = pods;
    this.nodes = nodes;
  }

  @Override
  public String name() {
    return "NodeRestriction";
  }

  /** Plugin.Admit */
  @Override
  public CompletionStage<Void> admit(AdmissionAttributes a) {
    if (a.operation() == Operation.CONNECT) {
      return CompletableFuture.completedFuture(null); // handles Create, Update, Delete
    }
    String nodeName = a.user().nodeName();
    if (nodeName == null) {
      return CompletableFuture.completedFuture(null);
    }
    if (nodeName.isEmpty()) {
      throw a.forbidden("could not determine node from user \"" + a.user().name() + "\"");
    }
    if (a.type() == Resources.PODS) {
      String sub = a.subresource() == null ? "" : a.subresource();
      switch (sub) {
        case "" -> admitPod(nodeName, a);
        case "status" -> admitPodStatus(nodeName, a);
        case "eviction" -> admitPodEviction(nodeName, a);
        default -> throw a.forbidden("unexpected pod subresource \"" + sub
            + "\", only 'status' and 'eviction' are allowed");
      }
    } else if (a.type() == Resources.NODES) {
      admitNode(nodeName, a);
    } else if (a.type() == Resources.LEASES) {
      admitLease(nodeName, a);
    }
    return CompletableFuture.completedFuture(null);
  }

  private Pod existingPod(AdmissionAttributes a, String name) {
    Pod p = pods.apply(a.namespace(), name);
    if (p == null) {
      throw ApiException.notFound("", "pods", name);
    }
    return p;
  }

  private static String nodeOf(Pod p) {
    return p.getSpec() == null || p.getSpec().getNodeName() == null ? "" : p.getSpec().getNodeName();
  }

  /** admitPod */
  private void admitPod(String nodeName, AdmissionAttributes a) {
    switch (a.operation()) {
      case CREATE -> admitPodCreate(nodeName, a);
      case DELETE -> {
        if (!nodeOf(existingPod(a, a.name())).equals(nodeName)) {
          throw a.forbidden("node \"" + nodeName + "\" can only delete pods with spec.nodeName set to itself");
        }
      }
      default -> throw a.forbidden("unexpected operation \"" + op(a) + "\", node \"" + nodeName
          + "\" can only create and delete mirror pods");
    }
  }

  /** admitPodCreate */
  private void admitPodCreate(String nodeName, AdmissionAttributes a) {
    if (!(a.object() instanceof Pod pod)) {
      throw a.forbidden("unexpected type " + typeName(a.object()));
    }
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    if (annotations == null || !annotations.containsKey(MIRROR_POD_ANNOTATION)) {
      throw a.forbidden("pod does not have \"" + MIRROR_POD_ANNOTATION + "\" annotation, node \"" + nodeName
          + "\" can only create mirror pods");
    }
    if (!nodeOf(pod).equals(nodeName)) {
      throw a.forbidden("node \"" + nodeName + "\" can only create pods with spec.nodeName set to itself");
    }
    var owners = pod.getMetadata().getOwnerReferences() == null ? java.util.List.<OwnerReference>of()
        : pod.getMetadata().getOwnerReferences();
    if (owners.size() > 1) {
      throw a.forbidden("node \"" + nodeName + "\" can only create pods with a single owner reference set to itself");
    }
    if (owners.isEmpty()) {
      throw a.forbidden("node \"" + nodeName + "\" can only create pods with an owner reference set to itself");
    }
    OwnerReference owner = owners.get(0);
    if (!"v1".equals(owner.getApiVersion()) || !"Node".equals(owner.getKind())
        || !nodeName.equals(owner.getName())) {
      throw a.forbidden("node \"" + nodeName + "\" can only create pods with an owner reference set to itself");
    }
    if (owner.getController() == null || !owner.getController()) {
      throw a.forbidden("node \"" + nodeName + "\" can only create pods with a controller owner reference set to "
          + "itself");
    }
    if (owner.getBlockOwnerDeletion() != null && owner.getBlockOwnerDeletion()) {
      throw a.forbidden("node \"" + nodeName + "\" must not set blockOwnerDeletion on an owner reference");
    }
    Node node = nodes.apply(nodeName);
    if (node == null) {
      throw ApiException.notFound("", "nodes", nodeName);
    }
    if (!Objects.equals(owner.getUid(), node.getMetadata().getUid())) {
      throw a.forbidden("node " + nodeName + " UID mismatch: expected " + owner.getUid() + " got "
          + node.getMetadata().getUid());
    }
    var spec = pod.getSpec();
    if (spec.getServiceAccountName() != null && !spec.getServiceAccountName().isEmpty()) {
      throw a.forbidden("node \"" + nodeName + "\" can not create pods that reference a service account");
    }
    boolean[] found = {false};
    io.kemu.apiserver.authz.NodeAuthorizer.visitSecretNames(spec, n -> found[0] = true);
    if (found[0]) {
      throw a.forbidden("node \"" + nodeName + "\" can not create pods that reference secrets");
    }
    io.kemu.apiserver.authz.NodeAuthorizer.visitConfigMapNames(spec, n -> found[0] = true);
    if (found[0]) {
      throw a.forbidden("node \"" + nodeName + "\" can not create pods that reference configmaps");
    }
    if (spec.getVolumes() != null) {
      for (Volume v : spec.getVolumes()) {
        if (v.getProjected() != null && v.getProjected().getSources() != null) {
          for (VolumeProjection src : v.getProjected().getSources()) {
            if (src.getClusterTrustBundle() != null) {
              throw a.forbidden("node \"" + nodeName + "\" can not create pods that reference clustertrustbundles");
            }
          }
        }
      }
      for (Volume v : spec.getVolumes()) {
        if (v.getPersistentVolumeClaim() != null) {
          throw a.forbidden("node \"" + nodeName + "\" can not create pods that reference persistentvolumeclaims");
        }
      }
    }
  }

  /** admitPodStatus */
  private static void admitPodStatus(String nodeName, AdmissionAttributes a) {
    if (a.operation() != Operation.UPDATE) {
      throw a.forbidden("unexpected operation \"" + op(a) + "\"");
    }
    if (!(a.oldObject() instanceof Pod oldPod)) {
      throw a.forbidden("unexpected type " + typeName(a.oldObject()));
    }
    if (!nodeOf(oldPod).equals(nodeName)) {
      throw a.forbidden("node \"" + nodeName + "\" can only update pod status for pods with spec.nodeName set to "
          + "itself");
    }
    if (!(a.object() instanceof Pod newPod)) {
      throw a.forbidden("unexpected type " + typeName(a.object()));
    }
    if (!labels(oldPod).equals(labels(newPod))) {
      throw a.forbidden("node \"" + nodeName + "\" cannot update labels through pod status");
    }
    Object oldClaims = oldPod.getStatus() == null ? null : oldPod.getStatus().getResourceClaimStatuses();
    Object newClaims = newPod.getStatus() == null ? null : newPod.getStatus().getResourceClaimStatuses();
    if (!orEmpty(oldClaims).equals(orEmpty(newClaims))) {
      throw a.forbidden("node \"" + nodeName + "\" cannot update resource claim statues");
    }
  }

  private static Object orEmpty(Object o) {
    return o == null || (o instanceof java.util.List<?> l && l.isEmpty()) ? java.util.List.of() : o;
  }

  /** admitPodEviction */
  private void admitPodEviction(String nodeName, AdmissionAttributes a) {
    if (a.operation() != Operation.CREATE) {
      throw a.forbidden("unexpected operation " + op(a));
    }
    String podName = a.name();
    if (podName == null || podName.isEmpty()) {
      HasMetadata eviction = a.object();
      if (eviction == null || eviction.getMetadata() == null || eviction.getMetadata().getName() == null
          || eviction.getMetadata().getName().isEmpty()) {
        throw a.forbidden("could not determine pod from request data");
      }
      podName = eviction.getMetadata().getName();
    }
    if (!nodeOf(existingPod(a, podName)).equals(nodeName)) {
      throw a.forbidden("node " + nodeName + " can only evict pods with spec.nodeName set to itself");
    }
  }

  /** admitNode */
  private static void admitNode(String nodeName, AdmissionAttributes a) {
    String requested = a.name() == null ? "" : a.name();
    if (!requested.equals(nodeName)) {
      throw a.forbidden("node \"" + nodeName + "\" is not allowed to modify node \"" + requested + "\"");
    }
    if (a.operation() == Operation.CREATE) {
      if (!(a.object() instanceof Node node)) {
        throw a.forbidden("unexpected type " + typeName(a.object()));
      }
      if (node.getSpec() != null && node.getSpec().getConfigSource() != null) {
        throw a.forbidden("node \"" + nodeName + "\" is not allowed to create pods with a non-nil configSource");
      }
      Set<String> forbidden = forbiddenLabels(modifiedLabels(labels(node), Map.of()));
      if (!forbidden.isEmpty()) {
        throw a.forbidden("node \"" + nodeName + "\" is not allowed to set the following labels: "
            + String.join(", ", forbidden));
      }
    }
    if (a.operation() == Operation.UPDATE) {
      if (!(a.object() instanceof Node node) || !(a.oldObject() instanceof Node oldNode)) {
        throw a.forbidden("unexpected type " + typeName(a.object()));
      }
      var source = node.getSpec() == null ? null : node.getSpec().getConfigSource();
      var oldSource = oldNode.getSpec() == null ? null : oldNode.getSpec().getConfigSource();
      if (source != null && !source.equals(oldSource)) {
        throw a.forbidden("node \"" + nodeName + "\" is not allowed to update configSource to a new non-nil "
            + "configSource");
      }
      Object taints = node.getSpec() == null ? null : node.getSpec().getTaints();
      Object oldTaints = oldNode.getSpec() == null ? null : oldNode.getSpec().getTaints();
      if (!orEmpty(taints).equals(orEmpty(oldTaints))) {
        throw a.forbidden("node \"" + nodeName + "\" is not allowed to modify taints");
      }
      Set<String> forbidden = forbiddenLabels(modifiedLabels(labels(node), labels(oldNode)));
      if (!forbidden.isEmpty()) {
        throw a.forbidden("is not allowed to modify labels: " + String.join(", ", forbidden));
      }
    }
  }

  /** admitLease */
  private static void admitLease(String nodeName, AdmissionAttributes a) {
    if (!"kube-node-lease".equals(a.namespace())) {
      throw a.forbidden("can only access leases in the \"kube-node-lease\" system namespace");
    }
    String name = a.operation() == Operation.CREATE
        ? (a.object() == null || a.object().getMetadata() == null ? null : a.object().getMetadata().getName())
        : a.name();
    if (!nodeName.equals(name)) {
      throw a.forbidden("can only access node lease with the same name as the requesting node");
    }
  }

  /** getModifiedLabels */
  static Set<String> modifiedLabels(Map<String, String> a, Map<String, String> b) {
    Set<String> modified = new TreeSet<>();
    a.forEach((k, v) -> {
      if (!v.equals(b.get(k))) {
        modified.add(k);
      }
    });
    b.forEach((k, v) -> {
      if (!v.equals(a.get(k))) {
        modified.add(k);
      }
    });
    return modified;
  }

  /** getForbiddenLabels: node-restriction labels, and kubernetes.io / k8s.io labels outside the kubelet's. */
  static Set<String> forbiddenLabels(Set<String> modified) {
    Set<String> forbidden = new TreeSet<>();
    for (String label : modified) {
      String ns = labelNamespace(label);
      if (ns.equals(NODE_RESTRICTION_NAMESPACE) || ns.endsWith("." + NODE_RESTRICTION_NAMESPACE)) {
        forbidden.add(label);
      }
      if (isKubernetesLabel(label) && !isKubeletLabel(label)) {
        forbidden.add(label);
      }
    }
    return forbidden;
  }

  static boolean isKubernetesLabel(String key) {
    String ns = labelNamespace(key);
    return ns.equals("kubernetes.io") || ns.endsWith(".kubernetes.io") || ns.equals("k8s.io") || ns.endsWith(".k8s.io");
  }

  /** kubeletapis.IsKubeletLabel */
  static boolean isKubeletLabel(String key) {
    if (KUBELET_LABELS.contains(key)) {
      return true;
    }
    String ns = labelNamespace(key);
    for (String allowed : KUBELET_LABEL_NAMESPACES) {
      if (ns.equals(allowed) || ns.endsWith("." + allowed)) {
        return true;
      }
    }
    return false;
  }

  private static String labelNamespace(String key) {
    int slash = key.indexOf('/');
    return slash < 0 ? "" : key.substring(0, slash);
  }

  private static Map<String, String> labels(HasMetadata o) {
    return o.getMetadata() == null || o.getMetadata().getLabels() == null ? new HashMap<>()
        : o.getMetadata().getLabels();
  }

  /** admission.Operation's string form. */
  private static String op(AdmissionAttributes a) {
    return a.operation().name();
  }

  private static String typeName(Object o) {
    return o == null ? "<nil>" : "*" + o.getClass().getSimpleName();
  }
}
