package io.kemu.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kemu.api.KubeJson;
import io.kemu.api.ResourceType;
import io.kemu.apiserver.apply.ManagedFields.VersionedSet;
import io.kemu.apiserver.errors.ApiException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The field manager of one resource (or subresource) of a kind: k8s.io/apimachinery's
 * managedfields/internal FieldManager and its default chain of managers, in the same order
 * (NewDefaultFieldManager): version check, last-applied updater and manager (kubectl's client-side-apply
 * upgrade), skip-non-applied (tracking starts on create), cap of update managers, manager identifiers,
 * timestamps, stripping of metadata fields, and the structured merge. Objects are Kubernetes JSON trees.
 */
public final class FieldManager {
  /** kubectl's client-side apply annotation. */
  public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  /** DefaultMaxUpdateManagers. */
  static final int MAX_UPDATE_MANAGERS = 10;

  private static final FieldSet STRIP = new FieldSet()
      .insertFields("apiVersion").insertFields("kind").insertFields("metadata")
      .insertFields("metadata", "name").insertFields("metadata", "namespace")
      .insertFields("metadata", "creationTimestamp").insertFields("metadata", "selfLink")
      .insertFields("metadata", "uid").insertFields("metadata", "clusterName")
      .insertFields("metadata", "generation").insertFields("metadata", "managedFields")
      .insertFields("metadata", "resourceVersion");

  private final String apiVersion;
  private final String kind;
  private final String subresource;
  private final Schema.Type type;
  private final Updater updater;
  private final java.util.function.Supplier<ObjectNode> emptyObject;

  private FieldManager(String apiVersion, String kind, String subresource, Schema.Type type, FieldSet resetFields,
                       java.util.function.Supplier<ObjectNode> emptyObject) {
    this.apiVersion = apiVersion;
    this.kind = kind;
    this.subresource = subresource == null ? "" : subresource;
    this.type = type;
    this.updater = new Updater(type, resetFields);
    this.emptyObject = emptyObject;
  }

  /**
   * The field manager of a served resource ({@code subresource} "" or "status"). The reset fields are what the
   * strategies' GetResetFields name for kinds with a status subresource: the main resource may not own
   * status, the status subresource neither spec nor metadata.
   */
  public static FieldManager of(ResourceType t, String subresource) {
    FieldSet reset = new FieldSet();
    if (t.subresources().contains("status")) {
      if ("status".equals(subresource)) {
        reset.insertFields("spec");
        reset.insertFields("metadata");
      } else {
        reset.insertFields("status");
      }
    }
    return new FieldManager(t.apiVersion(), t.kind(), subresource,
        Schema.forKind(t.type(), t.apiVersion(), t.kind()), reset, () -> ZeroObjects.of(t));
  }

  /** A field manager for any kind, its schema deduced from values (tests, unknown kinds). */
  static FieldManager deduced(String apiVersion, String kind) {
    return new FieldManager(apiVersion, kind, "", Schema.DEDUCED_TYPE, new FieldSet(), () -> {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("apiVersion", apiVersion);
      o.put("kind", kind);
      return o;
    });
  }

  /** For tests: any schema. */
  static FieldManager withSchema(String apiVersion, String kind, Schema.Type type) {
    return new FieldManager(apiVersion, kind, "", type, new FieldSet(), () -> {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("apiVersion", apiVersion);
      o.put("kind", kind);
      return o;
    });
  }

  /** The object a create starts from (scope.Creater.New: the kind's zero value). */
  public ObjectNode emptyObject() {
    return emptyObject.get();
  }

  // ------------------------------------------------------------------ FieldManager.Update

  /**
   * FieldManager.UpdateNoErrors: the managedFields of {@code newObj} after a create ({@code liveObj} the empty
   * object), update or patch by {@code manager}. On error the live object's managedFields are kept.
   */
  public ObjectNode update(ObjectNode liveObj, ObjectNode newObj, String manager, Instant now) {
    try {
      return updateOrFail(liveObj, newObj, manager, now);
    } catch (RuntimeException e) {
      JsonNode live = liveObj.path("metadata").get("managedFields");
      if (live == null) {
        meta(newObj).remove("managedFields");
      } else {
        meta(newObj).set("managedFields", live.deepCopy());
      }
      return newObj;
    }
  }

  /** FieldManager.Update. */
  ObjectNode updateOrFail(ObjectNode liveObj, ObjectNode newObj, String manager, Instant now) {
    ManagedFields managed;
    try {
      managed = decodeLiveOrNew(liveObj, newObj, !subresource.isEmpty());
    } catch (IllegalArgumentException e) {
      return newObj;
    }
    meta(newObj).remove("managedFields");
    // skipNonAppliedManager: an object that was never tracked is not tracked by updates, only from its create
    if (managed.fields.isEmpty() && hasUid(liveObj)) {
      return newObj;
    }
    updateChain(liveObj, newObj, managed, manager, now);
    encode(newObj, managed);
    return newObj;
  }

  /** decodeLiveOrNew. */
  private static ManagedFields decodeLiveOrNew(ObjectNode liveObj, ObjectNode newObj, boolean ignoreNew) {
    JsonNode liveEntries = liveObj.path("metadata").get("managedFields");
    if (ignoreNew) {
      return decodeOrEmpty(liveEntries);
    }
    JsonNode newEntries = newObj.path("metadata").get("managedFields");
    if (isReset(newEntries)) {
      return new ManagedFields();
    }
    ManagedFields m;
    try {
      m = ManagedFields.decode(newEntries);
    } catch (IllegalArgumentException e) {
      return decodeOrEmpty(liveEntries);
    }
    return m.fields.isEmpty() ? decodeOrEmpty(liveEntries) : m;
  }

  private static ManagedFields decodeOrEmpty(JsonNode entries) {
    try {
      return ManagedFields.decode(entries);
    } catch (IllegalArgumentException e) {
      return new ManagedFields();
    }
  }

  /** isResetManagedFields: an empty list, or one empty entry, clears the managedFields. */
  private static boolean isReset(JsonNode entries) {
    if (entries == null || !entries.isArray()) {
      return false;
    }
    return entries.size() == 0 || (entries.size() == 1 && entries.get(0).isObject() && entries.get(0).size() == 0);
  }

  /** capManagers(buildManagerInfo(managedFieldsUpdater(stripMeta(structuredMerge)))).Update. */
  private void updateChain(ObjectNode liveObj, ObjectNode newObj, ManagedFields managed, String manager,
                           Instant now) {
    String id = ManagedFields.identifier(manager == null || manager.isEmpty() ? "unknown" : manager,
        ManagedFields.UPDATE, apiVersion, subresource);
    // managedFieldsUpdater: the operation runs as "current-operation", then is merged into the manager
    String self = "current-operation";
    updater.update(typedObject(liveObj), typedObject(newObj), apiVersion, managed.fields, self);
    strip(managed, self);
    VersionedSet vs = managed.fields.remove(self);
    if (vs != null) {
      VersionedSet previous = managed.fields.get(id);
      managed.fields.put(id, previous == null ? vs
          : new VersionedSet(vs.set().union(previous.set()), vs.apiVersion(), vs.applied()));
      managed.times.put(id, KubeJson.timestamp(now));
    }
    capUpdateManagers(managed);
  }

  private static void strip(ManagedFields managed, String manager) {
    VersionedSet vs = managed.fields.get(manager);
    if (vs != null) {
      FieldSet s = vs.set().difference(STRIP);
      if (s.isEmpty()) {
        managed.fields.remove(manager);
      } else {
        managed.fields.put(manager, new VersionedSet(s, vs.apiVersion(), vs.applied()));
      }
    }
  }

  /** capManagersManager.capUpdateManagers: the oldest update entries merge into "ancient-changes". */
  private static void capUpdateManagers(ManagedFields managed) {
    List<String> updaters = new ArrayList<>();
    managed.fields.forEach((m, vs) -> {
      if (!vs.applied()) {
        updaters.add(m);
      }
    });
    if (updaters.size() <= MAX_UPDATE_MANAGERS) {
      return;
    }
    updaters.sort((a, b) -> {
      long ta = ManagedFields.seconds(managed.times.get(a));
      long tb = ManagedFields.seconds(managed.times.get(b));
      return ta != tb ? Long.compare(ta, tb) : a.compareTo(b);
    });
    Map<String, String> versionToFirst = new LinkedHashMap<>();
    int length = updaters.size();
    for (int i = 0; i < updaters.size() && length > MAX_UPDATE_MANAGERS; i++) {
      String manager = updaters.get(i);
      VersionedSet vs = managed.fields.get(manager);
      String time = managed.times.get(manager);
      String version = vs.apiVersion();
      String bucket = ManagedFields.identifier("ancient-changes", ManagedFields.UPDATE, version, "");
      String first = versionToFirst.get(version);
      if (first != null) {
        if (!managed.fields.containsKey(bucket)) {
          VersionedSet s = managed.fields.remove(first);
          managed.fields.put(bucket, s);
        }
        managed.fields.put(bucket, new VersionedSet(vs.set().union(managed.fields.get(bucket).set()),
            vs.apiVersion(), vs.applied()));
        managed.fields.remove(manager);
        length--;
        managed.times.put(bucket, time);
      } else {
        versionToFirst.put(version, manager);
      }
    }
    managed.times.keySet().retainAll(managed.fields.keySet());
  }

  // ------------------------------------------------------------------ FieldManager.Apply

  /**
   * FieldManager.Apply: merges the applied configuration into {@code liveObj} (the empty object when the apply
   * creates it) as {@code manager}, and records the ownership. Conflicts are a 409 naming each field, unless
   * {@code force}; a configuration the schema rejects is a 500 as upstream's "failed to create typed patch
   * object".
   */
  public ObjectNode apply(ObjectNode liveObj, ObjectNode appliedObj, String manager, boolean force, Instant now) {
    ManagedFields managed;
    try {
      managed = ManagedFields.decode(liveObj.path("metadata").get("managedFields"));
    } catch (IllegalArgumentException e) {
      throw ApiException.internal("failed to decode managed fields: " + e.getMessage());
    }
    // versionCheckManager
    String gvApiVersion = appliedObj.path("apiVersion").asText("");
    String gvKind = appliedObj.path("kind").asText("");
    if (!gvApiVersion.equals(apiVersion) || !gvKind.equals(kind)) {
      throw ApiException.badRequest("invalid object type: " + gvk(gvApiVersion, gvKind));
    }
    ObjectNode result;
    try {
      result = applyLastApplied(liveObj, appliedObj, managed, manager, force, now);
    } catch (Updater.ConflictsException c) {
      throw conflictError(c.conflicts());
    }
    encode(result, managed);
    return result;
  }

  /** lastAppliedUpdater(lastAppliedManager(...)).Apply: kubectl's client-side apply upgrade. */
  private ObjectNode applyLastApplied(ObjectNode liveObj, ObjectNode appliedObj, ManagedFields managed,
                                      String manager, boolean force, Instant now) {
    ManagedFields snapshot = managed.copy();
    ObjectNode result;
    try {
      result = applySkipNonApplied(liveObj, appliedObj, managed, manager, force, now);
    } catch (Updater.ConflictsException c) {
      if (!"kubectl".equals(manager)) {
        throw c;
      }
      FieldSet allowed = allowedConflictsFromLastApplied(liveObj);
      if (allowed == null) {
        throw c;
      }
      FieldSet conflictSet = new FieldSet();
      c.conflicts().forEach(x -> conflictSet.insert(x.path()));
      if (!conflictSet.difference(allowed).isEmpty()) {
        List<Updater.Conflict> remaining = new ArrayList<>();
        for (Updater.Conflict x : c.conflicts()) {
          if (!allowed.has(x.path())) {
            remaining.add(x);
          }
        }
        throw new Updater.ConflictsException(remaining);
      }
      managed.fields.clear();
      managed.fields.putAll(snapshot.fields);
      managed.times.clear();
      managed.times.putAll(snapshot.times);
      result = applySkipNonApplied(liveObj, appliedObj, managed, manager, true, now);
    }
    // lastAppliedUpdater: kubectl's server-side apply keeps an existing last-applied annotation in sync
    if ("kubectl".equals(manager) && hasLastApplied(result)) {
      ObjectNode last = appliedObj.deepCopy();
      JsonNode ann = last.path("metadata").get("annotations");
      if (ann instanceof ObjectNode a) {
        a.remove(LAST_APPLIED);
        if (a.isEmpty()) {
          ((ObjectNode) last.get("metadata")).remove("annotations");
        }
      }
      ((ObjectNode) result.path("metadata").get("annotations")).put(LAST_APPLIED, sortedJson(last));
    }
    return result;
  }

  private static String sortedJson(JsonNode n) {
    StringBuilder sb = new StringBuilder();
    Values.writeJson(sb, n);
    return sb.toString();
  }

  private static boolean hasLastApplied(JsonNode obj) {
    JsonNode a = obj.path("metadata").path("annotations").get(LAST_APPLIED);
    return a != null && a.isTextual() && !a.asText().isEmpty() && obj.path("metadata").get("annotations").isObject();
  }

  /**
   * lastAppliedManager.allowedConflictsFromLastApplied: the fields of the last-applied annotation whose value is
   * still the live one; null when there is no usable annotation.
   */
  private FieldSet allowedConflictsFromLastApplied(ObjectNode liveObj) {
    JsonNode ann = liveObj.path("metadata").path("annotations").get(LAST_APPLIED);
    if (ann == null || !ann.isTextual() || ann.asText().isEmpty()) {
      return null;
    }
    try {
      JsonNode last = KubeJson.MAPPER.readTree(ann.asText());
      if (last == null || !last.isObject() || !apiVersion.equals(last.path("apiVersion").asText())) {
        return null;
      }
      JsonNode liveTyped = typedObject(liveObj);
      FieldSet set = Typed.toFieldSet(last, type);
      Typed.Comparison c = Typed.compare(last, liveTyped, type);
      return set.difference(c.modified()).difference(c.added()).difference(c.removed());
    } catch (Exception e) {
      return null;
    }
  }

  /** skipNonAppliedManager.Apply: an untracked object's fields first go to "before-first-apply". */
  private ObjectNode applySkipNonApplied(ObjectNode liveObj, ObjectNode appliedObj, ManagedFields managed,
                                         String manager, boolean force, Instant now) {
    if (managed.fields.isEmpty()) {
      updateChain(emptyObject(), liveObj.deepCopy(), managed, "before-first-apply", now);
    }
    String id = ManagedFields.identifier(manager, ManagedFields.APPLY, apiVersion, subresource);
    // structuredMergeManager.Apply
    if (appliedObj.path("metadata").has("managedFields") && !appliedObj.path("metadata").get("managedFields").isNull()) {
      throw ApiException.badRequest("metadata.managedFields must be nil");
    }
    JsonNode patch = typedObject(appliedObj);
    try {
      Typed.validate(patch, type, false);
    } catch (Typed.ValidationException e) {
      throw new ApiException(500, "", "failed to create typed patch object (" + nsName(appliedObj) + "; "
          + gvk(apiVersion, kind) + "): " + e.getMessage(), null, null, null, null, null);
    }
    JsonNode live = typedObject(liveObj);
    JsonNode merged;
    try {
      merged = updater.apply(live, patch, apiVersion, managed.fields, id, force);
    } catch (Typed.ValidationException e) {
      throw ApiException.internal("failed to merge config: " + e.getMessage());
    }
    strip(managed, id);
    ObjectNode result;
    if (merged != null) {
      managed.times.put(id, KubeJson.timestamp(now));
      result = merged.isObject() ? (ObjectNode) merged : JsonNodeFactory.instance.objectNode();
    } else {
      result = liveObj.deepCopy();
      meta(result).remove("managedFields");
    }
    managed.times.keySet().retainAll(managed.fields.keySet());
    return result;
  }

  /** internal.NewConflictError. */
  ApiException conflictError(List<Updater.Conflict> conflicts) {
    List<ApiException.Cause> causes = new ArrayList<>();
    for (Updater.Conflict c : conflicts) {
      causes.add(new ApiException.Cause("FieldManagerConflict", "conflict with " + printManager(c.manager()),
          PathElement.pathString(c.path())));
    }
    String message;
    if (conflicts.size() == 1) {
      message = "Apply failed with 1 conflict: conflict with " + printManager(conflicts.get(0).manager()) + ": "
          + PathElement.pathString(conflicts.get(0).path());
    } else {
      Map<String, List<String>> byManager = new TreeMap<>();
      for (Updater.Conflict c : conflicts) {
        byManager.computeIfAbsent(c.manager(), k -> new ArrayList<>()).add(PathElement.pathString(c.path()));
      }
      List<String> lines = new ArrayList<>();
      byManager.forEach((m, paths) -> {
        lines.add("conflicts with " + printManager(m) + ":");
        paths.forEach(p -> lines.add("- " + p));
      });
      message = "Apply failed with " + conflicts.size() + " conflicts: " + String.join("\n", lines);
    }
    return new ApiException(409, "Conflict", message, null, null, null, causes, null);
  }

  /** printManager: {@code "kubectl-client-side-apply" using v1}, {@code "kubelet" with subresource "status"}. */
  static String printManager(String id) {
    ManagedFields.Manager m = ManagedFields.parseIdentifier(id);
    String s = Values.goQuote(m.manager());
    if (!m.subresource().isEmpty()) {
      s += " with subresource " + Values.goQuote(m.subresource());
    }
    if (ManagedFields.UPDATE.equals(m.operation())) {
      s += " using " + m.apiVersion();
    }
    return s;
  }

  // ------------------------------------------------------------------ helpers

  /** What the typed conversion sees: the object without its managedFields. */
  private static JsonNode typedObject(ObjectNode obj) {
    ObjectNode copy = obj.deepCopy();
    JsonNode m = copy.get("metadata");
    if (m instanceof ObjectNode meta) {
      meta.remove("managedFields");
    }
    return copy;
  }

  private static void encode(ObjectNode obj, ManagedFields managed) {
    ArrayNode entries = managed.encode();
    if (entries == null) {
      meta(obj).remove("managedFields");
    } else {
      meta(obj).set("managedFields", entries);
    }
  }

  private static ObjectNode meta(ObjectNode obj) {
    JsonNode m = obj.get("metadata");
    if (m instanceof ObjectNode o) {
      return o;
    }
    return obj.putObject("metadata");
  }

  private static boolean hasUid(JsonNode obj) {
    return !obj.path("metadata").path("uid").asText("").isEmpty();
  }

  /** schema.GroupVersionKind.String: {@code /v1, Kind=Pod}, {@code apps/v1, Kind=Deployment}. */
  static String gvk(String apiVersion, String kind) {
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    return group + "/" + version + ", Kind=" + kind;
  }

  private static String nsName(JsonNode obj) {
    return obj.path("metadata").path("namespace").asText("") + "/" + obj.path("metadata").path("name").asText("");
  }

  /**
   * IgnoreManagedFieldsTimestampsTransformer: when an update changed nothing but managedFields timestamps, the
   * old timestamps are kept (so the write is a no-op).
   */
  public static void ignoreTimestampOnlyChanges(ObjectNode newObj, JsonNode oldObj) {
    JsonNode oldEntries = oldObj.path("metadata").get("managedFields");
    JsonNode newEntries = newObj.path("metadata").get("managedFields");
    if (oldEntries == null || newEntries == null || !oldEntries.isArray() || !newEntries.isArray()
        || oldEntries.size() != newEntries.size() || newEntries.size() == 0) {
      return;
    }
    boolean allTimesUnchanged = true;
    for (int i = 0; i < newEntries.size(); i++) {
      if (!newEntries.get(i).path("time").equals(oldEntries.get(i).path("time"))) {
        allTimesUnchanged = false;
        break;
      }
    }
    if (allTimesUnchanged) {
      return;
    }
    for (int i = 0; i < newEntries.size(); i++) {
      if (!withoutTime(newEntries.get(i)).equals(withoutTime(oldEntries.get(i)))) {
        return;
      }
    }
    ObjectNode a = newObj.deepCopy();
    ObjectNode b = oldObj.deepCopy();
    for (ObjectNode o : List.of(a, b)) {
      JsonNode m = o.get("metadata");
      if (m instanceof ObjectNode meta) {
        meta.remove("managedFields");
      }
    }
    if (!a.equals(b)) {
      return;
    }
    for (int i = 0; i < newEntries.size(); i++) {
      JsonNode t = oldEntries.get(i).get("time");
      if (t == null) {
        ((ObjectNode) newEntries.get(i)).remove("time");
      } else {
        ((ObjectNode) newEntries.get(i)).set("time", t);
      }
    }
  }

  private static JsonNode withoutTime(JsonNode entry) {
    ObjectNode c = entry.deepCopy();
    c.remove("time");
    return c;
  }
}
