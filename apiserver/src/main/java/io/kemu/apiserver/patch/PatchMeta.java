package io.kemu.apiserver.patch;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The strategic-merge-patch schema of the built-in kinds: which fields are lists merged by a key, which are
 * replaced, which carry {@code retainKeys}. kube-apiserver reads this from the Go struct tags of the API types
 * ({@code patchStrategy:"merge" patchMergeKey:"name"}, see strategicpatch.PatchMetaFromStruct); this class
 * holds the same tags, transcribed from k8s.io/api v0.32 ({@code core/v1}, {@code apps/v1}, {@code batch/v1},
 * {@code policy/v1}, {@code autoscaling/v2}, {@code admissionregistration/v1}, {@code storage/v1},
 * {@code flowcontrol/v1}) and k8s.io/apimachinery {@code meta/v1}.
 *
 * <p>Only the tags matter to a strategic merge patch: {@code +listType=map}/{@code +listMapKey} markers are
 * server-side-apply metadata and are ignored by it (e.g. Service ports are merged by {@code port} alone, not by
 * {@code port}+{@code protocol}).
 *
 * <p>The built-in tables are <em>partial</em>: they declare every field that has a patch strategy and the
 * struct path leading to it; any other field is "opaque", merged like a JSON merge patch would (objects merged
 * recursively, lists replaced), which is what the Go code does for a struct or map field without a strategy.
 * The one difference: for a field that does not exist in the Go type at all, kube fails with "unable to find
 * api field" only if the stored object also has it, which a typed object never does; here it is merged.
 * {@link Type#strictStruct(String)} types (used by tests) reproduce those lookup errors.
 *
 * <p>Kinds missing from the table get {@link #generic()}: ObjectMeta's rules (ownerReferences by uid,
 * finalizers merged as a set) under {@code metadata}, everything else opaque.
 */
public final class PatchMeta {
  private PatchMeta() {}

  /** The reflect.Kind of a Go type, as far as the patch code looks at it. */
  public enum Kind {
    STRUCT,
    MAP,
    SLICE,
    SCALAR,
    /** A Go pointer; lookups go through it. */
    POINTER,
    /** Not described: merged without metadata, never an error. */
    OPAQUE
  }

  /** A Go type. Structs are built with {@link #field}; the other kinds are immutable. */
  public static final class Type {
    private final Kind kind;
    private final String name;
    private final String goKind;
    private final Type elem;
    private final boolean strict;
    private final Map<String, Field> fields;
    private boolean frozen;

    private Type(Kind kind, String name, String goKind, Type elem, boolean strict) {
      this.kind = kind;
      this.name = name;
      this.goKind = goKind;
      this.elem = elem;
      this.strict = strict;
      this.fields = kind == Kind.STRUCT ? new LinkedHashMap<>() : Collections.emptyMap();
    }

    public static final Type STRING = scalar("string");
    public static final Type INT = scalar("int");
    public static final Type INT32 = scalar("int32");
    public static final Type INT64 = scalar("int64");
    public static final Type FLOAT64 = scalar("float64");
    public static final Type BOOL = scalar("bool");
    /** Anything not described. */
    public static final Type OPAQUE = new Type(Kind.OPAQUE, "", "interface", null, false);

    /** A struct whose undeclared fields are {@link #OPAQUE}. */
    public static Type struct(String name) {
      return new Type(Kind.STRUCT, name, "struct", null, false);
    }

    /** A struct declared completely: looking up an undeclared field fails as in Go. */
    public static Type strictStruct(String name) {
      return new Type(Kind.STRUCT, name, "struct", null, true);
    }

    public static Type slice(Type elem) {
      return new Type(Kind.SLICE, "", "slice", elem, false);
    }

    /** A Go pointer to {@code elem} (a pointer field may hold a list: strategicpatch accepts that). */
    public static Type pointer(Type elem) {
      return new Type(Kind.POINTER, "", "ptr", elem, false);
    }

    public static Type map(Type elem) {
      return new Type(Kind.MAP, "", "map", elem, false);
    }

    /** A Go scalar type; {@code goKind} is its reflect.Kind name ("string", "int32", ...). */
    public static Type scalar(String goKind) {
      return new Type(Kind.SCALAR, goKind, goKind, null, false);
    }

    /** Declares a field without patch strategy. */
    public Type field(String jsonName, Type type) {
      return field(jsonName, type, "", "");
    }

    /**
     * Declares a field with its struct tags: {@code patchStrategy} ("merge", "replace", "retainKeys",
     * "merge,retainKeys" or "") and {@code patchMergeKey} ("" for none).
     */
    public Type field(String jsonName, Type type, String patchStrategy, String patchMergeKey) {
      if (kind != Kind.STRUCT) {
        throw new IllegalStateException("fields belong to structs");
      }
      if (frozen) {
        throw new IllegalStateException(name + " belongs to the built-in table and cannot be changed");
      }
      fields.put(jsonName, new Field(jsonName, type,
          List.copyOf(Arrays.asList(patchStrategy.split(",", -1))), patchMergeKey));
      return this;
    }

    public Kind kind() {
      return kind;
    }

    public String name() {
      return name;
    }

    /** The element type of a slice or map. */
    public Type elem() {
      return elem;
    }

    /** The declared field, if any. */
    public Optional<Field> fieldNamed(String jsonName) {
      return Optional.ofNullable(fields.get(jsonName));
    }

    private void freeze(java.util.Set<Type> seen) {
      if (!seen.add(this)) {
        return;
      }
      frozen = true;
      if (elem != null) {
        elem.freeze(seen);
      }
      for (Field f : fields.values()) {
        f.type.freeze(seen);
      }
    }

    /** {@code reflect.Kind.String()}: what LookupPatchMeta.Name() returns. */
    String goKind() {
      return goKind;
    }

    @Override
    public String toString() {
      return switch (kind) {
        case STRUCT -> name;
        case SLICE -> "[]" + elem;
        case MAP -> "map[string]" + elem;
        case SCALAR -> name;
        case POINTER -> "*" + elem;
        case OPAQUE -> "interface{}";
      };
    }
  }

  /**
   * A struct field and its tags. {@code strategies} is the {@code patchStrategy} tag split on commas (so a
   * field without tag has the single strategy "").
   */
  public record Field(String name, Type type, List<String> strategies, String mergeKey) {
    /** The strategy besides retainKeys ("merge", "replace" or ""). */
    public String strategy() {
      return strategies.stream().filter(s -> !s.equals("retainKeys")).findFirst().orElse("");
    }

    public boolean retainKeys() {
      return strategies.contains("retainKeys");
    }
  }

  /** What LookupPatchMetadataForStruct/ForSlice answer: the sub-schema and the field's tags. */
  record Lookup(Type type, List<String> strategies, String mergeKey) {}

  private static final Lookup OPAQUE_LOOKUP = new Lookup(Type.OPAQUE, List.of(), "");

  /** forkedjson.LookupPatchMetadataForStruct. */
  static Lookup lookupForStruct(Type t, String key) {
    if (t.kind == Kind.POINTER) {
      t = t.elem;
    }
    if (t.kind == Kind.OPAQUE) {
      return OPAQUE_LOOKUP;
    }
    if (t.kind != Kind.STRUCT) {
      throw PatchException.internal(
          "merging an object in json but data type is not struct, instead is: " + t.goKind);
    }
    Field f = t.fields.get(key);
    if (f == null) {
      // encoding/json falls back to a case-insensitive match
      for (Field c : t.fields.values()) {
        if (c.name.equalsIgnoreCase(key)) {
          f = c;
          break;
        }
      }
    }
    if (f == null) {
      if (!t.strict) {
        return OPAQUE_LOOKUP;
      }
      throw PatchException.internal("unable to find api field in struct " + t.name + " for the json field \""
          + key + "\"");
    }
    return new Lookup(f.type, f.strategies, f.mergeKey);
  }

  /** PatchMetaFromStruct.LookupPatchMetadataForSlice: the element type of a slice field. */
  static Lookup lookupForSlice(Type t, String key) {
    Lookup l = lookupForStruct(t, key);
    Type ft = l.type;
    switch (ft.kind) {
      case OPAQUE:
        return l;
      case SLICE:
        if (ft.elem.kind == Kind.SLICE) {
          throw PatchException.internal("unexpected slice of slice");
        }
        return new Lookup(ft.elem, l.strategies, l.mergeKey);
      case POINTER:
        // a pointer to a slice gives its element, a pointer to anything else that thing
        Type p = ft.elem.kind == Kind.SLICE ? ft.elem.elem : ft.elem;
        return new Lookup(p, l.strategies, l.mergeKey);
      default:
        throw PatchException.internal("expected slice or array type, but got: " + t.goKind);
    }
  }

  // ================================================================ the built-in kinds

  private static Type s(String name) {
    return Type.struct(name);
  }

  private static Type list(Type elem) {
    return Type.slice(elem);
  }

  private static final String MERGE = "merge";

  /** metav1.ObjectMeta. */
  private static final Type OBJECT_META = s("ObjectMeta")
      .field("labels", Type.map(Type.STRING))
      .field("annotations", Type.map(Type.STRING))
      .field("ownerReferences", list(s("OwnerReference")), MERGE, "uid")
      .field("finalizers", list(Type.STRING), MERGE, "")
      .field("managedFields", list(s("ManagedFieldsEntry")));

  private static Type withMeta(String name) {
    return s(name).field("metadata", OBJECT_META);
  }

  private static Type conditions(String statusName, String conditionName) {
    return s(statusName).field("conditions", list(s(conditionName)), MERGE, "type");
  }

  private static Type containerLike(String name) {
    return s(name)
        .field("ports", list(s("ContainerPort")), MERGE, "containerPort")
        .field("env", list(s("EnvVar")), MERGE, "name")
        .field("envFrom", list(s("EnvFromSource")))
        .field("volumeMounts", list(s("VolumeMount")), MERGE, "mountPath")
        .field("volumeDevices", list(s("VolumeDevice")), MERGE, "devicePath");
  }

  /** core/v1 Container. */
  private static final Type CONTAINER = containerLike("Container");
  /** core/v1 EphemeralContainer (EphemeralContainerCommon is inlined). */
  private static final Type EPHEMERAL_CONTAINER = containerLike("EphemeralContainer");

  private static final Type CONTAINER_STATUS = s("ContainerStatus")
      .field("volumeMounts", list(s("VolumeMountStatus")), MERGE, "mountPath")
      .field("allocatedResourcesStatus", list(s("ResourceStatus")), MERGE, "name");

  /** core/v1 PodSpec. */
  private static final Type POD_SPEC = s("PodSpec")
      .field("volumes", list(s("Volume")), "merge,retainKeys", "name")
      .field("initContainers", list(CONTAINER), MERGE, "name")
      .field("containers", list(CONTAINER), MERGE, "name")
      .field("ephemeralContainers", list(EPHEMERAL_CONTAINER), MERGE, "name")
      .field("imagePullSecrets", list(s("LocalObjectReference")), MERGE, "name")
      .field("hostAliases", list(s("HostAlias")), MERGE, "ip")
      .field("topologySpreadConstraints", list(s("TopologySpreadConstraint")), MERGE, "topologyKey")
      .field("schedulingGates", list(s("PodSchedulingGate")), MERGE, "name")
      .field("resourceClaims", list(s("PodResourceClaim")), "merge,retainKeys", "name")
      .field("tolerations", list(s("Toleration")));

  private static final Type POD_STATUS = conditions("PodStatus", "PodCondition")
      .field("hostIPs", list(s("HostIP")), MERGE, "ip")
      .field("podIPs", list(s("PodIP")), MERGE, "ip")
      .field("initContainerStatuses", list(CONTAINER_STATUS))
      .field("containerStatuses", list(CONTAINER_STATUS))
      .field("ephemeralContainerStatuses", list(CONTAINER_STATUS))
      .field("resourceClaimStatuses", list(s("PodResourceClaimStatus")), "merge,retainKeys", "name");

  /** core/v1 PodTemplateSpec, embedded by every workload. */
  private static final Type POD_TEMPLATE_SPEC = withMeta("PodTemplateSpec").field("spec", POD_SPEC);

  private static final Type PVC = withMeta("PersistentVolumeClaim")
      .field("status", conditions("PersistentVolumeClaimStatus", "PersistentVolumeClaimCondition"));

  private static Type workload(String kind, Type spec, Type status) {
    return withMeta(kind).field("spec", spec).field("status", status);
  }

  private static Type templated(String specName) {
    return s(specName).field("template", POD_TEMPLATE_SPEC);
  }

  private static final Type JOB_SPEC = templated("JobSpec");

  private static Type webhookConfiguration(String kind, String webhook) {
    return withMeta(kind).field("webhooks",
        list(s(webhook).field("matchConditions", list(s("MatchCondition")), MERGE, "name")), MERGE, "name");
  }

  private static final Map<String, Type> KINDS = new HashMap<>();

  private static void register(String group, Type type) {
    KINDS.put(group + "/" + type.name, type);
  }

  static {
    // core/v1
    register("", workload("Pod", POD_SPEC, POD_STATUS));
    register("", withMeta("PodTemplate").field("template", POD_TEMPLATE_SPEC));
    register("", workload("ReplicationController", templated("ReplicationControllerSpec"),
        conditions("ReplicationControllerStatus", "ReplicationControllerCondition")));
    register("", workload("Node",
        s("NodeSpec").field("podCIDRs", list(Type.STRING), MERGE, "").field("taints", list(s("Taint"))),
        conditions("NodeStatus", "NodeCondition").field("addresses", list(s("NodeAddress")), MERGE, "type")));
    register("", withMeta("Namespace").field("status", conditions("NamespaceStatus", "NamespaceCondition")));
    register("", workload("Service",
        s("ServiceSpec").field("ports", list(s("ServicePort")), MERGE, "port"),
        conditions("ServiceStatus", "Condition")));
    register("", withMeta("ServiceAccount")
        .field("secrets", list(s("ObjectReference")), MERGE, "name")
        .field("imagePullSecrets", list(s("LocalObjectReference"))));
    register("", PVC);
    register("", withMeta("ComponentStatus").field("conditions", list(s("ComponentCondition")), MERGE, "type"));
    for (String kind : List.of("Endpoints", "ConfigMap", "Secret", "Event", "LimitRange", "ResourceQuota",
        "PersistentVolume", "Binding")) {
      register("", withMeta(kind));
    }
    // apps/v1
    register("apps", workload("Deployment",
        templated("DeploymentSpec").field("strategy", s("DeploymentStrategy"), "retainKeys", ""),
        conditions("DeploymentStatus", "DeploymentCondition")));
    register("apps", workload("ReplicaSet", templated("ReplicaSetSpec"),
        conditions("ReplicaSetStatus", "ReplicaSetCondition")));
    register("apps", workload("DaemonSet", templated("DaemonSetSpec"),
        conditions("DaemonSetStatus", "DaemonSetCondition")));
    register("apps", workload("StatefulSet",
        templated("StatefulSetSpec").field("volumeClaimTemplates", list(PVC)),
        conditions("StatefulSetStatus", "StatefulSetCondition")));
    register("apps", withMeta("ControllerRevision"));
    // batch/v1
    register("batch", workload("Job", JOB_SPEC, conditions("JobStatus", "JobCondition")));
    register("batch", withMeta("CronJob").field("spec",
        s("CronJobSpec").field("jobTemplate", withMeta("JobTemplateSpec").field("spec", JOB_SPEC))));
    // coordination, rbac, events, discovery, scheduling, networking: no patch strategies below ObjectMeta
    register("coordination.k8s.io", withMeta("Lease"));
    for (String kind : List.of("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding")) {
      register("rbac.authorization.k8s.io", withMeta(kind));
    }
    register("events.k8s.io", withMeta("Event"));
    register("discovery.k8s.io", withMeta("EndpointSlice"));
    register("scheduling.k8s.io", withMeta("PriorityClass"));
    for (String kind : List.of("Ingress", "IngressClass", "NetworkPolicy")) {
      register("networking.k8s.io", withMeta(kind));
    }
    register("autoscaling", withMeta("Scale"));
    // policy/v1, autoscaling/v2
    register("policy", workload("PodDisruptionBudget",
        s("PodDisruptionBudgetSpec").field("selector", s("LabelSelector"), "replace", ""),
        conditions("PodDisruptionBudgetStatus", "Condition")));
    register("autoscaling", withMeta("HorizontalPodAutoscaler").field("status",
        conditions("HorizontalPodAutoscalerStatus", "HorizontalPodAutoscalerCondition")));
    // admissionregistration/v1, storage/v1, flowcontrol/v1
    register("admissionregistration.k8s.io",
        webhookConfiguration("MutatingWebhookConfiguration", "MutatingWebhook"));
    register("admissionregistration.k8s.io",
        webhookConfiguration("ValidatingWebhookConfiguration", "ValidatingWebhook"));
    register("admissionregistration.k8s.io", withMeta("ValidatingAdmissionPolicy").field("spec",
        s("ValidatingAdmissionPolicySpec")
            .field("matchConditions", list(s("MatchCondition")), MERGE, "name")
            .field("variables", list(s("Variable")), MERGE, "name")));
    register("storage.k8s.io", withMeta("CSINode").field("spec",
        s("CSINodeSpec").field("drivers", list(s("CSINodeDriver")), MERGE, "name")));
    register("flowcontrol.apiserver.k8s.io", withMeta("FlowSchema")
        .field("status", conditions("FlowSchemaStatus", "FlowSchemaCondition")));
    register("flowcontrol.apiserver.k8s.io", withMeta("PriorityLevelConfiguration")
        .field("status", conditions("PriorityLevelConfigurationStatus", "PriorityLevelConfigurationCondition")));
  }

  private static final Type GENERIC = withMeta("Object");

  static {
    java.util.Set<Type> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    KINDS.values().forEach(t -> t.freeze(seen));
    GENERIC.freeze(seen);
  }

  // ================================================================ server-side apply

  /**
   * How server-side apply (structured-merge-diff) treats a list: {@code atomic} (replaced whole), {@code set}
   * (scalars merged by value) or {@code map} (items merged by {@code keys}; a key an item omits takes its
   * {@code keyDefaults} value). These are the {@code +listType}/{@code +listMapKey} markers of the API types, which
   * strategic merge patch ignores.
   */
  public record ListType(String type, List<String> keys, Map<String, String> keyDefaults) {
    public static final ListType ATOMIC = new ListType("atomic", List.of(), Map.of());
    public static final ListType SET = new ListType("set", List.of(), Map.of());

    public static ListType map(String... keys) {
      return new ListType("map", List.of(keys), Map.of());
    }

    public ListType withDefault(String key, String value) {
      Map<String, String> d = new HashMap<>(keyDefaults);
      d.put(key, value);
      return new ListType(type, keys, Map.copyOf(d));
    }
  }

  /**
   * The lists whose server-side-apply semantics differ from what their patch tags imply (a merge key means a
   * map keyed by it, merge without key a set, anything else atomic), by Go type and JSON field, from the
   * k8s.io/api v0.32 markers (the apply schema of client-go's applyconfigurations): keys with more fields than
   * the patch merge key, lists merged by patches but atomic for apply, and keyed lists without patch strategy.
   */
  private static final Map<String, ListType> APPLY_LISTS = Map.ofEntries(
      Map.entry("Container.ports", ListType.map("containerPort", "protocol").withDefault("protocol", "TCP")),
      Map.entry("EphemeralContainer.ports",
          ListType.map("containerPort", "protocol").withDefault("protocol", "TCP")),
      Map.entry("ServiceSpec.ports", ListType.map("port", "protocol").withDefault("protocol", "TCP")),
      Map.entry("PodSpec.topologySpreadConstraints", ListType.map("topologyKey", "whenUnsatisfiable")),
      Map.entry("PodStatus.hostIPs", ListType.ATOMIC),
      Map.entry("JobStatus.conditions", ListType.ATOMIC),
      Map.entry("ResourceRequirements.claims", ListType.map("name")),
      Map.entry("ResourceStatus.resources", ListType.map("resourceID")),
      Map.entry("UncountedTerminatedPods.succeeded", ListType.SET),
      Map.entry("UncountedTerminatedPods.failed", ListType.SET),
      Map.entry("PodFailurePolicyOnExitCodesRequirement.values", ListType.SET),
      Map.entry("Endpoint.addresses", ListType.SET));

  /**
   * The structs server-side apply treats as one value ({@code +structType=atomic}): an applier owns all of
   * such a struct or none of it.
   */
  private static final java.util.Set<String> ATOMIC_STRUCTS = java.util.Set.of("CrossVersionObjectReference",
      "ConfigMapKeySelector", "EndpointAddress", "EndpointPort", "LocalObjectReference", "NodeSelector",
      "NodeSelectorTerm", "ObjectFieldSelector", "ObjectReference", "ResourceFieldSelector", "ScopeSelector",
      "SecretKeySelector", "SecretReference", "TopologySelectorTerm", "TypedLocalObjectReference", "RoleRef",
      "Subject", "LabelSelector", "OwnerReference");

  /**
   * The server-side-apply semantics of list field {@code jsonName} of Go struct {@code goType}, whose patch
   * tags are {@code field} (null when the table does not declare it): the markers where they differ from the
   * tags, else what the tags imply (kube-openapi's schemaconv does the same for types without markers).
   */
  public static ListType applyListType(String goType, String jsonName, Field field) {
    ListType override = APPLY_LISTS.get(goType + "." + jsonName);
    if (override != null) {
      return override;
    }
    if (field != null && field.strategy().equals(MERGE)) {
      return field.mergeKey().isEmpty() ? ListType.SET : ListType.map(field.mergeKey());
    }
    return ListType.ATOMIC;
  }

  /** Whether server-side apply treats Go struct {@code goType} as atomic. */
  public static boolean isAtomicStruct(String goType) {
    return ATOMIC_STRUCTS.contains(goType);
  }

  /** The API group of an apiVersion ("v1" is the core group ""). */
  static String group(String apiVersion) {
    if (apiVersion == null) {
      return "";
    }
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  /** The schema of a built-in kind, by API group and kind (the version does not change the tags). */
  public static Optional<Type> forKind(String apiVersion, String kind) {
    return Optional.ofNullable(KINDS.get(group(apiVersion) + "/" + kind));
  }

  /** Whether the table knows the kind. */
  public static boolean isKnown(String apiVersion, String kind) {
    return forKind(apiVersion, kind).isPresent();
  }

  /** What kinds missing from the table get: ObjectMeta under metadata, everything else opaque. */
  public static Type generic() {
    return GENERIC;
  }

  /**
   * The field at a dotted path of a kind, lists traversed to their elements ({@code "spec.containers.ports"}
   * or {@code "spec.containers[].ports"}), if the table declares it.
   */
  public static Optional<Field> describe(String apiVersion, String kind, String path) {
    Type t = forKind(apiVersion, kind).orElse(GENERIC);
    Field f = null;
    for (String part : path.split("\\.")) {
      String name = part.endsWith("[]") ? part.substring(0, part.length() - 2) : part;
      while (t != null && (t.kind == Kind.SLICE || t.kind == Kind.MAP || t.kind == Kind.POINTER)) {
        t = t.elem;
      }
      if (t == null || t.kind != Kind.STRUCT) {
        return Optional.empty();
      }
      f = t.fields.get(name);
      if (f == null) {
        return Optional.empty();
      }
      t = f.type;
    }
    return Optional.ofNullable(f);
  }

  /** All table entries, as {@code group/Kind}. */
  public static List<String> knownKinds() {
    return KINDS.keySet().stream().sorted().toList();
  }
}
