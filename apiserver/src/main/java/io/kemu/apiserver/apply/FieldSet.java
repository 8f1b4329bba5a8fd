package io.kemu.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kemu.api.KubeJson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A set of field paths (structured-merge-diff's fieldpath.Set): the paths that end here ({@code members}) and,
 * per first element, the set of the rest ({@code children}). A path may be both a member and a prefix of
 * others. Converts to and from the FieldsV1 JSON of managedFields. Sets are mutable only through
 * {@link #insert}; the set operations return new sets.
 */
public final class FieldSet {
  private final NavigableSet<PathElement> members = new TreeSet<>();
  private final NavigableMap<PathElement, FieldSet> children = new TreeMap<>();

  public FieldSet() {}

  public static FieldSet of(List<List<PathElement>> paths) {
    FieldSet s = new FieldSet();
    paths.forEach(s::insert);
    return s;
  }

  /** Set.Insert. */
  public void insert(List<PathElement> path) {
    if (path.isEmpty()) {
      return;
    }
    FieldSet s = this;
    for (int i = 0; i < path.size() - 1; i++) {
      s = s.children.computeIfAbsent(path.get(i), k -> new FieldSet());
    }
    s.members.add(path.get(path.size() - 1));
  }

  /** Inserts a path given as field names. */
  public FieldSet insertFields(String... names) {
    List<PathElement> p = new ArrayList<>();
    for (String n : names) {
      p.add(PathElement.field(n));
    }
    insert(p);
    return this;
  }

  /** Set.Has. */
  public boolean has(List<PathElement> path) {
    if (path.isEmpty()) {
      return false;
    }
    FieldSet s = this;
    for (int i = 0; i < path.size() - 1; i++) {
      s = s.children.get(path.get(i));
      if (s == null) {
        return false;
      }
    }
    return s.members.contains(path.get(path.size() - 1));
  }

  public boolean hasMember(PathElement pe) {
    return members.contains(pe);
  }

  /** Set.WithPrefix: the paths under {@code pe}, without it. */
  public FieldSet withPrefix(PathElement pe) {
    FieldSet c = children.get(pe);
    return c == null ? new FieldSet() : c;
  }

  /** Set.Empty. */
  public boolean isEmpty() {
    if (!members.isEmpty()) {
      return false;
    }
    for (FieldSet c : children.values()) {
      if (!c.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** Set.Size: the number of paths. */
  public int size() {
    int n = members.size();
    for (FieldSet c : children.values()) {
      n += c.size();
    }
    return n;
  }

  /** Set.Union. */
  public FieldSet union(FieldSet o) {
    FieldSet out = new FieldSet();
    out.members.addAll(members);
    out.members.addAll(o.members);
    out.children.putAll(children);
    o.children.forEach((pe, s) -> {
      FieldSet mine = children.get(pe);
      out.children.put(pe, mine == null ? s : mine.union(s));
    });
    return out;
  }

  /** Set.Intersection. */
  public FieldSet intersection(FieldSet o) {
    FieldSet out = new FieldSet();
    for (PathElement m : members) {
      if (o.members.contains(m)) {
        out.members.add(m);
      }
    }
    children.forEach((pe, s) -> {
      FieldSet other = o.children.get(pe);
      if (other != null) {
        FieldSet res = s.intersection(other);
        if (!res.isEmpty()) {
          out.children.put(pe, res);
        }
      }
    });
    return out;
  }

  /** Set.Difference: the paths of this set that are not in {@code o} (a member of o removes only itself). */
  public FieldSet difference(FieldSet o) {
    FieldSet out = new FieldSet();
    for (PathElement m : members) {
      if (!o.members.contains(m)) {
        out.members.add(m);
      }
    }
    children.forEach((pe, s) -> {
      FieldSet other = o.children.get(pe);
      if (other == null) {
        out.children.put(pe, s);
      } else {
        FieldSet diff = s.difference(other);
        if (!diff.isEmpty()) {
          out.children.put(pe, diff);
        }
      }
    });
    return out;
  }

  /** Set.RecursiveDifference: like difference, but a member of {@code o} also removes everything under it. */
  public FieldSet recursiveDifference(FieldSet o) {
    FieldSet out = new FieldSet();
    for (PathElement m : members) {
      if (!o.members.contains(m)) {
        out.members.add(m);
      }
    }
    children.forEach((pe, s) -> {
      if (o.members.contains(pe)) {
        return;
      }
      FieldSet other = o.children.get(pe);
      if (other == null) {
        out.children.put(pe, s);
      } else {
        FieldSet diff = s.recursiveDifference(other);
        if (!diff.isEmpty()) {
          out.children.put(pe, diff);
        }
      }
    });
    return out;
  }

  /** Set.Leaves: the members that prefix nothing. */
  public FieldSet leaves() {
    FieldSet out = new FieldSet();
    for (PathElement m : members) {
      if (!children.containsKey(m)) {
        out.members.add(m);
      }
    }
    children.forEach((pe, s) -> out.children.put(pe, s.leaves()));
    return out;
  }

  /**
   * Set.EnsureNamedFieldsAreMembers: every prefix that names a field of a struct in {@code type} becomes a
   * member too (so removing the field removes its whole value).
   */
  FieldSet ensureNamedFieldsAreMembers(Schema.Type type) {
    FieldSet out = new FieldSet();
    out.members.addAll(members);
    Schema.Atom atom = type.atom();
    children.forEach((pe, s) -> {
      Schema.Type childType = Schema.DEDUCED_TYPE;
      if (pe.isField() && atom.map() != null) {
        if (atom.map().field(pe.fieldName()) != null) {
          out.members.add(pe);
        }
        childType = atom.map().typeOf(pe.fieldName());
      } else if (pe.isKey() && atom.list() != null) {
        childType = atom.list().elementType();
      }
      out.children.put(pe, s.ensureNamedFieldsAreMembers(childType));
    });
    return out;
  }

  /** Set.Iterate: members first, then each child's paths, in order. */
  public void iterate(Consumer<List<PathElement>> f) {
    iteratePrefix(new ArrayList<>(), f);
  }

  private void iteratePrefix(List<PathElement> prefix, Consumer<List<PathElement>> f) {
    for (PathElement m : members) {
      List<PathElement> p = new ArrayList<>(prefix);
      p.add(m);
      f.accept(List.copyOf(p));
    }
    children.forEach((pe, s) -> {
      List<PathElement> p = new ArrayList<>(prefix);
      p.add(pe);
      s.iteratePrefix(p, f);
    });
  }

  public List<List<PathElement>> paths() {
    List<List<PathElement>> out = new ArrayList<>();
    iterate(out::add);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FieldSet s)) {
      return false;
    }
    return members.equals(s.members) && children.equals(s.children);
  }

  @Override
  public int hashCode() {
    return members.size() * 31 + children.size();
  }

  /** Set.String: one path a line. */
  @Override
  public String toString() {
    List<String> lines = new ArrayList<>();
    iterate(p -> lines.add(PathElement.pathString(p)));
    return String.join("\n", lines);
  }

  // ------------------------------------------------------------------ FieldsV1

  /** Set.ToJSON, as a tree: members as {@code {}}, {@code "."} for a member that also has children. */
  public ObjectNode toJson() {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    emit(out, false);
    return out;
  }

  /** The FieldsV1 bytes, in upstream's key order. */
  public String toJsonString() {
    return KubeJson.string(toJson());
  }

  /** emitContentsV1. */
  private void emit(ObjectNode out, boolean includeSelf) {
    if (includeSelf && !(members.isEmpty() && children.isEmpty())) {
      out.putObject(".");
    }
    Iterator<PathElement> mi = members.iterator();
    Iterator<Map.Entry<PathElement, FieldSet>> ci = children.entrySet().iterator();
    PathElement m = mi.hasNext() ? mi.next() : null;
    Map.Entry<PathElement, FieldSet> c = ci.hasNext() ? ci.next() : null;
    while (m != null || c != null) {
      int cmp = m == null ? 1 : c == null ? -1 : m.compareTo(c.getKey());
      if (cmp < 0) {
        out.putObject(m.serialize());
        m = mi.hasNext() ? mi.next() : null;
      } else if (cmp > 0) {
        c.getValue().emit(out.putObject(c.getKey().serialize()), false);
        c = ci.hasNext() ? ci.next() : null;
      } else {
        c.getValue().emit(out.putObject(c.getKey().serialize()), true);
        m = mi.hasNext() ? mi.next() : null;
        c = ci.hasNext() ? ci.next() : null;
      }
    }
  }

  /** Set.FromJSON (readIterV1). Keys of unknown types are skipped, malformed ones fail. */
  public static FieldSet fromJson(JsonNode json) {
    FieldSet s = read(json);
    return s == null ? new FieldSet() : s;
  }

  public static FieldSet fromJson(String json) {
    return fromJson(KubeJson.tree(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  /** Returns the children set or null; the caller learns membership from {@link #readIsMember}. */
  private static FieldSet read(JsonNode json) {
    FieldSet children = null;
    if (json == null || !json.isObject()) {
      return null;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals(".")) {
        continue;
      }
      PathElement pe;
      try {
        pe = PathElement.deserialize(e.getKey());
      } catch (PathElement.UnknownType u) {
        continue;
      }
      FieldSet grandchildren = read(e.getValue());
      if (readIsMember(e.getValue(), grandchildren)) {
        if (children == null) {
          children = new FieldSet();
        }
        children.members.add(pe);
      }
      if (grandchildren != null) {
        if (children == null) {
          children = new FieldSet();
        }
        FieldSet existing = children.children.get(pe);
        children.children.put(pe, existing == null ? grandchildren : existing.union(grandchildren));
      }
    }
    return children;
  }

  /** A node is a member when it has a "." entry or no (known) children at all. */
  private static boolean readIsMember(JsonNode json, FieldSet children) {
    return children == null || (json != null && json.has("."));
  }
}
