package io.kemu.apiserver.apply;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.kemu.api.KubeJson;
import io.kemu.apiserver.patch.PatchMeta;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The apply schema of the built-in kinds (what kube-apiserver's TypeConverter derives from the OpenAPI
 * models with kube-openapi's schemaconv): the shape of every type comes from its fabric8 class (structs,
 * maps, lists, scalars), the list semantics from {@link PatchMeta} (merge keys, and where apply differs from
 * the patch tags, {@link PatchMeta#applyListType}) and atomic structs from {@link PatchMeta#isAtomicStruct}.
 * Anything the classes do not describe is "deduced" from its value, as structured-merge-diff does for
 * untyped objects: maps granular, lists atomic.
 */
final class Schema {
  private Schema() {}

  enum Relationship { SEPARABLE, ATOMIC, ASSOCIATIVE }

  /** schema.Atom: what a type may be; a deduced type may be all three. */
  record Atom(boolean scalar, ListAtom list, MapAtom map) {}

  /** schema.List. */
  interface ListAtom {
    Type elementType();

    Relationship relationship();

    List<String> keys();

    /** The default of a key field an item may omit, or null. */
    String keyDefault(String key);
  }

  /** schema.Map: a struct (with fields) or a map (elementType only). */
  interface MapAtom {
    /** The type of the named struct field, or null when there is no such field. */
    Type field(String name);

    /** The type of keys that are not fields, or null for a struct (which has no other keys). */
    Type elementType();

    Relationship relationship();

    /** The type of key {@code name}: its field's, else the element type, else (undeclared) deduced. */
    default Type typeOf(String name) {
      Type f = field(name);
      if (f != null) {
        return f;
      }
      Type e = elementType();
      return e == null ? DEDUCED_TYPE : e;
    }
  }

  /** A schema.TypeRef, resolved. */
  abstract static class Type {
    abstract Atom atom();
  }

  // ------------------------------------------------------------------ untyped

  private static final class Fixed extends Type {
    private Atom atom;

    @Override
    Atom atom() {
      return atom;
    }
  }

  private static ListAtom list(Type elem, Relationship r, List<String> keys, Map<String, String> defaults) {
    return new ListAtom() {
      public Type elementType() {
        return elem;
      }

      public Relationship relationship() {
        return r;
      }

      public List<String> keys() {
        return keys;
      }

      public String keyDefault(String key) {
        return defaults.get(key);
      }
    };
  }

  private static MapAtom map(Type elem, Relationship r) {
    return new MapAtom() {
      public Type field(String name) {
        return null;
      }

      public Type elementType() {
        return elem;
      }

      public Relationship relationship() {
        return r;
      }
    };
  }

  /** {@code __untyped_atomic_}: anything, atomic all the way down. */
  static final Type UNTYPED_ATOMIC;
  /** {@code __untyped_deduced_}: maps granular, lists atomic, scalars leaves. */
  static final Type DEDUCED_TYPE;
  static final Type SCALAR;

  static {
    Fixed atomic = new Fixed();
    atomic.atom = new Atom(true, list(atomic, Relationship.ATOMIC, List.of(), Map.of()),
        map(atomic, Relationship.ATOMIC));
    UNTYPED_ATOMIC = atomic;
    Fixed deduced = new Fixed();
    deduced.atom = new Atom(true, list(atomic, Relationship.ATOMIC, List.of(), Map.of()),
        map(deduced, Relationship.SEPARABLE));
    DEDUCED_TYPE = deduced;
    Fixed scalar = new Fixed();
    scalar.atom = new Atom(true, null, null);
    SCALAR = scalar;
  }

  // ------------------------------------------------------------------ explicit schemas (tests)

  /** A named type whose atom is set after creation (types may refer to themselves). */
  static final class Named extends Type {
    private Atom atom;

    @Override
    Atom atom() {
      return atom;
    }

    void set(Atom a) {
      this.atom = a;
    }
  }

  static ListAtom listAtom(Type elem, Relationship r, List<String> keys, Map<String, String> defaults) {
    return list(elem, r, keys, defaults);
  }

  /** A map atom: {@code fields} (empty for a plain map) and the element type (null: a struct). */
  static MapAtom mapAtom(Map<String, Type> fields, Type elem, Relationship r) {
    return new MapAtom() {
      public Type field(String name) {
        return fields.get(name);
      }

      public Type elementType() {
        return elem;
      }

      public Relationship relationship() {
        return r;
      }
    };
  }

  // ------------------------------------------------------------------ typed

  private static final Map<Class<?>, Type> ROOTS = new ConcurrentHashMap<>();

  /** The schema of a built-in kind, or the deduced schema for classes kemu does not model. */
  static Type forKind(Class<?> cls, String apiVersion, String kind) {
    return ROOTS.computeIfAbsent(cls, c -> of(KubeJson.MAPPER.constructType(c),
        PatchMeta.forKind(apiVersion, kind).orElse(PatchMeta.generic()), null, null));
  }

  /**
   * The type of a value of Java type {@code jt} whose patch metadata is {@code pm} (may be null); for lists,
   * {@code owner} and {@code field} name the struct field holding it.
   */
  private static Type of(JavaType jt, PatchMeta.Type pm, String owner, PatchMeta.Field field) {
    Class<?> raw = jt.getRawClass();
    if (jt.isCollectionLikeType() || jt.isArrayType()) {
      PatchMeta.ListType lt = owner == null ? PatchMeta.ListType.ATOMIC
          : PatchMeta.applyListType(owner, field == null ? "" : field.name(), field);
      Type elem = of(jt.getContentType(), elem(pm), null, null);
      Relationship r = lt.type().equals("atomic") ? Relationship.ATOMIC : Relationship.ASSOCIATIVE;
      Fixed t = new Fixed();
      t.atom = new Atom(false, list(elem, r, lt.keys(), lt.keyDefaults()), null);
      return t;
    }
    if (jt.isMapLikeType()) {
      Fixed t = new Fixed();
      t.atom = new Atom(false, null, map(of(jt.getContentType(), elem(pm), null, null), Relationship.SEPARABLE));
      return t;
    }
    if (raw == String.class || raw.isPrimitive() || Number.class.isAssignableFrom(raw) || raw == Boolean.class
        || raw.isEnum()) {
      return SCALAR;
    }
    if (isModelBean(raw)) {
      return new Struct(jt, pm == null ? null : deref(pm));
    }
    return DEDUCED_TYPE;
  }

  private static PatchMeta.Type deref(PatchMeta.Type t) {
    return t.kind() == PatchMeta.Kind.POINTER ? t.elem() : t;
  }

  /** The patch metadata of the elements of a list or map type. */
  private static PatchMeta.Type elem(PatchMeta.Type pm) {
    if (pm == null) {
      return null;
    }
    PatchMeta.Type t = deref(pm);
    if (t.kind() == PatchMeta.Kind.SLICE || t.kind() == PatchMeta.Kind.MAP) {
      return t.elem() == null ? null : deref(t.elem());
    }
    return null;
  }

  private static boolean isModelBean(Class<?> raw) {
    if (!raw.getName().startsWith("io.fabric8.kubernetes.api.model") || raw.isInterface()) {
      return false;
    }
    JsonDeserialize custom = raw.getAnnotation(JsonDeserialize.class);
    return custom == null || custom.using() == JsonDeserializer.None.class;
  }

  /** A struct: its fields are the JSON properties of the fabric8 class. */
  private static final class Struct extends Type implements MapAtom {
    private final PatchMeta.Type pm;
    private final String goName;
    private final Map<String, JavaType> properties;
    private final Map<String, Optional<Type>> fields = new ConcurrentHashMap<>();
    private final Atom atom;

    Struct(JavaType jt, PatchMeta.Type pm) {
      this.pm = pm;
      this.goName = jt.getRawClass().getSimpleName();
      this.properties = properties(jt);
      this.atom = new Atom(false, null, this);
    }

    @Override
    Atom atom() {
      return atom;
    }

    @Override
    public Type field(String name) {
      return fields.computeIfAbsent(name, n -> {
        JavaType jt = properties.get(n);
        if (jt == null) {
          return Optional.empty();
        }
        PatchMeta.Field f = pm == null || pm.kind() != PatchMeta.Kind.STRUCT ? null
            : pm.fieldNamed(n).orElse(null);
        return Optional.of(of(jt, f == null ? null : f.type(), goName,
            f != null ? f : new PatchMeta.Field(n, PatchMeta.Type.OPAQUE, List.of(""), "")));
      }).orElse(null);
    }

    /** A struct has no element type: other keys are "not declared in schema". */
    @Override
    public Type elementType() {
      return null;
    }

    @Override
    public Relationship relationship() {
      return PatchMeta.isAtomicStruct(goName) ? Relationship.ATOMIC : Relationship.SEPARABLE;
    }
  }

  private static final Map<JavaType, Map<String, JavaType>> PROPERTIES = new ConcurrentHashMap<>();

  private static Map<String, JavaType> properties(JavaType type) {
    return PROPERTIES.computeIfAbsent(type, t -> {
      BeanDescription desc = KubeJson.MAPPER.getDeserializationConfig().introspect(t);
      Map<String, JavaType> m = new HashMap<>();
      for (BeanPropertyDefinition p : desc.findProperties()) {
        if (p.hasSetter() || p.hasField() || p.hasConstructorParameter()) {
          m.put(p.getName(), p.getPrimaryType());
        }
      }
      return m;
    });
  }
}
