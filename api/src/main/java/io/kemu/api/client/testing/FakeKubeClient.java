package io.kemu.api.client.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PartialObjectMetadata;
import io.kemu.api.KubeJson;
import io.kemu.api.ResourceType;
import io.kemu.api.Resources;
import io.kemu.api.client.ApiClient;
import io.kemu.api.client.ApiClient.Event;
import io.kemu.api.client.ApiClient.ObjectList;
import io.kemu.api.client.KubeClient;
import io.kemu.api.client.ListOptions;
import io.kemu.api.client.StatusException;
import io.kemu.api.selectors.FieldSelector;
import io.kemu.api.selectors.LabelSelector;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Source;

/**
 * An in-memory API for controller tests, after client-go's fake clientset and its object tracker: objects get
 * uids, resourceVersions, generations and generated names; updates honour resourceVersion preconditions (409);
 * deletions honour finalizers, propagation policies and pods' grace periods as the apiserver's registry does;
 * watches replay from a resourceVersion (410 when it is too old) and follow selectors. Every call is recorded as an
 * {@link Action}; {@link #failNext} injects errors. JSON merge patches only (strategic ones are applied as merge
 * patches, enough for metadata and status).
 */
public final class FakeKubeClient implements KubeClient {
  /** One recorded request. */
  public record Action(String verb, String resource, String subresource, String namespace, String name,
                       JsonNode body) {
    public boolean is(String v, String r) {
      return verb.equals(v) && resource.equals(r);
    }
  }

  private record Change(long rv, String type, ResourceType rt, ObjectNode obj, ObjectNode old) {}

  private static final class Watcher {
    final ResourceType rt;
    final String namespace;
    final LabelSelector labels;
    final FieldSelector fields;
    final BoundedSourceQueue<Event<JsonNode>> queue;

    Watcher(ResourceType rt, String namespace, LabelSelector labels, FieldSelector fields,
            BoundedSourceQueue<Event<JsonNode>> queue) {
      this.rt = rt;
      this.namespace = namespace;
      this.labels = labels;
      this.fields = fields;
      this.queue = queue;
    }
  }

  private record Failure(Predicate<Action> when, StatusException error) {}

  private static final int HISTORY = 20_000;
  private static final Set<String> TRACKS_GENERATION = Set.of("Deployment", "ReplicaSet", "Job", "StatefulSet",
      "DaemonSet", "PodDisruptionBudget");

  private final ActorSystem<?> system;
  private final Clock clock;
  private final Map<String, ObjectNode> objects = new TreeMap<>();
  private final Deque<Change> history = new ArrayDeque<>();
  private final List<Watcher> watchers = new ArrayList<>();
  private final List<Action> actions = new CopyOnWriteArrayList<>();
  private final List<Failure> failures = new ArrayList<>();
  private long revision = 100;

  public FakeKubeClient(ActorSystem<?> system, Clock clock) {
    this.system = system;
    this.clock = clock;
  }

  @Override
  public ActorSystem<?> system() {
    return system;
  }

  // ---------------------------------------------------------------- test helpers

  public List<Action> actions() {
    return List.copyOf(actions);
  }

  public List<Action> actions(String verb, String resource) {
    return actions.stream().filter(a -> a.is(verb, resource)).toList();
  }

  public void clearActions() {
    actions.clear();
  }

  /** The next call that matches fails with {@code error} (once). */
  public synchronized void failNext(Predicate<Action> when, StatusException error) {
    failures.add(new Failure(when, error));
  }

  /** Stores objects as they are (uid, resourceVersion filled in if absent), as a tracker's initial objects. */
  public synchronized void seed(HasMetadata... objs) {
    for (HasMetadata o : objs) {
      ResourceType rt = Resources.of(o.getClass());
      ObjectNode tree = KubeJson.MAPPER.valueToTree(o);
      ObjectNode meta = tree.with("metadata");
      if (meta.path("uid").asText("").isEmpty()) {
        meta.put("uid", UUID.randomUUID().toString());
      }
      if (meta.path("creationTimestamp").asText("").isEmpty()) {
        meta.put("creationTimestamp", KubeJson.timestamp(clock.instant()));
      }
      tree.put("apiVersion", rt.apiVersion());
      tree.put("kind", rt.kind());
      String key = rt.key(meta.path("namespace").asText(null), meta.path("name").asText());
      ObjectNode old = objects.get(key);
      store(rt, key, tree, old == null ? "ADDED" : "MODIFIED", old);
    }
  }

  /** The stored object, or null. */
  public synchronized <T extends HasMetadata> T peek(Class<T> type, String namespace, String name) {
    ObjectNode o = objects.get(Resources.of(type).key(namespace, name));
    return o == null ? null : KubeJson.convert(o, type);
  }

  public synchronized <T extends HasMetadata> List<T> all(Class<T> type) {
    ResourceType rt = Resources.of(type);
    List<T> out = new ArrayList<>();
    objects.forEach((k, v) -> {
      if (k.startsWith(rt.prefix(null))) {
        out.add(KubeJson.convert(v, type));
      }
    });
    return out;
  }

  /** Ends every open watch, as an apiserver restart would. */
  public synchronized void closeWatches() {
    for (Watcher w : watchers) {
      w.queue.complete();
    }
    watchers.clear();
  }

  /** Forgets the event history, so that resuming a watch answers 410 Gone. */
  public synchronized void compact() {
    history.clear();
  }

  public synchronized long currentRevision() {
    return revision;
  }

  // ---------------------------------------------------------------- typed API

  @Override
  public <T extends HasMetadata> CompletionStage<T> get(Class<T> type, String namespace, String name) {
    ResourceType rt = Resources.of(type);
    return run(new Action("get", rt.resource(), null, namespace, name, null),
        () -> KubeJson.convert(existing(rt, namespace, name), type));
  }

  @Override
  public <T extends HasMetadata> CompletionStage<ObjectList<T>> list(Class<T> type, String namespace,
                                                                    ListOptions opts) {
    return listAll(type, namespace, opts);
  }

  @Override
  public <T extends HasMetadata> CompletionStage<ObjectList<T>> listAll(Class<T> type, String namespace,
                                                                       ListOptions opts) {
    ResourceType rt = Resources.of(type);
    return run(new Action("list", rt.resource(), null, namespace, null, null),
        () -> listOf(rt, namespace, opts, o -> KubeJson.convert(o, type)));
  }

  @Override
  public <T extends HasMetadata> CompletionStage<Source<Event<T>, NotUsed>> watch(Class<T> type, String namespace,
                                                                                ListOptions opts) {
    ResourceType rt = Resources.of(type);
    return run(new Action("watch", rt.resource(), null, namespace, null, null),
        () -> watchOf(rt, namespace, opts).map(e -> e.object() == null
            ? new Event<T>(e.type(), null, e.resourceVersion(), e.raw())
            : new Event<>(e.type(), KubeJson.convert(e.object(), type), e.resourceVersion(), e.raw())));
  }

  @Override
  public <T extends HasMetadata> CompletionStage<T> create(T obj) {
    ResourceType rt = Resources.of(obj.getClass());
    ObjectNode tree = KubeJson.MAPPER.valueToTree(obj);
    return run(new Action("create", rt.resource(), null, obj.getMetadata().getNamespace(),
        obj.getMetadata().getName(), tree), () -> convertLike(obj, doCreate(rt, tree)));
  }

  @Override
  public <T extends HasMetadata> CompletionStage<T> update(T obj) {
    ResourceType rt = Resources.of(obj.getClass());
    ObjectNode tree = KubeJson.MAPPER.valueToTree(obj);
    return run(new Action("update", rt.resource(), null, obj.getMetadata().getNamespace(),
        obj.getMetadata().getName(), tree), () -> convertLike(obj, doUpdate(rt, tree, false)));
  }

  @Override
  public <T extends HasMetadata> CompletionStage<T> updateStatus(T obj) {
    ResourceType rt = Resources.of(obj.getClass());
    ObjectNode tree = KubeJson.MAPPER.valueToTree(obj);
    return run(new Action("update", rt.resource(), "status", obj.getMetadata().getNamespace(),
        obj.getMetadata().getName(), tree), () -> convertLike(obj, doUpdate(rt, tree, true)));
  }

  @Override
  public <T extends HasMetadata> CompletionStage<T> patch(Class<T> type, String namespace, String name,
                                                         String subresource, String contentType, Object patch) {
    ResourceType rt = Resources.of(type);
    JsonNode p = KubeJson.MAPPER.valueToTree(patch);
    return run(new Action("patch", rt.resource(), subresource, namespace, name, p),
        () -> KubeJson.convert(doPatch(rt, namespace, name, subresource, p), type));
  }

  @Override
  public CompletionStage<Void> delete(Class<? extends HasMetadata> type, String namespace, String name,
                                      DeleteOptions options) {
    return delete(Resources.of(type), namespace, name, options);
  }

  // ---------------------------------------------------------------- metadata API

  @Override
  public CompletionStage<PartialObjectMetadata> getMetadata(ResourceType type, String namespace, String name) {
    return run(new Action("get", type.resource(), null, namespace, name, null),
        () -> ApiClient.metadataOf(existing(type, namespace, name), type));
  }

  @Override
  public CompletionStage<ObjectList<PartialObjectMetadata>> listMetadata(ResourceType type, String namespace,
                                                                         ListOptions opts) {
    return run(new Action("list", type.resource(), null, namespace, null, null),
        () -> listOf(type, namespace, opts, o -> ApiClient.metadataOf(o, type)));
  }

  @Override
  public CompletionStage<Source<Event<PartialObjectMetadata>, NotUsed>> watchMetadata(ResourceType type,
                                                                                      String namespace,
                                                                                      ListOptions opts) {
    return run(new Action("watch", type.resource(), null, namespace, null, null),
        () -> watchOf(type, namespace, opts).map(e -> e.object() == null
            ? new Event<PartialObjectMetadata>(e.type(), null, e.resourceVersion(), e.raw())
            : new Event<>(e.type(), ApiClient.metadataOf(e.object(), type), e.resourceVersion(), e.raw())));
  }

  @Override
  public CompletionStage<PartialObjectMetadata> patchMetadata(ResourceType type, String namespace, String name,
                                                              Object mergePatch) {
    JsonNode p = KubeJson.MAPPER.valueToTree(mergePatch);
    return run(new Action("patch", type.resource(), null, namespace, name, p),
        () -> ApiClient.metadataOf(doPatch(type, namespace, name, null, p), type));
  }

  @Override
  public CompletionStage<Void> delete(ResourceType type, String namespace, String name, DeleteOptions options) {
    JsonNode body = options == null ? null : KubeJson.MAPPER.valueToTree(options);
    return run(new Action("delete", type.resource(), null, namespace, name, body), () -> {
      doDelete(type, namespace, name, options == null ? new DeleteOptions() : options);
      return null;
    });
  }

  // ---------------------------------------------------------------- the tracker

  private interface Op<T> {
    T apply();
  }

  private synchronized <T> CompletionStage<T> run(Action action, Op<T> op) {
    actions.add(action);
    for (Iterator<Failure> it = failures.iterator(); it.hasNext(); ) {
      Failure f = it.next();
      if (f.when().test(action)) {
        it.remove();
        return CompletableFuture.failedFuture(f.error());
      }
    }
    try {
      return CompletableFuture.completedFuture(op.apply());
    } catch (StatusException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends HasMetadata> T convertLike(T sample, ObjectNode tree) {
    return (T) KubeJson.convert(tree, sample.getClass());
  }

  private ObjectNode existing(ResourceType rt, String namespace, String name) {
    ObjectNode o = objects.get(rt.key(namespace, name));
    if (o == null) {
      throw notFound(rt, name);
    }
    return o.deepCopy();
  }

  private static StatusException notFound(ResourceType rt, String name) {
    return new StatusException(404, "NotFound", rt.groupResource() + " \"" + name + "\" not found");
  }

  private static StatusException conflict(ResourceType rt, String name) {
    return new StatusException(409, "Conflict", "Operation cannot be fulfilled on " + rt.groupResource() + " \""
        + name + "\": the object has been modified; please apply your changes to the latest version and try again");
  }

  private <T> ObjectList<T> listOf(ResourceType rt, String namespace, ListOptions opts,
                                   Function<ObjectNode, T> convert) {
    LabelSelector labels = LabelSelector.parse(opts.labelSelector());
    FieldSelector fields = FieldSelector.parse(opts.fieldSelector());
    List<T> items = new ArrayList<>();
    objects.forEach((k, v) -> {
      if (k.startsWith(rt.prefix(null)) && matches(v, rt, namespace, labels, fields)) {
        items.add(convert.apply(v.deepCopy()));
      }
    });
    return new ObjectList<>(items, Long.toString(revision), null);
  }

  private static boolean matches(JsonNode obj, ResourceType rt, String namespace, LabelSelector labels,
                                 FieldSelector fields) {
    if (obj == null) {
      return false;
    }
    if (rt.namespaced() && namespace != null && !namespace.isEmpty()
        && !namespace.equals(obj.path("metadata").path("namespace").asText())) {
      return false;
    }
    Map<String, String> l = KubeJson.MAPPER.convertValue(obj.path("metadata").path("labels"),
        KubeJson.MAPPER.getTypeFactory().constructMapType(Map.class, String.class, String.class));
    if (!labels.matches(l == null ? Map.of() : l)) {
      return false;
    }
    Map<String, String> f = new HashMap<>();
    for (FieldSelector.Requirement r : fields.requirements()) {
      JsonNode v = obj.at("/" + r.field().replace('.', '/'));
      f.put(r.field(), v.isMissingNode() || v.isNull() ? "" : v.asText());
    }
    return fields.matches(f);
  }

  private Source<Event<JsonNode>, NotUsed> watchOf(ResourceType rt, String namespace, ListOptions opts) {
    String fromText = opts.resourceVersion();
    boolean fromNow = fromText == null || fromText.isEmpty() || "0".equals(fromText);
    long from = fromNow ? revision : Long.parseLong(fromText);
    if (!fromNow && from < revision && (history.isEmpty() || history.peekFirst().rv() > from + 1)) {
      throw new StatusException(410, "Expired", "too old resource version: " + from + " (" + revision + ")");
    }
    LabelSelector labels = LabelSelector.parse(opts.labelSelector());
    FieldSelector fields = FieldSelector.parse(opts.fieldSelector());
    // The replay is computed when the stream starts, together with the registration, so that nothing falls between.
    return Source.<Event<JsonNode>>queue(HISTORY).mapMaterializedValue(q -> {
      synchronized (this) {
        if (fromNow) {
          objects.forEach((k, v) -> {
            if (k.startsWith(rt.prefix(null)) && matches(v, rt, namespace, labels, fields)) {
              q.offer(event("ADDED", v));
            }
          });
        } else {
          for (Change c : history) {
            if (c.rv() > from && c.rt() == rt) {
              Event<JsonNode> e = filtered(c, namespace, labels, fields);
              if (e != null) {
                q.offer(e);
              }
            }
          }
        }
        watchers.add(new Watcher(rt, namespace, labels, fields, q));
      }
      return NotUsed.getInstance();
    });
  }

  private static Event<JsonNode> event(String type, ObjectNode obj) {
    ObjectNode copy = obj.deepCopy();
    return new Event<>(type, copy, copy.path("metadata").path("resourceVersion").asText(), KubeJson.bytes(copy));
  }

  /** The event a watcher with these selectors sees for a change (objects moving in or out of its selection). */
  private static Event<JsonNode> filtered(Change c, String namespace, LabelSelector labels, FieldSelector fields) {
    boolean now = c.obj() != null && matches(c.obj(), c.rt(), namespace, labels, fields);
    boolean before = c.old() != null && matches(c.old(), c.rt(), namespace, labels, fields);
    switch (c.type()) {
      case "ADDED":
        return now ? event("ADDED", c.obj()) : null;
      case "MODIFIED":
        if (now && before) {
          return event("MODIFIED", c.obj());
        }
        if (now) {
          return event("ADDED", c.obj());
        }
        if (before) {
          ObjectNode gone = c.obj().deepCopy();
          return event("DELETED", gone);
        }
        return null;
      case "DELETED":
        return before ? event("DELETED", c.obj()) : null;
      default:
        return null;
    }
  }

  private ObjectNode store(ResourceType rt, String key, ObjectNode obj, String type, ObjectNode old) {
    revision++;
    ObjectNode stored = obj.deepCopy();
    stored.with("metadata").put("resourceVersion", Long.toString(revision));
    if ("DELETED".equals(type)) {
      objects.remove(key);
    } else {
      objects.put(key, stored);
    }
    Change c = new Change(revision, type, rt, stored, old);
    history.addLast(c);
    while (history.size() > HISTORY) {
      history.removeFirst();
    }
    for (Iterator<Watcher> it = watchers.iterator(); it.hasNext(); ) {
      Watcher w = it.next();
      if (w.rt != rt) {
        continue;
      }
      Event<JsonNode> e = filtered(c, w.namespace, w.labels, w.fields);
      if (e != null && w.queue.offer(e) != QueueOfferResult.enqueued()) {
        it.remove();
        w.queue.fail(new IllegalStateException("watcher too slow"));
      }
    }
    return stored.deepCopy();
  }

  private ObjectNode doCreate(ResourceType rt, ObjectNode tree) {
    ObjectNode meta = tree.with("metadata");
    String name = meta.path("name").asText("");
    if (name.isEmpty() && !meta.path("generateName").asText("").isEmpty()) {
      StringBuilder sb = new StringBuilder(meta.path("generateName").asText());
      String chars = "bcdfghjklmnpqrstvwxz2456789";
      for (int i = 0; i < 5; i++) {
        sb.append(chars.charAt(ThreadLocalRandom.current().nextInt(chars.length())));
      }
      name = sb.toString();
      meta.put("name", name);
    }
    if (name.isEmpty()) {
      throw new StatusException(422, "Invalid", rt.kind() + " \"\" is invalid: metadata.name: Required value");
    }
    String ns = rt.namespaced() ? meta.path("namespace").asText("default") : null;
    if (rt.namespaced()) {
      meta.put("namespace", ns);
    } else {
      meta.remove("namespace");
    }
    String key = rt.key(ns, name);
    if (objects.containsKey(key)) {
      throw new StatusException(409, "AlreadyExists", rt.groupResource() + " \"" + name + "\" already exists");
    }
    meta.put("uid", UUID.randomUUID().toString());
    meta.put("creationTimestamp", KubeJson.timestamp(clock.instant()));
    meta.remove("deletionTimestamp");
    meta.remove("deletionGracePeriodSeconds");
    if (TRACKS_GENERATION.contains(rt.kind())) {
      meta.put("generation", 1);
    }
    tree.put("apiVersion", rt.apiVersion());
    tree.put("kind", rt.kind());
    return store(rt, key, tree, "ADDED", null);
  }

  private ObjectNode doUpdate(ResourceType rt, ObjectNode tree, boolean status) {
    ObjectNode meta = tree.with("metadata");
    String ns = meta.path("namespace").asText(null);
    String name = meta.path("name").asText();
    String key = rt.key(ns, name);
    ObjectNode old = objects.get(key);
    if (old == null) {
      throw notFound(rt, name);
    }
    String rv = meta.path("resourceVersion").asText("");
    if (!rv.isEmpty() && !rv.equals(old.path("metadata").path("resourceVersion").asText())) {
      throw conflict(rt, name);
    }
    ObjectNode next;
    if (status) {
      next = old.deepCopy();
      if (rt == Resources.DEPLOYMENTS) {
        // deploymentStatusStrategy keeps the annotations sent (the controller's revision annotation).
        JsonNode ann = tree.path("metadata").path("annotations");
        if (ann.isObject()) {
          next.with("metadata").set("annotations", ann.deepCopy());
        } else {
          next.with("metadata").remove("annotations");
        }
      }
      if (tree.has("status")) {
        next.set("status", tree.get("status"));
      } else {
        next.remove("status");
      }
    } else {
      next = tree.deepCopy();
      keepSystemMetadata(next.with("metadata"), (ObjectNode) old.path("metadata"));
      if (rt.subresources().contains("status")) {
        if (old.has("status")) {
          next.set("status", old.get("status"));
        } else {
          next.remove("status");
        }
      }
      if (TRACKS_GENERATION.contains(rt.kind()) && !Objects.equals(old.get("spec"), next.get("spec"))) {
        next.with("metadata").put("generation", old.path("metadata").path("generation").asLong(1) + 1);
      }
    }
    next.put("apiVersion", rt.apiVersion());
    next.put("kind", rt.kind());
    return finishWrite(rt, key, next, old);
  }

  private static void keepSystemMetadata(ObjectNode meta, ObjectNode old) {
    for (String f : List.of("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
        "generation", "namespace", "name")) {
      if (old.has(f)) {
        meta.set(f, old.get(f));
      } else {
        meta.remove(f);
      }
    }
  }

  /** Stores an update, or deletes the object when its last finalizer went and its deletion was due. */
  private ObjectNode finishWrite(ResourceType rt, String key, ObjectNode next, ObjectNode old) {
    JsonNode meta = next.path("metadata");
    boolean noFinalizers = !meta.has("finalizers") || meta.path("finalizers").isEmpty();
    if (noFinalizers && meta.has("deletionTimestamp") && meta.path("deletionGracePeriodSeconds").asLong(0) == 0) {
      return store(rt, key, next, "DELETED", old);
    }
    return store(rt, key, next, "MODIFIED", old);
  }

  private ObjectNode doPatch(ResourceType rt, String namespace, String name, String subresource, JsonNode patch) {
    String key = rt.key(namespace, name);
    ObjectNode old = objects.get(key);
    if (old == null) {
      throw notFound(rt, name);
    }
    JsonNode pm = patch.path("metadata");
    if (pm.has("resourceVersion") && !pm.get("resourceVersion").asText()
        .equals(old.path("metadata").path("resourceVersion").asText())) {
      throw conflict(rt, name);
    }
    if (pm.has("uid") && !pm.get("uid").asText().equals(old.path("metadata").path("uid").asText())) {
      throw new StatusException(409, "Conflict", "Precondition failed: UID in precondition: "
          + pm.get("uid").asText() + ", UID in object meta: " + old.path("metadata").path("uid").asText());
    }
    ObjectNode next = old.deepCopy();
    if ("status".equals(subresource)) {
      if (patch.has("status")) {
        next.set("status", merge(next.get("status"), patch.get("status")));
      }
    } else {
      JsonNode merged = merge(next, patch);
      next = (ObjectNode) merged;
      keepSystemMetadata(next.with("metadata"), (ObjectNode) old.path("metadata"));
      if (rt.subresources().contains("status")) {
        if (old.has("status")) {
          next.set("status", old.get("status"));
        } else {
          next.remove("status");
        }
      }
      if (TRACKS_GENERATION.contains(rt.kind()) && !Objects.equals(old.get("spec"), next.get("spec"))) {
        next.with("metadata").put("generation", old.path("metadata").path("generation").asLong(1) + 1);
      }
    }
    return finishWrite(rt, key, next, old);
  }

  /** RFC 7386 JSON merge patch. */
  static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode out = target != null && target.isObject() ? (ObjectNode) target.deepCopy()
        : KubeJson.MAPPER.createObjectNode();
    patch.fields().forEachRemaining(e -> {
      if (e.getValue().isNull()) {
        out.remove(e.getKey());
      } else {
        out.set(e.getKey(), merge(out.get(e.getKey()), e.getValue()));
      }
    });
    return out;
  }

  private void doDelete(ResourceType rt, String namespace, String name, DeleteOptions opts) {
    String key = rt.key(namespace, name);
    ObjectNode old = objects.get(key);
    if (old == null) {
      throw notFound(rt, name);
    }
    JsonNode meta = old.path("metadata");
    if (opts.getPreconditions() != null) {
      String uid = opts.getPreconditions().getUid();
      if (uid != null && !uid.isEmpty() && !uid.equals(meta.path("uid").asText())) {
        throw new StatusException(409, "Conflict", "Precondition failed: UID in precondition: " + uid
            + ", UID in object meta: " + meta.path("uid").asText());
      }
      String rv = opts.getPreconditions().getResourceVersion();
      if (rv != null && !rv.isEmpty() && !rv.equals(meta.path("resourceVersion").asText())) {
        throw conflict(rt, name);
      }
    }
    List<String> finalizers = new ArrayList<>();
    meta.path("finalizers").forEach(f -> finalizers.add(f.asText()));
    String policy = opts.getPropagationPolicy();
    if ("Foreground".equals(policy) && !finalizers.contains("foregroundDeletion")) {
      finalizers.add("foregroundDeletion");
    } else if (("Orphan".equals(policy) || Boolean.TRUE.equals(opts.getOrphanDependents()))
        && !finalizers.contains("orphan")) {
      finalizers.add("orphan");
    }
    long grace = 0;
    if (rt == Resources.PODS) {
      grace = opts.getGracePeriodSeconds() != null ? opts.getGracePeriodSeconds()
          : old.path("spec").path("terminationGracePeriodSeconds").asLong(0);
      String phase = old.path("status").path("phase").asText("");
      if (old.path("spec").path("nodeName").asText("").isEmpty() || phase.equals("Succeeded")
          || phase.equals("Failed")) {
        grace = 0;
      }
    }
    if (finalizers.isEmpty() && grace <= 0) {
      store(rt, key, old, "DELETED", old);
      return;
    }
    ObjectNode next = old.deepCopy();
    ObjectNode m = next.with("metadata");
    if (!m.has("deletionTimestamp")) {
      m.put("deletionTimestamp", KubeJson.timestamp(clock.instant().plusSeconds(Math.max(grace, 0))));
      m.put("deletionGracePeriodSeconds", Math.max(grace, 0));
    } else if (grace < m.path("deletionGracePeriodSeconds").asLong(Long.MAX_VALUE)) {
      m.put("deletionTimestamp", KubeJson.timestamp(clock.instant().plusSeconds(Math.max(grace, 0))));
      m.put("deletionGracePeriodSeconds", Math.max(grace, 0));
    }
    if (finalizers.isEmpty()) {
      m.remove("finalizers");
    } else {
      ArrayNode a = m.putArray("finalizers");
      finalizers.forEach(a::add);
    }
    store(rt, key, next, "MODIFIED", old);
  }
}
