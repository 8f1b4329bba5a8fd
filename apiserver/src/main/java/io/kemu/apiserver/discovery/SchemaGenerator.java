package io.kemu.apiserver.discovery;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.kemu.api.KubeJson;
import io.kemu.apiserver.discovery.OpenApiMarkers.FieldMarkers;
import io.kemu.apiserver.discovery.OpenApiMarkers.TypeMarkers;
import io.kemu.apiserver.patch.PatchMeta;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * OpenAPI v3 schemas of the served kinds, as kube-apiserver publishes them under {@code components.schemas}:
 * one definition per Go type, named after its Go package ({@code io.k8s.api.core.v1.PodSpec},
 * {@code io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta}), linked by {@code $ref}.
 *
 * <p>Where each part comes from:
 * <ul>
 *   <li>the fields of a type: the fabric8 model class, introspected by Jackson the way
 *       {@link io.kemu.apiserver.request.BodyDecoder} does, so that what {@code kubectl explain} shows is what
 *       {@code fieldValidation=Strict} accepts;</li>
 *   <li>the name of a type and the Go type behind fields fabric8 flattens (a {@code metav1.Time} is a Java
 *       String, {@code int32}/{@code int64}, {@code []byte}): the client-java-proto descriptors
 *       ({@link ProtoTypes}), walked alongside the classes;</li>
 *   <li>{@code x-kubernetes-patch-strategy}/{@code -patch-merge-key}: {@link PatchMeta}, walked alongside too;</li>
 *   <li>{@code required}, {@code x-kubernetes-list-type}/{@code -list-map-keys}, {@code x-kubernetes-map-type},
 *       {@code enum}: {@link OpenApiMarkers}.</li>
 * </ul>
 * Shapes follow kube-openapi's v3 output (k8s.io/kube-openapi pkg/builder3): a property holding another type is
 * {@code {"allOf":[{"$ref":…}]}} (the wrapper carries the property's own extensions), array items and map values
 * are plain {@code $ref}s, the top-level kinds carry {@code x-kubernetes-group-version-kind}. Descriptions of
 * the upstream types are not reproduced; top-level kinds get a short one of kemu's own. Defaults
 * ({@code "default": {}}) are left out: no client reads them.
 *
 * <p>Use: {@link #addKind} for every kind, then {@link #build}. Not thread-safe; the result is immutable.
 */
final class SchemaGenerator {
  static final String REF = "#/components/schemas/";
  static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
  static final String INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
  static final String TIME = "io.k8s.apimachinery.pkg.apis.meta.v1.Time";
  static final String MICRO_TIME = "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime";
  static final String FIELDS_V1 = "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1";
  static final String RAW_EXTENSION = "io.k8s.apimachinery.pkg.runtime.RawExtension";
  static final String PATCH = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";
  private static final String DURATION = "io.k8s.apimachinery.pkg.apis.meta.v1.Duration";

  private static final String MODEL = "io.fabric8.kubernetes.api.model";

  /** fabric8 classes with a hand-written JSON form, by class name: the definition they stand for. */
  private static final Map<String, String> SPECIAL_CLASSES = Map.of(
      MODEL + ".Quantity", QUANTITY,
      MODEL + ".IntOrString", INT_OR_STRING,
      MODEL + ".MicroTime", MICRO_TIME,
      MODEL + ".FieldsV1", FIELDS_V1,
      MODEL + ".Duration", DURATION,
      MODEL + ".runtime.RawExtension", RAW_EXTENSION);

  /**
   * The definitions of the Go types with a custom JSON form (their OpenAPIDefinition / OpenAPISchemaType,
   * OpenAPIV3OneOfTypes and OpenAPISchemaFormat methods in k8s.io/apimachinery). metav1.Duration is inlined as a
   * string, as kube-openapi does for it.
   */
  private static final Map<String, ObjectNode> SPECIAL_SCHEMAS = new LinkedHashMap<>();

  static {
    SPECIAL_SCHEMAS.put(QUANTITY, oneOf(null, "string", "number"));
    SPECIAL_SCHEMAS.put(INT_OR_STRING, oneOf("int-or-string", "integer", "string"));
    SPECIAL_SCHEMAS.put(TIME, scalar("string", "date-time"));
    SPECIAL_SCHEMAS.put(MICRO_TIME, scalar("string", "date-time"));
    SPECIAL_SCHEMAS.put(FIELDS_V1, scalar("object", null));
    SPECIAL_SCHEMAS.put(RAW_EXTENSION, scalar("object", null));
    SPECIAL_SCHEMAS.put(PATCH, scalar("object", null));
  }

  /**
   * One kind to describe: its GVK, model class, patch tags (null when PatchMeta has none) and the description of
   * its definition (may be null).
   */
  record Kind(String group, String version, String kind, Class<?> type, PatchMeta.Type patch, String description) {}

  private final ProtoTypes proto;
  private final OpenApiMarkers markers;

  // what the walk finds
  private final Set<Class<?>> models = new LinkedHashSet<>();
  private final Map<Class<?>, Descriptor> protoOf = new HashMap<>();
  private final Map<Class<?>, Map<String, PatchMeta.Field>> patchOf = new HashMap<>();
  private final Map<Class<?>, List<Kind>> kindsOf = new LinkedHashMap<>();
  private final Set<List<Object>> visited = new HashSet<>();
  private final Map<Class<?>, Map<String, JavaType>> properties = new HashMap<>();

  // what build makes
  private final Map<Class<?>, String> names = new HashMap<>();
  private final Map<String, ObjectNode> schemas = new TreeMap<>();
  private final Map<String, Set<String>> refs = new HashMap<>();

  SchemaGenerator(ProtoTypes proto, OpenApiMarkers markers) {
    this.proto = proto;
    this.markers = markers;
  }

  /** Adds a kind and every type it reaches. */
  void addKind(Kind k) {
    kindsOf.computeIfAbsent(k.type(), c -> new ArrayList<>()).add(k);
    Descriptor d = proto.message(ProtoTypes.protoPackage(k.group(), k.version()), k.kind()).orElse(null);
    walk(k.type(), d, k.patch());
  }

  /** The definitions, with the references between them. */
  Schemas build() {
    for (Class<?> c : models) {
      names.put(c, definitionName(c));
    }
    Map<String, Class<?>> byName = new HashMap<>();
    for (Class<?> c : models) {
      Class<?> other = byName.putIfAbsent(names.get(c), c);
      if (other != null) {
        throw new IllegalStateException(c.getName() + " and " + other.getName() + " would both be "
            + names.get(c));
      }
    }
    SPECIAL_SCHEMAS.forEach((name, s) -> {
      schemas.put(name, s);
      refs.put(name, Set.of());
    });
    for (Class<?> c : models) {
      String name = names.get(c);
      Set<String> deps = new TreeSet<>();
      schemas.put(name, typeSchema(c, name, deps));
      refs.put(name, Collections.unmodifiableSet(deps));
    }
    Map<Kind, String> kinds = new LinkedHashMap<>();
    kindsOf.forEach((c, ks) -> ks.forEach(k -> kinds.put(k, names.get(c))));
    return new Schemas(Collections.unmodifiableMap(schemas), Collections.unmodifiableMap(refs),
        Collections.unmodifiableMap(kinds));
  }

  /** The generated definitions. */
  record Schemas(Map<String, ObjectNode> schemas, Map<String, Set<String>> refs, Map<Kind, String> kinds) {
    /** The definitions reachable from {@code roots}, sorted by name. */
    Map<String, ObjectNode> closure(Collection<String> roots) {
      Map<String, ObjectNode> out = new TreeMap<>();
      Deque<String> todo = new ArrayDeque<>(roots);
      while (!todo.isEmpty()) {
        String n = todo.pop();
        ObjectNode s = schemas.get(n);
        if (s != null && out.put(n, s) == null) {
          todo.addAll(refs.getOrDefault(n, Set.of()));
        }
      }
      return out;
    }

    /** The definition name of a kind. */
    String nameOf(Kind k) {
      return kinds.get(k);
    }
  }

  // ================================================================ the walk

  private static final Object NONE = new Object();

  /**
   * Visits a model class with what is known of its Go type at this place: the proto message and the patch tags.
   * A class is visited again when it is reached with other knowledge, so that every path contributes.
   */
  private void walk(Class<?> c, Descriptor d, PatchMeta.Type pt) {
    if (!isModel(c)) {
      return;
    }
    pt = struct(pt);
    if (!visited.add(List.of(c, d == null ? NONE : d, pt == null ? NONE : pt))) {
      return;
    }
    models.add(c);
    if (d != null) {
      protoOf.putIfAbsent(c, d);
    }
    for (Map.Entry<String, JavaType> e : propertiesOf(c).entrySet()) {
      String field = e.getKey();
      PatchMeta.Type childPatch = null;
      if (pt != null) {
        PatchMeta.Field f = pt.fieldNamed(field).orElse(null);
        if (f != null) {
          if (f.retainKeys() || !f.strategy().isEmpty()) {
            patchOf.computeIfAbsent(c, x -> new HashMap<>()).putIfAbsent(field, f);
          }
          childPatch = f.type();
        }
      }
      walk(element(e.getValue()).getRawClass(), ProtoTypes.valueMessage(ProtoTypes.field(d, field)), childPatch);
    }
  }

  /** The struct a PatchMeta type holds, through slices, maps and pointers; null if none. */
  private static PatchMeta.Type struct(PatchMeta.Type t) {
    while (t != null && t.elem() != null
        && (t.kind() == PatchMeta.Kind.SLICE || t.kind() == PatchMeta.Kind.MAP || t.kind() == PatchMeta.Kind.POINTER)) {
      t = t.elem();
    }
    return t != null && t.kind() == PatchMeta.Kind.STRUCT ? t : null;
  }

  private static JavaType element(JavaType t) {
    while (t.isContainerType() && t.getContentType() != null) {
      t = t.getContentType();
    }
    return t;
  }

  /** A fabric8 model bean described field by field (not one of the hand-written JSON forms). */
  private static boolean isModel(Class<?> c) {
    if (!c.getName().startsWith(MODEL + ".") || c.isEnum() || c.isInterface()
        || SPECIAL_CLASSES.containsKey(c.getName())) {
      return false;
    }
    JsonDeserialize custom = c.getAnnotation(JsonDeserialize.class);
    return custom == null || custom.using() == JsonDeserializer.None.class;
  }

  private Map<String, JavaType> propertiesOf(Class<?> c) {
    return properties.computeIfAbsent(c, SchemaGenerator::properties);
  }

  /** The JSON properties of a model class, sorted: those BodyDecoder accepts (settable ones). */
  static Map<String, JavaType> properties(Class<?> c) {
    BeanDescription desc = KubeJson.MAPPER.getDeserializationConfig().introspect(KubeJson.MAPPER.constructType(c));
    Map<String, JavaType> m = new TreeMap<>();
    for (BeanPropertyDefinition p : desc.findProperties()) {
      if (p.hasSetter() || p.hasField() || p.hasConstructorParameter()) {
        m.put(p.getName(), p.getPrimaryType());
      }
    }
    return m;
  }

  // ================================================================ names

  /**
   * The definition name of a model class: its proto message's when the walk found one, else the fabric8 package
   * mapped onto k8s.io/api ({@code ...model.apps -> apps/v1}, {@code ...model.batch.v1 -> batch/v1}); the base
   * package holds both core/v1 and meta/v1 types.
   */
  private String definitionName(Class<?> c) {
    Descriptor d = protoOf.get(c);
    if (d != null) {
      return ProtoTypes.definitionName(d.getFullName());
    }
    String simple = c.getSimpleName();
    String pkg = c.getPackageName();
    String protoPackage;
    if (pkg.equals(MODEL)) {
      protoPackage = proto.message(ProtoTypes.META, simple).isPresent() ? ProtoTypes.META : ProtoTypes.CORE;
    } else {
      String rest = pkg.substring(MODEL.length() + 1);
      protoPackage = "k8s.io.api." + (rest.matches(".*\\.v[0-9]+((alpha|beta)[0-9]+)?") ? rest : rest + ".v1");
    }
    return ProtoTypes.definitionName(protoPackage + "." + simple);
  }

  // ================================================================ schemas

  private ObjectNode typeSchema(Class<?> c, String name, Set<String> deps) {
    ObjectNode s = KubeJson.MAPPER.createObjectNode();
    List<Kind> kinds = kindsOf.getOrDefault(c, List.of());
    if (!kinds.isEmpty() && kinds.get(0).description() != null) {
      s.put("description", kinds.get(0).description());
    }
    s.put("type", "object");
    TypeMarkers tm = markers.forType(name).orElse(null);
    Descriptor d = protoOf.get(c);
    Map<String, PatchMeta.Field> patch = patchOf.getOrDefault(c, Map.of());
    Map<String, JavaType> props = propertiesOf(c);
    if (tm != null) {
      List<String> required = tm.required().stream().filter(props::containsKey).toList();
      if (!required.isEmpty()) {
        ArrayNode r = s.putArray("required");
        required.forEach(r::add);
      }
    }
    ObjectNode properties = s.putObject("properties");
    props.forEach((field, type) -> {
      ObjectNode p = valueSchema(type, ProtoTypes.field(d, field), true, deps);
      FieldMarkers fm = tm == null ? null : tm.fields().get(field);
      if (fm != null) {
        boolean array = "array".equals(p.path("type").asText());
        if (fm.enumValues() != null && "string".equals(p.path("type").asText())) {
          ArrayNode e = p.putArray("enum");
          fm.enumValues().forEach(e::add);
        }
        if (fm.listType() != null && array) {
          if (!fm.listMapKeys().isEmpty()) {
            ArrayNode keys = p.putArray("x-kubernetes-list-map-keys");
            fm.listMapKeys().forEach(keys::add);
          }
          p.put("x-kubernetes-list-type", fm.listType());
        }
        if (fm.mapType() != null && !array) {
          p.put("x-kubernetes-map-type", fm.mapType());
        }
      }
      PatchMeta.Field pf = patch.get(field);
      if (pf != null) {
        if (!pf.mergeKey().isEmpty()) {
          p.put("x-kubernetes-patch-merge-key", pf.mergeKey());
        }
        p.put("x-kubernetes-patch-strategy", String.join(",", pf.strategies()));
      }
      properties.set(field, p);
    });
    if (!kinds.isEmpty()) {
      ArrayNode gvks = s.putArray("x-kubernetes-group-version-kind");
      for (Kind k : kinds) {
        ObjectNode g = gvks.addObject();
        g.put("group", k.group());
        g.put("kind", k.kind());
        g.put("version", k.version());
      }
    }
    if (tm != null && tm.mapType() != null) {
      s.put("x-kubernetes-map-type", tm.mapType());
    }
    return s;
  }

  /**
   * The schema of a value of Java type {@code t} whose Go type the proto field {@code f} (possibly null) tells.
   * {@code property}: the schema is a property's, where a reference is wrapped in allOf.
   */
  private ObjectNode valueSchema(JavaType t, FieldDescriptor f, boolean property, Set<String> deps) {
    ObjectNode s = KubeJson.MAPPER.createObjectNode();
    if ((t.isCollectionLikeType() || t.isArrayType()) && t.getContentType() != null) {
      s.put("type", "array");
      s.set("items", valueSchema(t.getContentType(), f, false, deps));
      return s;
    }
    if (t.isMapLikeType()) {
      s.put("type", "object");
      s.set("additionalProperties", valueSchema(t.getContentType(), f, false, deps));
      return s;
    }
    Descriptor message = ProtoTypes.valueMessage(f);
    String goType = message == null ? null : ProtoTypes.definitionName(message.getFullName());
    Class<?> c = t.getRawClass();
    String special = SPECIAL_CLASSES.get(c.getName());
    if (DURATION.equals(goType) || DURATION.equals(special)) {
      return scalar("string", null);
    }
    if (goType != null && SPECIAL_SCHEMAS.containsKey(goType)) {
      return ref(goType, property, deps);
    }
    if (special != null) {
      return ref(special, property, deps);
    }
    if (isModel(c)) {
      return ref(names.get(c), property, deps);
    }
    FieldDescriptor.Type scalar = ProtoTypes.valueScalar(f);
    if (c == String.class || c == Character.class || c == char.class) {
      return scalar("string", scalar == FieldDescriptor.Type.BYTES ? "byte" : null);
    }
    if (c == Boolean.class || c == boolean.class) {
      return scalar("boolean", null);
    }
    if (c == Integer.class || c == int.class || c == Short.class || c == short.class || c == Long.class
        || c == long.class || c == BigInteger.class) {
      String format = c == Long.class || c == long.class || c == BigInteger.class ? "int64" : "int32";
      if (scalar == FieldDescriptor.Type.INT32) {
        format = "int32";
      } else if (scalar == FieldDescriptor.Type.INT64) {
        format = "int64";
      }
      return scalar("integer", format);
    }
    if (c == Double.class || c == double.class || c == Float.class || c == float.class
        || c == BigDecimal.class) {
      return scalar("number", "double");
    }
    // Object, JsonNode, Map<String, Object>...: any JSON object
    return scalar("object", null);
  }

  private static ObjectNode ref(String name, boolean property, Set<String> deps) {
    deps.add(name);
    ObjectNode r = KubeJson.MAPPER.createObjectNode().put("$ref", REF + name);
    if (!property) {
      return r;
    }
    ObjectNode s = KubeJson.MAPPER.createObjectNode();
    s.putArray("allOf").add(r);
    return s;
  }

  private static ObjectNode scalar(String type, String format) {
    ObjectNode s = KubeJson.MAPPER.createObjectNode().put("type", type);
    if (format != null) {
      s.put("format", format);
    }
    return s;
  }

  private static ObjectNode oneOf(String format, String... types) {
    ObjectNode s = KubeJson.MAPPER.createObjectNode();
    if (format != null) {
      s.put("format", format);
    }
    ArrayNode a = s.putArray("oneOf");
    for (String t : types) {
      a.addObject().put("type", t);
    }
    return s;
  }
}
