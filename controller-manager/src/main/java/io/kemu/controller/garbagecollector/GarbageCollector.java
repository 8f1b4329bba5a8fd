package io.kemu.controller.garbagecollector;

import static io.kemu.controller.Workers.await;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PartialObjectMetadata;
import io.kemu.api.ResourceType;
import io.kemu.api.Resources;
import io.kemu.api.client.KubeClient;
import io.kemu.api.client.StatusException;
import io.kemu.api.client.cache.Indexer;
import io.kemu.api.client.cache.ResourceEventHandler;
import io.kemu.api.client.cache.SharedIndexInformer;
import io.kemu.controller.ControllerContext;
import io.kemu.controller.Reconciler;
import io.kemu.controller.Workers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pkg/controller/garbagecollector: the ownerReferences graph over metadata informers of every kind (events
 * excepted, as upstream's ignored resources), and its two work queues as key prefixes: {@code delete/<uid>}
 * (attemptToDeleteItem: a dependent whose owners are all gone is deleted, with Foreground when an owner waits for
 * it and it has dependents of its own; an owner deleting in the foreground loses its {@code foregroundDeletion}
 * finalizer once no blocking dependent is left) and {@code orphan/<uid>} (orphanDependents: the owner's
 * references are removed from its dependents, then its {@code orphan} finalizer).
 */
public final class GarbageCollector implements Reconciler {
  private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);
  public static final String NAME = "garbage-collector-controller";
  public static final String FOREGROUND = "foregroundDeletion";
  public static final String ORPHAN = "orphan";
  static final String DELETE = "delete/";
  static final String ORPHAN_KEY = "orphan/";

  /** Where a uid lives: the graph's node identity. */
  record Node(ResourceType type, String namespace, String name) {}

  private final KubeClient client;
  private final Map<ResourceType, SharedIndexInformer<PartialObjectMetadata>> informers = new LinkedHashMap<>();
  private final Map<String, Node> nodes = new ConcurrentHashMap<>();
  private Queue queue;

  public GarbageCollector(ControllerContext context) {
    this.client = context.client();
    for (ResourceType t : monitored()) {
      SharedIndexInformer<PartialObjectMetadata> inf = context.informers().metadataInformerFor(t);
      inf.addIndexer(Indexer.OWNER_UID, Indexer::ownerUidIndex);
      informers.put(t, inf);
    }
  }

  /** Every kind but events (DefaultIgnoredResources). */
  static List<ResourceType> monitored() {
    List<ResourceType> out = new ArrayList<>();
    for (ResourceType t : Resources.ALL) {
      if (!t.resource().equals("events")) {
        out.add(t);
      }
    }
    return out;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int workers() {
    return 10;
  }

  // ---------------------------------------------------------------- the graph builder

  @Override
  public void register(Queue q) {
    this.queue = q;
    informers.forEach((type, inf) -> inf.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(PartialObjectMetadata obj, boolean initial) {
        observed(type, null, obj);
      }

      @Override
      public void onUpdate(PartialObjectMetadata old, PartialObjectMetadata cur) {
        observed(type, old, cur);
      }

      @Override
      public void onDelete(PartialObjectMetadata obj) {
        removed(obj);
      }
    }));
  }

  private void observed(ResourceType type, PartialObjectMetadata old, PartialObjectMetadata obj) {
    ObjectMeta m = obj.getMetadata();
    String uid = m.getUid();
    if (uid == null) {
      return;
    }
    nodes.put(uid, new Node(type, m.getNamespace(), m.getName()));
    if (m.getDeletionTimestamp() != null) {
      if (hasFinalizer(m, ORPHAN)) {
        queue.add(ORPHAN_KEY + uid);
      }
      if (hasFinalizer(m, FOREGROUND)) {
        queue.add(DELETE + uid);
      }
    }
    Set<String> owners = new HashSet<>();
    for (OwnerReference r : refs(m)) {
      owners.add(r.getUid());
      Node owner = nodes.get(r.getUid());
      if (owner == null || deletingInForeground(r.getUid())) {
        queue.add(DELETE + uid); // a virtual owner, or one waiting for its dependents
      }
    }
    if (old != null) {
      // References removed from an owner waiting for its dependents may unblock it.
      for (OwnerReference r : refs(old.getMetadata())) {
        if (!owners.contains(r.getUid()) && deletingInForeground(r.getUid())) {
          queue.add(DELETE + r.getUid());
        }
      }
    }
  }

  private void removed(PartialObjectMetadata obj) {
    String uid = obj.getMetadata().getUid();
    if (uid == null) {
      return;
    }
    nodes.remove(uid);
    for (PartialObjectMetadata dep : dependents(uid)) {
      queue.add(DELETE + dep.getMetadata().getUid());
    }
    for (OwnerReference r : refs(obj.getMetadata())) {
      if (deletingInForeground(r.getUid())) {
        queue.add(DELETE + r.getUid());
      }
    }
  }

  static List<OwnerReference> refs(ObjectMeta m) {
    return m.getOwnerReferences() == null ? List.of() : m.getOwnerReferences();
  }

  static boolean hasFinalizer(ObjectMeta m, String f) {
    return m.getFinalizers() != null && m.getFinalizers().contains(f);
  }

  private PartialObjectMetadata cached(String uid) {
    Node n = nodes.get(uid);
    if (n == null) {
      return null;
    }
    PartialObjectMetadata o = informers.get(n.type()).getIndexer().get(n.namespace(), n.name());
    return o != null && uid.equals(o.getMetadata().getUid()) ? o : null;
  }

  private boolean deletingInForeground(String uid) {
    PartialObjectMetadata o = cached(uid);
    return o != null && o.getMetadata().getDeletionTimestamp() != null && hasFinalizer(o.getMetadata(), FOREGROUND);
  }

  /** The objects whose ownerReferences name {@code uid}. */
  private List<PartialObjectMetadata> dependents(String uid) {
    List<PartialObjectMetadata> out = new ArrayList<>();
    for (SharedIndexInformer<PartialObjectMetadata> inf : informers.values()) {
      out.addAll(inf.getIndexer().byIndex(Indexer.OWNER_UID, uid));
    }
    return out;
  }

  // ---------------------------------------------------------------- the workers

  @Override
  public CompletionStage<Void> sync(String key) {
    return Workers.run(() -> {
      if (key.startsWith(ORPHAN_KEY)) {
        orphanDependents(key.substring(ORPHAN_KEY.length()));
      } else if (key.startsWith(DELETE)) {
        attemptToDeleteItem(key.substring(DELETE.length()));
      }
    });
  }

  /** The object as the API has it now, or empty when it is gone (or is another object of the same name). */
  private Optional<PartialObjectMetadata> live(Node n, String uid) {
    try {
      PartialObjectMetadata o = await(client.getMetadata(n.type(), n.namespace(), n.name()));
      return uid == null || uid.equals(o.getMetadata().getUid()) ? Optional.of(o) : Optional.empty();
    } catch (StatusException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** attemptToDeleteItem. */
  void attemptToDeleteItem(String uid) {
    Node n = nodes.get(uid);
    if (n == null) {
      return;
    }
    Optional<PartialObjectMetadata> found = live(n, uid);
    if (found.isEmpty()) {
      return;
    }
    ObjectMeta latest = found.get().getMetadata();
    if (latest.getDeletionTimestamp() != null) {
      if (hasFinalizer(latest, FOREGROUND)) {
        processDeletingDependents(uid, found.get());
      }
      return; // being deleted, not waiting for its dependents: nothing to do
    }
    List<OwnerReference> owners = refs(latest);
    if (owners.isEmpty()) {
      return;
    }
    List<OwnerReference> solid = new ArrayList<>();
    List<OwnerReference> dangling = new ArrayList<>();
    List<OwnerReference> waiting = new ArrayList<>();
    for (OwnerReference r : owners) {
      Optional<ResourceType> type = Resources.findByKind(r.getApiVersion(), r.getKind());
      if (type.isEmpty()) {
        solid.add(r); // a kind kemu does not serve: never collect on its account
        continue;
      }
      Node ownerNode = new Node(type.get(), type.get().namespaced() ? n.namespace() : null, r.getName());
      Optional<PartialObjectMetadata> owner = live(ownerNode, r.getUid());
      if (owner.isEmpty()) {
        dangling.add(r);
      } else if (owner.get().getMetadata().getDeletionTimestamp() != null
          && hasFinalizer(owner.get().getMetadata(), FOREGROUND)) {
        waiting.add(r);
      } else {
        solid.add(r);
      }
    }
    if (!solid.isEmpty()) {
      if (dangling.isEmpty() && waiting.isEmpty()) {
        return;
      }
      Set<String> drop = new HashSet<>();
      dangling.forEach(r -> drop.add(r.getUid()));
      waiting.forEach(r -> drop.add(r.getUid()));
      log.info("{} {}/{}: removing references to owners {} that are gone or deleting", n.type().kind(),
          n.namespace(), n.name(), drop);
      patchOwnerRefs(n, found.get(), drop);
      return;
    }
    String policy;
    if (!waiting.isEmpty() && !dependents(uid).isEmpty()) {
      policy = "Foreground";
    } else if (hasFinalizer(latest, ORPHAN)) {
      policy = "Orphan";
    } else if (hasFinalizer(latest, FOREGROUND)) {
      policy = "Foreground";
    } else {
      policy = "Background";
    }
    log.info("deleting {} {}/{} (owners gone), propagationPolicy {}", n.type().kind(), n.namespace(), n.name(),
        policy);
    DeleteOptions opts = new DeleteOptionsBuilder().withPropagationPolicy(policy)
        .withNewPreconditions().withUid(uid).endPreconditions().build();
    try {
      await(client.delete(n.type(), n.namespace(), n.name(), opts));
    } catch (StatusException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
  }

  /** processDeletingDependents: the foregroundDeletion finalizer goes once no blocking dependent remains. */
  private void processDeletingDependents(String uid, PartialObjectMetadata owner) {
    List<PartialObjectMetadata> blocking = new ArrayList<>();
    for (PartialObjectMetadata dep : dependents(uid)) {
      for (OwnerReference r : refs(dep.getMetadata())) {
        if (uid.equals(r.getUid()) && Boolean.TRUE.equals(r.getBlockOwnerDeletion())) {
          blocking.add(dep);
        }
      }
    }
    if (blocking.isEmpty()) {
      Node n = nodes.get(uid);
      log.info("{} {}/{}: no blocking dependents left, removing the {} finalizer", n.type().kind(), n.namespace(),
          n.name(), FOREGROUND);
      removeFinalizer(n, owner, FOREGROUND);
      return;
    }
    for (PartialObjectMetadata dep : blocking) {
      if (dep.getMetadata().getDeletionTimestamp() == null) {
        queue.add(DELETE + dep.getMetadata().getUid());
      }
    }
  }

  /** orphanDependents, then the orphan finalizer is removed. */
  void orphanDependents(String uid) {
    Node n = nodes.get(uid);
    if (n == null) {
      return;
    }
    Optional<PartialObjectMetadata> found = live(n, uid);
    if (found.isEmpty() || found.get().getMetadata().getDeletionTimestamp() == null
        || !hasFinalizer(found.get().getMetadata(), ORPHAN)) {
      return;
    }
    for (PartialObjectMetadata dep : dependents(uid)) {
      Node dn = nodes.get(dep.getMetadata().getUid());
      if (dn == null) {
        continue;
      }
      Optional<PartialObjectMetadata> fresh = live(dn, dep.getMetadata().getUid());
      if (fresh.isPresent()) {
        patchOwnerRefs(dn, fresh.get(), Set.of(uid));
      }
    }
    log.info("{} {}/{}: dependents orphaned, removing the {} finalizer", n.type().kind(), n.namespace(), n.name(),
        ORPHAN);
    removeFinalizer(n, found.get(), ORPHAN);
  }

  /** A merge patch of ownerReferences without {@code drop}, guarded by the uid and resourceVersion read. */
  private void patchOwnerRefs(Node n, PartialObjectMetadata obj, Set<String> drop) {
    List<OwnerReference> keep = new ArrayList<>();
    for (OwnerReference r : refs(obj.getMetadata())) {
      if (!drop.contains(r.getUid())) {
        keep.add(r);
      }
    }
    if (keep.size() == refs(obj.getMetadata()).size()) {
      return;
    }
    Map<String, Object> meta = new HashMap<>();
    meta.put("ownerReferences", keep.isEmpty() ? null : keep);
    meta.put("uid", obj.getMetadata().getUid());
    meta.put("resourceVersion", obj.getMetadata().getResourceVersion());
    patch(n, meta);
  }

  private void removeFinalizer(Node n, PartialObjectMetadata obj, String finalizer) {
    List<String> fs = new ArrayList<>(obj.getMetadata().getFinalizers());
    fs.remove(finalizer);
    Map<String, Object> meta = new HashMap<>();
    meta.put("finalizers", fs.isEmpty() ? null : fs);
    meta.put("uid", obj.getMetadata().getUid());
    meta.put("resourceVersion", obj.getMetadata().getResourceVersion());
    patch(n, meta);
  }

  private void patch(Node n, Map<String, Object> meta) {
    Map<String, Object> body = new HashMap<>();
    body.put("metadata", meta);
    try {
      await(client.patchMetadata(n.type(), n.namespace(), n.name(), body));
    } catch (StatusException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
  }

  /** For tests. */
  boolean knows(String uid) {
    return nodes.containsKey(uid) && Objects.nonNull(cached(uid));
  }
}
