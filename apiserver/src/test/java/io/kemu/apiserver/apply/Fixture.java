package io.kemu.apiserver.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kemu.apiserver.apply.ManagedFields.VersionedSet;
import io.kemu.apiserver.apply.Schema.Relationship;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Java counterpart of structured-merge-diff's internal/fixture: a live object and its managers, driven by
 * Apply/Update operations through the {@link Updater}, with helpers to write the expected sets as upstream's
 * tests do ({@code _P}, {@code _NS}, {@code _V}, {@code _KBF}).
 */
final class Fixture {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  final Updater updater;
  JsonNode live = NullNode.instance;
  final Map<String, VersionedSet> managers = new TreeMap<>();

  Fixture(Schema.Type type) {
    this.updater = new Updater(type, null);
  }

  static JsonNode yaml(String s) {
    try {
      String text = s.stripIndent();
      JsonNode n = YAML.readTree(text);
      return n == null || n.isMissingNode() ? NullNode.instance : n;
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  Fixture apply(String manager, String yaml) {
    return apply(manager, yaml, false);
  }

  Fixture forceApply(String manager, String yaml) {
    return apply(manager, yaml, true);
  }

  Fixture apply(String manager, String yaml, boolean force) {
    JsonNode out = updater.apply(live, yaml(yaml), "v1", managers, manager, force);
    if (out != null) {
      live = out;
    }
    return this;
  }

  Fixture update(String manager, String yaml) {
    JsonNode obj = yaml(yaml);
    updater.update(live, obj, "v1", managers, manager);
    live = obj;
    return this;
  }

  /** An apply that must fail with exactly these conflicts (manager, path). */
  Fixture applyConflicts(String manager, String yaml, Object... managerPathPairs) {
    Map<String, VersionedSet> before = new TreeMap<>(managers);
    Updater.ConflictsException e = assertThrows(Updater.ConflictsException.class,
        () -> updater.apply(live, yaml(yaml), "v1", managers, manager, false));
    managers.clear();
    managers.putAll(before);
    List<String> want = new ArrayList<>();
    for (int i = 0; i < managerPathPairs.length; i += 2) {
      want.add(managerPathPairs[i] + " " + PathElement.pathString(P((Object[]) managerPathPairs[i + 1])));
    }
    List<String> got = new ArrayList<>();
    e.conflicts().forEach(c -> got.add(c.manager() + " " + PathElement.pathString(c.path())));
    assertEquals(want.stream().sorted().toList(), got.stream().sorted().toList());
    return this;
  }

  void expectObject(String yaml) {
    assertEquals(yaml(yaml), live);
  }

  /** Compares the managers' sets (not their versions or applied bits, as the upstream fixture's Difference). */
  void expectManaged(Map<String, FieldSet> want) {
    Map<String, String> got = new TreeMap<>();
    managers.forEach((m, vs) -> got.put(m, vs.set().toString()));
    Map<String, String> w = new TreeMap<>();
    want.forEach((m, s) -> w.put(m, s.toString()));
    assertEquals(w, got);
  }

  // ------------------------------------------------------------------ upstream's helpers

  static Object[] p(Object... parts) {
    return parts;
  }

  /** _P: a path from field names (String), indexes (Integer) and path elements. */
  static List<PathElement> P(Object... parts) {
    List<PathElement> out = new ArrayList<>();
    for (Object o : parts) {
      if (o instanceof String s) {
        out.add(PathElement.field(s));
      } else if (o instanceof Integer i) {
        out.add(PathElement.index(i));
      } else {
        out.add((PathElement) o);
      }
    }
    return out;
  }

  @SafeVarargs
  static FieldSet NS(List<PathElement>... paths) {
    return FieldSet.of(List.of(paths));
  }

  static PathElement V(Object v) {
    return PathElement.value(io.kemu.api.KubeJson.MAPPER.valueToTree(v));
  }

  static PathElement KBF(Object... nameValues) {
    return PathElement.key(nameValues);
  }

  static Map<String, FieldSet> managed(Object... managerSetPairs) {
    Map<String, FieldSet> m = new LinkedHashMap<>();
    for (int i = 0; i < managerSetPairs.length; i += 2) {
      m.put((String) managerSetPairs[i], (FieldSet) managerSetPairs[i + 1]);
    }
    return m;
  }

  // ------------------------------------------------------------------ schemas

  static Schema.Type scalar() {
    return Schema.SCALAR;
  }

  /** A struct: name, type, name, type... */
  static Schema.Type struct(Object... fields) {
    return map(Relationship.SEPARABLE, null, fields);
  }

  static Schema.Type atomicStruct(Object... fields) {
    return map(Relationship.ATOMIC, null, fields);
  }

  static Schema.Type mapOf(Schema.Type elem) {
    return map(Relationship.SEPARABLE, elem);
  }

  static Schema.Type map(Relationship r, Schema.Type elem, Object... fields) {
    Map<String, Schema.Type> f = new LinkedHashMap<>();
    for (int i = 0; i < fields.length; i += 2) {
      f.put((String) fields[i], (Schema.Type) fields[i + 1]);
    }
    Schema.Named t = new Schema.Named();
    t.set(new Schema.Atom(false, null, Schema.mapAtom(f, elem, r)));
    return t;
  }

  static Schema.Type atomicList(Schema.Type elem) {
    return list(elem, Relationship.ATOMIC, List.of(), Map.of());
  }

  static Schema.Type setOf(Schema.Type elem) {
    return list(elem, Relationship.ASSOCIATIVE, List.of(), Map.of());
  }

  static Schema.Type mapList(Schema.Type elem, String... keys) {
    return list(elem, Relationship.ASSOCIATIVE, List.of(keys), Map.of());
  }

  static Schema.Type list(Schema.Type elem, Relationship r, List<String> keys, Map<String, String> defaults) {
    Schema.Named t = new Schema.Named();
    t.set(new Schema.Atom(false, Schema.listAtom(elem, r, keys, defaults), null));
    return t;
  }
}
