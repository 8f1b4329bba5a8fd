package io.kemu.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import io.kemu.apiserver.apply.ManagedFields.VersionedSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * structured-merge-diff's merge.Updater (merge/update.go) for one API version: the ownership bookkeeping of
 * updates (the writer takes every field it changed from the others) and applies (the configuration is
 * merged in, fields the applier no longer applies are pruned, changing others' fields is a conflict unless
 * forced). {@code ignored} are the fields no manager may own (the strategy's reset fields).
 */
final class Updater {
  /** One conflicting field: the manager identifier owning it and its path. */
  record Conflict(String manager, List<PathElement> path) {}

  /** merge.Conflicts, as an exception. */
  static final class ConflictsException extends RuntimeException {
    private final List<Conflict> conflicts;

    ConflictsException(List<Conflict> conflicts) {
      super("conflicts", null, false, false);
      this.conflicts = List.copyOf(conflicts);
    }

    List<Conflict> conflicts() {
      return conflicts;
    }
  }

  private final Schema.Type type;
  private final FieldSet ignored;

  Updater(Schema.Type type, FieldSet ignored) {
    this.type = type;
    this.ignored = ignored == null ? new FieldSet() : ignored;
  }

  /**
   * Updater.update: removes from the other managers the fields {@code newObject} changed (conflicts, unless
   * forced) and those it removed. Returns the comparison of the objects.
   */
  private Typed.Comparison update(JsonNode oldObject, JsonNode newObject, String version,
                                  Map<String, VersionedSet> managers, String workflow, boolean force) {
    Typed.Comparison compare = Typed.compare(oldObject, newObject, type).excludeFields(ignored);
    Map<String, VersionedSet> conflicts = new TreeMap<>();
    Map<String, VersionedSet> removed = new TreeMap<>();
    for (Map.Entry<String, VersionedSet> e : managers.entrySet()) {
      if (e.getKey().equals(workflow)) {
        continue;
      }
      VersionedSet managerSet = e.getValue();
      FieldSet conflictSet = managerSet.set().intersection(compare.modified().union(compare.added()));
      if (!conflictSet.isEmpty()) {
        conflicts.put(e.getKey(), new VersionedSet(conflictSet, managerSet.apiVersion(), false));
      }
      if (!compare.removed().isEmpty()) {
        removed.put(e.getKey(), new VersionedSet(compare.removed(), managerSet.apiVersion(), false));
      }
    }
    if (!force && !conflicts.isEmpty()) {
      throw new ConflictsException(conflictsFromManagers(conflicts));
    }
    conflicts.forEach((m, c) -> {
      VersionedSet vs = managers.get(m);
      managers.put(m, new VersionedSet(vs.set().difference(c.set()), vs.apiVersion(), vs.applied()));
    });
    removed.forEach((m, r) -> {
      VersionedSet vs = managers.get(m);
      managers.put(m, new VersionedSet(vs.set().difference(r.set()), vs.apiVersion(), vs.applied()));
    });
    managers.entrySet().removeIf(e -> e.getValue().set().isEmpty());
    return compare;
  }

  /** merge.ConflictsFromManagers: one conflict per path, managers in identifier order. */
  static List<Conflict> conflictsFromManagers(Map<String, VersionedSet> sets) {
    List<Conflict> out = new ArrayList<>();
    sets.forEach((m, vs) -> vs.set().iterate(p -> out.add(new Conflict(m, p))));
    return out;
  }

  /**
   * Updater.Update: after a create, update or patch, {@code manager} owns what it changed in addition to what
   * it owned; the others lose it.
   */
  void update(JsonNode liveObject, JsonNode newObject, String version, Map<String, VersionedSet> managers,
              String manager) {
    Typed.Comparison compare = update(liveObject, newObject, version, managers, manager, true);
    VersionedSet mine = managers.get(manager);
    FieldSet set = (mine == null ? new FieldSet() : mine.set()).difference(compare.removed())
        .union(compare.modified()).union(compare.added());
    set = set.recursiveDifference(ignored);
    if (set.isEmpty()) {
      managers.remove(manager);
    } else {
      managers.put(manager, new VersionedSet(set, version, false));
    }
  }

  /**
   * Updater.Apply: merges {@code configObject} into {@code liveObject}, records it as {@code manager}'s applied
   * set, prunes what the manager applied last time and no longer does (unless someone else owns it), and
   * checks for conflicts. Returns the new object (a NullNode when empty), or null when nothing changed.
   */
  JsonNode apply(JsonNode liveObject, JsonNode configObject, String version, Map<String, VersionedSet> managers,
                 String manager, boolean force) {
    JsonNode newObject = Typed.merge(liveObject, configObject, type);
    VersionedSet lastSet = managers.get(manager);
    FieldSet set = Typed.toFieldSet(configObject, type).recursiveDifference(ignored);
    managers.put(manager, new VersionedSet(set, version, true));
    newObject = prune(newObject, managers, manager, lastSet);
    if (newObject == null) {
      newObject = com.fasterxml.jackson.databind.node.NullNode.instance;
    }
    update(liveObject, newObject, version, managers, manager, force);
    if (Values.equal(liveObject == null ? com.fasterxml.jackson.databind.node.NullNode.instance : liveObject,
        newObject)) {
      return null;
    }
    return newObject;
  }

  /**
   * prune: removes a field, list or map item iff the applier applied it last time, does not now, and no other
   * manager owns it.
   */
  private JsonNode prune(JsonNode merged, Map<String, VersionedSet> managers, String applyingManager,
                         VersionedSet lastSet) {
    if (lastSet == null || lastSet.set().isEmpty()) {
      return merged;
    }
    FieldSet last = lastSet.set().ensureNamedFieldsAreMembers(type);
    JsonNode pruned = Typed.removeItems(merged, last, type);
    pruned = addBackOwnedItems(merged, pruned, managers);
    return addBackDanglingItems(merged, pruned, lastSet);
  }

  /** addBackOwnedItems: puts back what was pruned but another manager (or the new configuration) owns. */
  private JsonNode addBackOwnedItems(JsonNode merged, JsonNode pruned, Map<String, VersionedSet> managers) {
    FieldSet managed = new FieldSet();
    for (VersionedSet vs : managers.values()) {
      managed = managed.union(vs.set());
    }
    FieldSet mergedSet = Typed.toFieldSet(merged, type).ensureNamedFieldsAreMembers(type);
    FieldSet prunedSet = Typed.toFieldSet(pruned, type).ensureNamedFieldsAreMembers(type);
    return Typed.removeItems(merged, mergedSet.difference(prunedSet.union(managed.ensureNamedFieldsAreMembers(type))),
        type);
  }

  /** addBackDanglingItems: puts back what was pruned but the applier never owned (unowned or updaters'). */
  private JsonNode addBackDanglingItems(JsonNode merged, JsonNode pruned, VersionedSet lastSet) {
    FieldSet prunedSet = Typed.toFieldSet(pruned, type).ensureNamedFieldsAreMembers(type);
    FieldSet mergedSet = Typed.toFieldSet(merged, type).ensureNamedFieldsAreMembers(type);
    FieldSet last = lastSet.set().ensureNamedFieldsAreMembers(type);
    return Typed.removeItems(merged, mergedSet.difference(prunedSet).intersection(last), type);
  }
}
