package io.kemu.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.kemu.apiserver.apply.Schema.Atom;
import io.kemu.apiserver.apply.Schema.ListAtom;
import io.kemu.apiserver.apply.Schema.MapAtom;
import io.kemu.apiserver.apply.Schema.Relationship;
import io.kemu.apiserver.apply.Schema.Type;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * structured-merge-diff's typed package over Jackson trees: the walkers that validate a value against its
 * schema ({@code validate.go}), list the fields it sets ({@code tofieldset.go}), compare two values
 * ({@code compare.go}), merge an applied configuration into a live object ({@code merge.go}) and remove a set
 * of fields ({@code remove.go}). Absent values are Java {@code null}; explicit nulls are {@code NullNode}s.
 */
final class Typed {
  private Typed() {}

  /** typed.ValidationErrors: path-prefixed messages. */
  static final class ValidationException extends RuntimeException {
    private final List<String[]> errors;

    ValidationException(List<String[]> errors) {
      super(format(errors), null, false, false);
      this.errors = errors;
    }

    private static String format(List<String[]> errors) {
      if (errors.size() == 1) {
        return one(errors.get(0));
      }
      List<String> lines = new ArrayList<>(List.of("errors:"));
      errors.forEach(e -> lines.add("  " + one(e)));
      return String.join("\n", lines);
    }

    private static String one(String[] e) {
      return e[0].isEmpty() ? e[1] : e[0] + ": " + e[1];
    }

    List<String[]> errors() {
      return errors;
    }
  }

  /** The result of {@link #compare}: typed.Comparison. */
  record Comparison(FieldSet removed, FieldSet modified, FieldSet added) {
    boolean isSame() {
      return removed.isEmpty() && modified.isEmpty() && added.isEmpty();
    }

    /** Comparison.ExcludeFields. */
    Comparison excludeFields(FieldSet fields) {
      if (fields == null || fields.isEmpty()) {
        return this;
      }
      return new Comparison(removed.recursiveDifference(fields), modified.recursiveDifference(fields),
          added.recursiveDifference(fields));
    }
  }

  // ------------------------------------------------------------------ helpers.go

  /** The part of the atom the value is (deduceAtom); the whole atom when it fits none. */
  private static Atom deduce(Atom atom, JsonNode v) {
    if (v == null) {
      return atom;
    }
    if (Values.isScalar(v)) {
      if (atom.scalar()) {
        return new Atom(true, null, null);
      }
    } else if (v.isArray()) {
      if (atom.list() != null) {
        return new Atom(false, atom.list(), null);
      }
    } else if (v.isObject()) {
      if (atom.map() != null) {
        return new Atom(false, null, atom.map());
      }
    }
    return atom;
  }

  private static boolean sameAtom(Atom a, Atom b) {
    return a.scalar() == b.scalar() && a.list() == b.list() && a.map() == b.map();
  }

  private interface AtomHandler {
    void doScalar();

    void doList(ListAtom t);

    void doMap(MapAtom t);
  }

  /** handleAtom: maps first, then scalars, then lists. */
  private static void handle(Atom a, AtomHandler h) {
    if (a.map() != null) {
      h.doMap(a.map());
    } else if (a.scalar()) {
      h.doScalar();
    } else if (a.list() != null) {
      h.doList(a.list());
    }
  }

  private static JsonNode listValue(JsonNode v) {
    return v != null && v.isArray() ? v : null;
  }

  private static JsonNode mapValue(JsonNode v) {
    return v != null && v.isObject() ? v : null;
  }

  private static final class SchemaError extends Exception {
    SchemaError(String message) {
      super(message, null, false, false);
    }
  }

  /** listItemToPathElement. */
  static PathElement listItemToPathElement(ListAtom list, JsonNode child) throws SchemaError {
    if (list.relationship() != Relationship.ASSOCIATIVE) {
      throw new SchemaError("invalid indexing of non-associative list");
    }
    if (!list.keys().isEmpty()) {
      if (child == null || child.isNull()) {
        throw new SchemaError("associative list with keys may not have a null element");
      }
      if (!child.isObject()) {
        throw new SchemaError("associative list with keys may not have non-map elements");
      }
      List<PathElement.KeyField> key = new ArrayList<>();
      for (String name : list.keys()) {
        JsonNode v = child.get(name);
        if (v != null) {
          key.add(new PathElement.KeyField(name, v));
        } else if (list.keyDefault(name) != null) {
          key.add(new PathElement.KeyField(name, TextNode.valueOf(list.keyDefault(name))));
        } else {
          throw new SchemaError("associative list with keys has an element that omits key field \"" + name
              + "\" (and doesn't have default value)");
        }
      }
      return PathElement.key(key);
    }
    if (child.isObject()) {
      throw new SchemaError("associative list without keys has an element that's a map type");
    }
    if (child.isArray()) {
      throw new SchemaError("not supported: associative list with lists as elements");
    }
    if (child.isNull()) {
      throw new SchemaError("associative list without keys has an element that's an explicit null");
    }
    return PathElement.value(child);
  }

  private static List<PathElement> append(List<PathElement> path, PathElement pe) {
    List<PathElement> p = new ArrayList<>(path.size() + 1);
    p.addAll(path);
    p.add(pe);
    return p;
  }

  // ------------------------------------------------------------------ validate.go

  /** TypedValue.Validate: fails with every problem found (unknown fields, bad or duplicate list keys). */
  static void validate(JsonNode v, Type type, boolean allowDuplicates) {
    List<String[]> errs = new ArrayList<>();
    validate(v, type, "", allowDuplicates, errs);
    if (!errs.isEmpty()) {
      throw new ValidationException(errs);
    }
  }

  private static void validate(JsonNode v, Type type, String prefix, boolean allowDuplicates, List<String[]> errs) {
    Atom a = deduce(type.atom(), v);
    handle(a, new AtomHandler() {
      public void doScalar() {
        if (v != null && !v.isNull() && !Values.isScalar(v)) {
          errs.add(new String[] {prefix, "expected any scalar, got " + Values.toGoString(v)});
        }
      }

      public void doList(ListAtom t) {
        if (v == null || v.isNull()) {
          return;
        }
        if (!v.isArray()) {
          errs.add(new String[] {prefix, "expected list, got " + Values.toGoString(v)});
          return;
        }
        Set<PathElement> observed = new TreeSet<>();
        for (int i = 0; i < v.size(); i++) {
          JsonNode child = v.get(i);
          PathElement pe;
          if (t.relationship() != Relationship.ASSOCIATIVE) {
            pe = PathElement.index(i);
          } else {
            try {
              pe = listItemToPathElement(t, child);
            } catch (SchemaError e) {
              errs.add(new String[] {prefix, "element " + i + ": " + e.getMessage()});
              return;
            }
            if (observed.contains(pe) && !allowDuplicates) {
              errs.add(new String[] {prefix, "duplicate entries for key " + pe});
            }
            observed.add(pe);
          }
          validate(child, t.elementType(), prefix + pe, allowDuplicates, errs);
        }
      }

      public void doMap(MapAtom t) {
        if (v == null || v.isNull()) {
          return;
        }
        if (!v.isObject()) {
          errs.add(new String[] {prefix, "expected map, got " + Values.toGoString(v)});
          return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          PathElement pe = PathElement.field(e.getKey());
          Type tr = t.field(e.getKey());
          if (tr == null) {
            tr = t.elementType();
            if (tr == null) {
              errs.add(new String[] {prefix + pe, "field not declared in schema"});
              return;
            }
          }
          validate(e.getValue(), tr, prefix + pe, allowDuplicates, errs);
        }
      }
    });
  }

  // ------------------------------------------------------------------ tofieldset.go

  /** TypedValue.ToFieldSet: every field the value sets (leaves, list items, empty and unknown maps). */
  static FieldSet toFieldSet(JsonNode v, Type type) {
    FieldSet set = new FieldSet();
    toFieldSet(v, type, List.of(), set);
    return set;
  }

  private static void toFieldSet(JsonNode v, Type type, List<PathElement> path, FieldSet set) {
    Atom a = deduce(type.atom(), v);
    handle(a, new AtomHandler() {
      public void doScalar() {
        set.insert(path);
      }

      public void doList(ListAtom t) {
        JsonNode list = listValue(v);
        if (t.relationship() == Relationship.ATOMIC) {
          set.insert(path);
          return;
        }
        if (list == null) {
          return;
        }
        List<PathElement> pes = new ArrayList<>();
        Set<PathElement> seen = new TreeSet<>();
        Set<PathElement> duplicates = new TreeSet<>();
        for (JsonNode child : list) {
          PathElement pe = itemPathElement(t, child);
          pes.add(pe);
          if (pe == null) {
            continue;
          }
          if (seen.contains(pe)) {
            if (!duplicates.contains(pe)) {
              set.insert(append(path, pe));
              duplicates.add(pe);
            }
          } else {
            seen.add(pe);
          }
        }
        for (int i = 0; i < list.size(); i++) {
          PathElement pe = pes.get(i);
          if (pe == null || duplicates.contains(pe)) {
            continue;
          }
          List<PathElement> p = append(path, pe);
          toFieldSet(list.get(i), t.elementType(), p, set);
          set.insert(p);
        }
      }

      public void doMap(MapAtom t) {
        JsonNode m = mapValue(v);
        if (t.relationship() == Relationship.ATOMIC) {
          set.insert(path);
          return;
        }
        if (m == null) {
          return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          List<PathElement> p = append(path, PathElement.field(e.getKey()));
          JsonNode val = e.getValue();
          toFieldSet(val, t.typeOf(e.getKey()), p, set);
          if (val.isNull() || (val.isObject() && val.size() == 0)) {
            set.insert(p);
          } else if (t.field(e.getKey()) == null) {
            set.insert(p);
          }
        }
      }
    });
  }

  private static PathElement itemPathElement(ListAtom t, JsonNode child) {
    try {
      return listItemToPathElement(t, child);
    } catch (SchemaError e) {
      return null;
    }
  }

  // ------------------------------------------------------------------ compare.go

  /** TypedValue.Compare: the fields removed, modified and added from {@code lhs} to {@code rhs}. */
  static Comparison compare(JsonNode lhs, JsonNode rhs, Type type) {
    Comparison c = new Comparison(new FieldSet(), new FieldSet(), new FieldSet());
    new Compare(lhs, rhs, type, List.of(), c).compare();
    return c;
  }

  private static final class Compare implements AtomHandler {
    final JsonNode lhs;
    final JsonNode rhs;
    final Type type;
    final List<PathElement> path;
    final Comparison c;
    boolean inLeaf;

    Compare(JsonNode lhs, JsonNode rhs, Type type, List<PathElement> path, Comparison c) {
      this.lhs = lhs;
      this.rhs = rhs;
      this.type = type;
      this.path = path;
      this.c = c;
    }

    void compare() {
      Atom a = type.atom();
      Atom alhs = deduce(a, lhs);
      Atom arhs = deduce(a, rhs);
      if (rhs == null) {
        handle(alhs, this);
      } else if (lhs == null || sameAtom(alhs, arhs)) {
        handle(arhs, this);
      } else {
        handle(alhs, new Compare(lhs, rhs, type, path, c));
        handle(arhs, this);
      }
      if (!inLeaf) {
        if (lhs == null) {
          c.added().insert(path);
        } else if (rhs == null) {
          c.removed().insert(path);
        }
      }
    }

    void doLeaf() {
      if (inLeaf) {
        return;
      }
      inLeaf = true;
      if (lhs == null) {
        c.added().insert(path);
      } else if (rhs == null) {
        c.removed().insert(path);
      } else if (!Values.equal(rhs, lhs)) {
        c.modified().insert(path);
      }
    }

    @Override
    public void doScalar() {
      doLeaf();
    }

    @Override
    public void doList(ListAtom t) {
      JsonNode l = listValue(lhs);
      JsonNode r = listValue(rhs);
      boolean emptyPromoteToLeaf = (l == null || l.size() == 0) && (r == null || r.size() == 0);
      if (t.relationship() == Relationship.ATOMIC || emptyPromoteToLeaf) {
        doLeaf();
        return;
      }
      if (l == null && r == null) {
        return;
      }
      visitListItems(t, l, r);
    }

    private void visitListItems(ListAtom t, JsonNode l, JsonNode r) {
      List<PathElement> all = new ArrayList<>();
      Map<PathElement, List<JsonNode>> lValues = new TreeMap<>();
      Map<PathElement, List<JsonNode>> rValues = new TreeMap<>();
      if (l != null) {
        for (JsonNode child : l) {
          PathElement pe = itemPathElement(t, child);
          if (pe == null) {
            continue;
          }
          List<JsonNode> vs = lValues.get(pe);
          if (vs != null) {
            vs.add(child);
          } else {
            lValues.put(pe, new ArrayList<>(List.of(child)));
            all.add(pe);
          }
        }
      }
      if (r != null) {
        for (JsonNode child : r) {
          PathElement pe = itemPathElement(t, child);
          if (pe == null) {
            continue;
          }
          List<JsonNode> vs = rValues.get(pe);
          if (vs != null) {
            vs.add(child);
          } else {
            rValues.put(pe, new ArrayList<>(List.of(child)));
            if (!lValues.containsKey(pe)) {
              all.add(pe);
            }
          }
        }
      }
      for (PathElement pe : all) {
        List<JsonNode> ll = lValues.getOrDefault(pe, List.of());
        List<JsonNode> rl = rValues.getOrDefault(pe, List.of());
        if (ll.size() <= 1 && rl.size() <= 1) {
          item(t, pe, ll.isEmpty() ? null : ll.get(0), rl.isEmpty() ? null : rl.get(0));
        } else if (ll.size() >= 2 && rl.size() >= 2) {
          boolean same = ll.size() == rl.size();
          for (int i = 0; same && i < ll.size(); i++) {
            same = Values.equal(ll.get(i), rl.get(i));
          }
          if (!same) {
            c.modified().insert(append(path, pe));
          }
        } else if (ll.size() >= 2) {
          if (!rl.isEmpty()) {
            item(t, pe, null, rl.get(0));
          }
          c.removed().insert(append(path, pe));
        } else {
          if (!ll.isEmpty()) {
            item(t, pe, ll.get(0), null);
          }
          c.added().insert(append(path, pe));
        }
      }
    }

    private void item(ListAtom t, PathElement pe, JsonNode l, JsonNode r) {
      new Compare(l, r, t.elementType(), append(path, pe), c).compare();
    }

    @Override
    public void doMap(MapAtom t) {
      JsonNode l = mapValue(lhs);
      JsonNode r = mapValue(rhs);
      boolean emptyPromoteToLeaf = (l == null || l.size() == 0) && (r == null || r.size() == 0);
      if (t.relationship() == Relationship.ATOMIC || emptyPromoteToLeaf) {
        doLeaf();
        return;
      }
      if (l == null && r == null) {
        return;
      }
      for (String key : zipKeys(l, r)) {
        new Compare(l == null ? null : l.get(key), r == null ? null : r.get(key), t.typeOf(key),
            append(path, PathElement.field(key)), c).compare();
      }
    }
  }

  private static Set<String> zipKeys(JsonNode l, JsonNode r) {
    Set<String> keys = new LinkedHashSet<>();
    if (l != null) {
      l.fieldNames().forEachRemaining(keys::add);
    }
    if (r != null) {
      r.fieldNames().forEachRemaining(keys::add);
    }
    return keys;
  }

  // ------------------------------------------------------------------ merge.go

  /**
   * TypedValue.Merge with ruleKeepRHS: {@code rhs} merged into {@code lhs}, its values winning; associative
   * list items merged by key in an order that keeps both sides' relative orders. Returns null when the
   * result is empty.
   */
  static JsonNode merge(JsonNode lhs, JsonNode rhs, Type type) {
    List<String[]> errs = new ArrayList<>();
    Merge m = new Merge(lhs, rhs, type, "", errs);
    m.merge();
    if (!errs.isEmpty()) {
      throw new ValidationException(errs);
    }
    return m.out;
  }

  private static final class Merge implements AtomHandler {
    final JsonNode lhs;
    final JsonNode rhs;
    final Type type;
    final String prefix;
    final List<String[]> errs;
    boolean inLeaf;
    JsonNode out;

    Merge(JsonNode lhs, JsonNode rhs, Type type, String prefix, List<String[]> errs) {
      this.lhs = lhs;
      this.rhs = rhs;
      this.type = type;
      this.prefix = prefix;
      this.errs = errs;
    }

    void merge() {
      Atom a = type.atom();
      Atom alhs = deduce(a, lhs);
      Atom arhs = deduce(a, rhs);
      if (rhs == null) {
        handle(alhs, this);
      } else if (lhs == null || sameAtom(alhs, arhs)) {
        handle(arhs, this);
      } else {
        handle(alhs, new Merge(lhs, rhs, type, prefix, new ArrayList<>()));
        handle(arhs, this);
      }
    }

    /** ruleKeepRHS. */
    void doLeaf() {
      if (inLeaf) {
        return;
      }
      inLeaf = true;
      if (rhs != null) {
        out = rhs.deepCopy();
      } else if (lhs != null) {
        out = lhs.deepCopy();
      }
    }

    @Override
    public void doScalar() {
      doLeaf();
    }

    @Override
    public void doList(ListAtom t) {
      JsonNode l = listValue(lhs);
      JsonNode r = listValue(rhs);
      boolean emptyPromoteToLeaf = (l == null || l.size() == 0) && (r == null || r.size() == 0);
      if (t.relationship() == Relationship.ATOMIC || emptyPromoteToLeaf) {
        doLeaf();
        return;
      }
      if (l == null && r == null) {
        return;
      }
      visitListItems(t, l, r);
    }

    /** indexListPathElements. */
    private List<PathElement> index(ListAtom t, JsonNode list, boolean allowDuplicates,
                                    Map<PathElement, JsonNode> observed) {
      List<PathElement> pes = new ArrayList<>();
      if (list == null) {
        return pes;
      }
      for (int i = 0; i < list.size(); i++) {
        JsonNode child = list.get(i);
        PathElement pe;
        try {
          pe = listItemToPathElement(t, child);
        } catch (SchemaError e) {
          errs.add(new String[] {prefix, "element " + i + ": " + e.getMessage()});
          continue;
        }
        boolean found = observed.containsKey(pe);
        if (found && !allowDuplicates) {
          errs.add(new String[] {prefix, "duplicate entries for key " + pe});
          continue;
        } else if (!found) {
          observed.put(pe, child);
        } else {
          observed.put(pe, NullNode.instance);
        }
        pes.add(pe);
      }
      return pes;
    }

    private void visitListItems(ListAtom t, JsonNode l, JsonNode r) {
      Map<PathElement, JsonNode> observedRhs = new TreeMap<>();
      Map<PathElement, JsonNode> observedLhs = new TreeMap<>();
      int before = errs.size();
      List<PathElement> rhsPes = index(t, r, false, observedRhs);
      List<PathElement> lhsPes = index(t, l, true, observedLhs);
      if (errs.size() != before) {
        return;
      }
      // Keep the RHS order of the items both sides have; LHS-only items stay where they were.
      List<PathElement> sharedOrder = new ArrayList<>();
      for (PathElement pe : rhsPes) {
        if (observedLhs.containsKey(pe)) {
          sharedOrder.add(pe);
        }
      }
      int shared = 0;
      PathElement nextShared = shared < sharedOrder.size() ? sharedOrder.get(shared++) : null;
      Set<PathElement> mergedRhs = new TreeSet<>();
      ArrayNode result = JsonNodeFactory.instance.arrayNode();
      int lLen = lhsPes.size();
      int rLen = rhsPes.size();
      for (int li = 0, ri = 0; li < lLen || ri < rLen; ) {
        if (li < lLen && ri < rLen) {
          PathElement pe = lhsPes.get(li);
          if (pe.equals(rhsPes.get(ri))) {
            mergedRhs.add(pe);
            addItem(result, t, pe, observedLhs.get(pe), observedRhs.get(pe));
            li++;
            ri++;
            nextShared = shared < sharedOrder.size() ? sharedOrder.get(shared++) : null;
            continue;
          }
          if (observedRhs.containsKey(pe) && nextShared != null && !nextShared.equals(lhsPes.get(li))) {
            li++;
            continue;
          }
        }
        if (li < lLen) {
          PathElement pe = lhsPes.get(li);
          if (!observedRhs.containsKey(pe)) {
            addItem(result, t, pe, l.get(li), null);
            li++;
            continue;
          } else if (mergedRhs.contains(pe)) {
            li++;
          }
        }
        if (ri < rLen) {
          PathElement pe = rhsPes.get(ri);
          mergedRhs.add(pe);
          addItem(result, t, pe, observedLhs.get(pe), observedRhs.get(pe));
          ri++;
          if (nextShared != null && nextShared.equals(pe)) {
            nextShared = shared < sharedOrder.size() ? sharedOrder.get(shared++) : null;
          }
        }
      }
      if (result.size() > 0) {
        out = result;
      }
    }

    /** mergeListItem; errors inside items are dropped, as upstream's shadowed variable drops them. */
    private void addItem(ArrayNode result, ListAtom t, PathElement pe, JsonNode l, JsonNode r) {
      if (l == null && r == null) {
        return;
      }
      Merge m = new Merge(l, r, t.elementType(), prefix + pe, new ArrayList<>());
      m.merge();
      if (m.out != null) {
        result.add(m.out);
      }
    }

    @Override
    public void doMap(MapAtom t) {
      JsonNode l = mapValue(lhs);
      JsonNode r = mapValue(rhs);
      boolean emptyPromoteToLeaf = (l == null || l.size() == 0) && (r == null || r.size() == 0);
      if (t.relationship() == Relationship.ATOMIC || emptyPromoteToLeaf) {
        doLeaf();
        return;
      }
      if (l == null && r == null) {
        return;
      }
      ObjectNode result = JsonNodeFactory.instance.objectNode();
      for (String key : zipKeys(l, r)) {
        Merge m = new Merge(l == null ? null : l.get(key), r == null ? null : r.get(key), t.typeOf(key),
            prefix + PathElement.field(key), errs);
        m.merge();
        if (m.out != null) {
          result.set(key, m.out);
        }
      }
      if (result.size() > 0) {
        out = result;
      }
    }
  }

  // ------------------------------------------------------------------ remove.go

  /** TypedValue.RemoveItems: the value without the fields of {@code toRemove} (emptied containers become null). */
  static JsonNode removeItems(JsonNode v, FieldSet toRemove, Type type) {
    return remove(v, toRemove, type, false);
  }

  /** TypedValue.ExtractItems: only the fields of {@code toExtract}. */
  static JsonNode extractItems(JsonNode v, FieldSet toExtract, Type type) {
    return remove(v, toExtract, type, true);
  }

  private static JsonNode remove(JsonNode v, FieldSet toRemove, Type type, boolean extract) {
    JsonNode[] out = new JsonNode[1];
    handle(deduce(type.atom(), v), new AtomHandler() {
      public void doScalar() {
        out[0] = v;
      }

      public void doList(ListAtom t) {
        if (v == null || !v.isArray() || v.size() == 0) {
          return;
        }
        if (t.relationship() == Relationship.ATOMIC) {
          if (extract) {
            out[0] = v;
          }
          return;
        }
        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        for (JsonNode item : v) {
          PathElement pe = itemPathElement(t, item);
          if (pe == null) {
            items.add(item);
            continue;
          }
          if (toRemove.hasMember(pe)) {
            if (extract) {
              items.add(orNull(remove(item, toRemove, t.elementType(), true)));
            } else {
              continue;
            }
          }
          FieldSet subset = toRemove.withPrefix(pe);
          if (!subset.isEmpty()) {
            item = orNull(remove(item, subset, t.elementType(), extract));
          } else if (extract) {
            continue;
          }
          items.add(item);
        }
        if (items.size() > 0) {
          out[0] = items;
        }
      }

      public void doMap(MapAtom t) {
        if (v == null || !v.isObject() || v.size() == 0) {
          return;
        }
        if (t.relationship() == Relationship.ATOMIC) {
          if (extract) {
            out[0] = v;
          }
          return;
        }
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          PathElement pe = PathElement.field(e.getKey());
          Type ft = t.typeOf(e.getKey());
          JsonNode val = e.getValue();
          if (toRemove.hasMember(pe)) {
            if (extract) {
              m.set(e.getKey(), orNull(remove(val, toRemove, ft, true)));
            }
            continue;
          }
          FieldSet subset = toRemove.withPrefix(pe);
          if (!subset.isEmpty()) {
            val = orNull(remove(val, subset, ft, extract));
          } else if (extract) {
            continue;
          }
          m.set(e.getKey(), val);
        }
        if (m.size() > 0) {
          out[0] = m;
        }
      }
    });
    return out[0];
  }

  private static JsonNode orNull(JsonNode v) {
    return v == null ? NullNode.instance : v;
  }
}
