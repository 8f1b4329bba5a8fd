package io.kemu.apiserver.authz;

import io.fabric8.kubernetes.api.model.Container;
import io.kemu.apiserver.podutil.PodUtil;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.kemu.api.selectors.FieldSelector;
import io.kemu.apiserver.authz.RbacAuthorizer.Decision;
import io.kemu.apiserver.watchcache.CachedObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The Node authorizer (plugin/pkg/auth/authorizer/node/node_authorizer.go, kube 1.32 with AuthorizeNodeWithSelectors
 * on): a kubelet identity ({@code system:node:<name>} in {@code system:nodes}) may read only the secrets, configmaps,
 * persistent volume claims and service-account tokens of the pods bound to its node, only its own Node and Lease,
 * and list or watch pods only with a {@code spec.nodeName=<itself>} field selector; everything else is decided by
 * the static node rules (bootstrappolicy.NodeRules). Writes that depend on the object (a pod's status, deletion,
 * eviction; the node itself) are allowed here and restricted by the NodeRestriction admission plugin.
 *
 * <p>Upstream keeps a graph of pod → node, secret → pod, … edges fed by informers; kemu answers the same questions
 * from the apiserver's pod watch cache through {@link Graph}.
 */
public final class NodeAuthorizer implements Authorizer {
  /** What the node authorizer graph knows: which node a pod is bound to, and the pods bound to a node. */
  public interface Graph {
    /** {@code spec.nodeName} of a known pod ("" when unscheduled), or null when the pod is unknown. */
    String nodeOf(String namespace, String name);

    /** The pods bound to a node. */
    List<Pod> podsOn(String nodeName);
  }

  /** The graph over a pod cache (the apiserver's watch cache of pods). */
  public static Graph graphOf(java.util.function.BiFunction<String, String, CachedObject> pod,
                              java.util.function.Supplier<Iterable<CachedObject>> pods) {
    return new Graph() {
      @Override
      public String nodeOf(String namespace, String name) {
        CachedObject o = pod.apply(namespace, name);
        return o == null ? null : o.fields().getOrDefault("spec.nodeName", "");
      }

      @Override
      public List<Pod> podsOn(String nodeName) {
        List<Pod> out = new ArrayList<>();
        for (CachedObject o : pods.get()) {
          if (nodeName.equals(o.fields().get("spec.nodeName"))) {
            out.add((Pod) o.typed());
          }
        }
        return out;
      }
    };
  }

  private enum Vertex {
    CONFIGMAP("configmap"), SECRET("secret"), PVC("pvc"), POD("pod"), SERVICE_ACCOUNT("serviceAccount");

    final String name;

    Vertex(String name) {
      this.name = name;
    }
  }

  private static final Decision NO_OPINION = new Decision(false, "");
  private static final Decision ALLOW = new Decision(true, "");

  private final Graph graph;
  private final List<PolicyRule> nodeRules;

  public NodeAuthorizer(Graph graph) {
    this(graph, nodeRules());
  }

  public NodeAuthorizer(Graph graph, List<PolicyRule> nodeRules) {
    this.graph = graph;
    this.nodeRules = List.copyOf(nodeRules);
  }

  /** bootstrappolicy.NodeRules() of kube 1.32 (DynamicResourceAllocation and ClusterTrustBundle off). */
  public static List<PolicyRule> nodeRules() {
    List<String> core = List.of("");
    List<String> read = BootstrapPolicy.READ;
    return List.of(
        BootstrapPolicy.rule(List.of("create"), List.of("authentication.k8s.io"), "tokenreviews"),
        BootstrapPolicy.rule(List.of("create"), List.of("authorization.k8s.io"), "subjectaccessreviews",
            "localsubjectaccessreviews"),
        BootstrapPolicy.rule(read, core, "services"),
        BootstrapPolicy.rule(List.of("create", "get", "list", "watch"), core, "nodes"),
        BootstrapPolicy.rule(List.of("update", "patch"), core, "nodes/status"),
        BootstrapPolicy.rule(List.of("update", "patch"), core, "nodes"),
        BootstrapPolicy.rule(List.of("create", "update", "patch"), core, "events"),
        BootstrapPolicy.rule(read, core, "pods"),
        BootstrapPolicy.rule(List.of("create", "delete"), core, "pods"),
        BootstrapPolicy.rule(List.of("update", "patch"), core, "pods/status"),
        BootstrapPolicy.rule(List.of("create"), core, "pods/eviction"),
        BootstrapPolicy.rule(read, core, "secrets", "configmaps"),
        BootstrapPolicy.rule(List.of("get"), core, "persistentvolumeclaims", "persistentvolumes"),
        BootstrapPolicy.rule(List.of("get"), core, "endpoints"),
        BootstrapPolicy.rule(List.of("create", "get", "list", "watch"), List.of("certificates.k8s.io"),
            "certificatesigningrequests"),
        BootstrapPolicy.rule(List.of("get", "create", "update", "patch", "delete"), List.of("coordination.k8s.io"),
            "leases"),
        BootstrapPolicy.rule(List.of("get"), List.of("storage.k8s.io"), "volumeattachments"),
        BootstrapPolicy.rule(List.of("create"), core, "serviceaccounts/token"),
        BootstrapPolicy.rule(List.of("get", "update", "patch"), core, "persistentvolumeclaims/status"),
        BootstrapPolicy.rule(List.of("get", "watch", "list"), List.of("storage.k8s.io"), "csidrivers"),
        BootstrapPolicy.rule(List.of("get", "create", "update", "patch", "delete"), List.of("storage.k8s.io"),
            "csinodes"),
        BootstrapPolicy.rule(read, List.of("node.k8s.io"), "runtimeclasses"));
  }

  /** NodeAuthorizer.Authorize */
  @Override
  public Decision authorize(Attributes a) {
    String nodeName = a.user().nodeName();
    if (nodeName == null) {
      return NO_OPINION; // not a node
    }
    if (nodeName.isEmpty()) {
      return new Decision(false, "unknown node for user \"" + a.user().name() + "\"");
    }
    if (a.resourceRequest()) {
      String group = a.apiGroup();
      String resource = a.resource();
      if (group.isEmpty()) {
        switch (resource) {
          case "secrets":
            return authorizeReadNamespacedObject(nodeName, Vertex.SECRET, a);
          case "configmaps":
            return authorizeReadNamespacedObject(nodeName, Vertex.CONFIGMAP, a);
          case "persistentvolumeclaims":
            if (a.subresource().equals("status")) {
              return authorizeStatusUpdate(nodeName, Vertex.PVC, a);
            }
            return authorizeGet(nodeName, Vertex.PVC, a);
          case "persistentvolumes":
            // no persistent volumes in kemu: nothing relates one to a node
            return authorizeGet(nodeName, null, a);
          case "serviceaccounts":
            return authorizeCreateToken(nodeName, a);
          case "nodes":
            return authorizeNode(nodeName, a);
          case "pods":
            return authorizePod(nodeName, a);
          default:
            break;
        }
      } else if (group.equals("coordination.k8s.io") && resource.equals("leases")) {
        return authorizeLease(nodeName, a);
      } else if (group.equals("storage.k8s.io") && resource.equals("csinodes")) {
        return authorizeCsiNode(nodeName, a);
      } else if (group.equals("storage.k8s.io") && resource.equals("volumeattachments")) {
        return authorizeGet(nodeName, null, a);
      }
    }
    // Access to other resources is not subdivided: the statically defined node rules decide.
    return RbacAuthorizer.allows(nodeRules, a) ? ALLOW : NO_OPINION;
  }

  /** authorizeStatusUpdate */
  private Decision authorizeStatusUpdate(String nodeName, Vertex type, Attributes a) {
    if (!a.verb().equals("update") && !a.verb().equals("patch")) {
      return new Decision(false, "can only get/update/patch this type");
    }
    if (!a.subresource().equals("status")) {
      return new Decision(false, "can only update status subresource");
    }
    return authorize(nodeName, type, a);
  }

  /** authorizeGet */
  private Decision authorizeGet(String nodeName, Vertex type, Attributes a) {
    if (!a.verb().equals("get")) {
      return new Decision(false, "can only get individual resources of this type");
    }
    if (!a.subresource().isEmpty()) {
      return new Decision(false, "cannot get subresource");
    }
    return authorize(nodeName, type, a);
  }

  /** authorizeReadNamespacedObject */
  private Decision authorizeReadNamespacedObject(String nodeName, Vertex type, Attributes a) {
    switch (a.verb()) {
      case "get", "list", "watch" -> {
      }
      default -> {
        return new Decision(false, "can only read resources of this type");
      }
    }
    if (!a.subresource().isEmpty()) {
      return new Decision(false, "cannot read subresource");
    }
    if (a.namespace().isEmpty()) {
      return new Decision(false, "can only read namespaced object of this type");
    }
    return authorize(nodeName, type, a);
  }

  /** authorize: a path in the graph from the object to the node. */
  private Decision authorize(String nodeName, Vertex type, Attributes a) {
    if (a.name().isEmpty()) {
      return new Decision(false, "No Object name found");
    }
    if (type == null || !hasPathFrom(nodeName, type, a.namespace(), a.name())) {
      return new Decision(false, "no relationship found between node '" + nodeName + "' and this object");
    }
    return ALLOW;
  }

  /** authorizeCreateToken */
  private Decision authorizeCreateToken(String nodeName, Attributes a) {
    if (!a.verb().equals("create") || a.name().isEmpty()) {
      return new Decision(false, "can only create tokens for individual service accounts");
    }
    if (!a.subresource().equals("token")) {
      return new Decision(false, "can only create token subresource of serviceaccount");
    }
    if (!hasPathFrom(nodeName, Vertex.SERVICE_ACCOUNT, a.namespace(), a.name())) {
      return new Decision(false, "no relationship found between node '" + nodeName + "' and this object");
    }
    return ALLOW;
  }

  /** authorizeLease */
  private static Decision authorizeLease(String nodeName, Attributes a) {
    String verb = a.verb();
    switch (verb) {
      case "get", "create", "update", "patch", "delete" -> {
      }
      default -> {
        return new Decision(false, "can only get, create, update, patch, or delete a node lease");
      }
    }
    if (!a.namespace().equals("kube-node-lease")) {
      return new Decision(false, "can only access leases in the \"kube-node-lease\" system namespace");
    }
    // create is checked by NodeRestriction: the authorizer does not know the name on create
    if (!verb.equals("create") && !a.name().equals(nodeName)) {
      return new Decision(false, "can only access node lease with the same name as the requesting node");
    }
    return ALLOW;
  }

  /** authorizeCSINode */
  private static Decision authorizeCsiNode(String nodeName, Attributes a) {
    String verb = a.verb();
    switch (verb) {
      case "get", "create", "update", "patch", "delete" -> {
      }
      default -> {
        return new Decision(false, "can only get, create, update, patch, or delete a CSINode");
      }
    }
    if (!a.subresource().isEmpty()) {
      return new Decision(false, "cannot authorize CSINode subresources");
    }
    if (!verb.equals("create") && !a.name().equals(nodeName)) {
      return new Decision(false, "can only access CSINode with the same name as the requesting node");
    }
    return ALLOW;
  }

  /** authorizeNode */
  private static Decision authorizeNode(String nodeName, Attributes a) {
    switch (a.subresource()) {
      case "" -> {
        switch (a.verb()) {
          case "create", "update", "patch" -> {
            // NodeRestriction limits a node to its own Node object
            return ALLOW;
          }
          case "get", "list", "watch" -> {
            // the name is compared directly so that a kubelet may read its Node before creating it
            if (a.name().equals(nodeName)) {
              return ALLOW;
            }
            if (a.name().isEmpty()) {
              return new Decision(false, "node '" + nodeName + "' cannot read all nodes, only its own Node object");
            }
            return new Decision(false, "node '" + nodeName + "' cannot read '" + a.name()
                + "', only its own Node object");
          }
          default -> {
          }
        }
      }
      case "status" -> {
        if (a.verb().equals("update") || a.verb().equals("patch")) {
          return ALLOW;
        }
      }
      default -> {
      }
    }
    return NO_OPINION;
  }

  /** authorizePod */
  private Decision authorizePod(String nodeName, Attributes a) {
    switch (a.subresource()) {
      case "" -> {
        switch (a.verb()) {
          case "get" -> {
            return authorizeGet(nodeName, Vertex.POD, a);
          }
          case "list", "watch" -> {
            FieldSelector fs;
            try {
              fs = FieldSelector.parse(a.fieldSelector());
            } catch (RuntimeException e) {
              fs = FieldSelector.EVERYTHING;
            }
            for (FieldSelector.Requirement r : fs.requirements()) {
              if (r.field().equals("spec.nodeName") && r.equals() && r.value().equals(nodeName)) {
                return ALLOW;
              }
            }
            if (!a.name().isEmpty()) {
              return authorize(nodeName, Vertex.POD, a);
            }
            return new Decision(false, "can only list/watch pods with spec.nodeName field selector");
          }
          case "create", "delete" -> {
            // mirror pods; NodeRestriction limits them to pods bound to the node
            return ALLOW;
          }
          default -> {
          }
        }
      }
      case "status" -> {
        if (a.verb().equals("update") || a.verb().equals("patch")) {
          return ALLOW;
        }
      }
      case "eviction" -> {
        if (a.verb().equals("create")) {
          return ALLOW;
        }
      }
      default -> {
      }
    }
    return NO_OPINION;
  }

  /** hasPathFrom: the edges graph_populator.go records (pod → node, secret/configmap/pvc/sa → pod). */
  private boolean hasPathFrom(String nodeName, Vertex type, String namespace, String name) {
    if (type == Vertex.POD) {
      return nodeName.equals(graph.nodeOf(namespace, name));
    }
    for (Pod p : graph.podsOn(nodeName)) {
      if (p.getMetadata() == null || !Objects.equals(p.getMetadata().getNamespace(), namespace)
          || p.getSpec() == null) {
        continue;
      }
      boolean[] found = {false};
      Consumer<String> match = n -> found[0] |= name.equals(n);
      switch (type) {
        case SECRET -> visitSecretNames(p.getSpec(), match);
        case CONFIGMAP -> visitConfigMapNames(p.getSpec(), match);
        case PVC -> visitClaimNames(p, match);
        case SERVICE_ACCOUNT -> match.accept(p.getSpec().getServiceAccountName());
        default -> {
        }
      }
      if (found[0]) {
        return true;
      }
    }
    return false;
  }

  /** podutil.VisitPodSecretNames (the sources kemu models). */
  public static void visitSecretNames(PodSpec spec, Consumer<String> v) {
    if (spec.getImagePullSecrets() != null) {
      for (LocalObjectReference r : spec.getImagePullSecrets()) {
        v.accept(r.getName());
      }
    }
    for (Container c : PodUtil.allContainers(spec)) {
      if (c.getEnvFrom() != null) {
        for (EnvFromSource e : c.getEnvFrom()) {
          if (e.getSecretRef() != null) {
            v.accept(e.getSecretRef().getName());
          }
        }
      }
      if (c.getEnv() != null) {
        for (EnvVar e : c.getEnv()) {
          if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
            v.accept(e.getValueFrom().getSecretKeyRef().getName());
          }
        }
      }
    }
    if (spec.getVolumes() != null) {
      for (Volume vol : spec.getVolumes()) {
        if (vol.getSecret() != null) {
          v.accept(vol.getSecret().getSecretName());
        }
        if (vol.getProjected() != null && vol.getProjected().getSources() != null) {
          for (VolumeProjection src : vol.getProjected().getSources()) {
            if (src.getSecret() != null) {
              v.accept(src.getSecret().getName());
            }
          }
        }
        if (vol.getCsi() != null && vol.getCsi().getNodePublishSecretRef() != null) {
          v.accept(vol.getCsi().getNodePublishSecretRef().getName());
        }
      }
    }
  }

  /** podutil.VisitPodConfigmapNames */
  public static void visitConfigMapNames(PodSpec spec, Consumer<String> v) {
    for (Container c : PodUtil.allContainers(spec)) {
      if (c.getEnvFrom() != null) {
        for (EnvFromSource e : c.getEnvFrom()) {
          if (e.getConfigMapRef() != null) {
            v.accept(e.getConfigMapRef().getName());
          }
        }
      }
      if (c.getEnv() != null) {
        for (EnvVar e : c.getEnv()) {
          if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null) {
            v.accept(e.getValueFrom().getConfigMapKeyRef().getName());
          }
        }
      }
    }
    if (spec.getVolumes() != null) {
      for (Volume vol : spec.getVolumes()) {
        if (vol.getConfigMap() != null) {
          v.accept(vol.getConfigMap().getName());
        }
        if (vol.getProjected() != null && vol.getProjected().getSources() != null) {
          for (VolumeProjection src : vol.getProjected().getSources()) {
            if (src.getConfigMap() != null) {
              v.accept(src.getConfigMap().getName());
            }
          }
        }
      }
    }
  }

  /** The claims of a pod: persistentVolumeClaim volumes and generic ephemeral volumes (pod name-volume name). */
  private static void visitClaimNames(Pod p, Consumer<String> v) {
    if (p.getSpec().getVolumes() == null) {
      return;
    }
    for (Volume vol : p.getSpec().getVolumes()) {
      if (vol.getPersistentVolumeClaim() != null) {
        v.accept(vol.getPersistentVolumeClaim().getClaimName());
      }
      if (vol.getEphemeral() != null) {
        v.accept(p.getMetadata().getName() + "-" + vol.getName());
      }
    }
  }
}
