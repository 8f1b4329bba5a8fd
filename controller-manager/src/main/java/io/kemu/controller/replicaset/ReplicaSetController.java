package io.kemu.controller.replicaset;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.kemu.api.client.KubeClient;
import io.kemu.api.client.Recorder;
import io.kemu.api.client.cache.Indexer;
import io.kemu.api.client.cache.Keys;
import io.kemu.api.client.cache.ResourceEventHandler;
import io.kemu.api.client.cache.SharedIndexInformer;
import io.kemu.api.selectors.LabelSelector;
import io.kemu.api.selectors.SelectorParseException;
import io.kemu.controller.ControllerContext;
import io.kemu.controller.ControllerExpectations;
import io.kemu.controller.ControllerRefManager;
import io.kemu.controller.Futures;
import io.kemu.controller.OwnerRefs;
import io.kemu.controller.PodControl;
import io.kemu.controller.PodUtil;
import io.kemu.controller.Reconciler;
import io.kemu.controller.SlowStart;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pkg/controller/replicaset: keeps {@code spec.replicas} active pods per ReplicaSet. Pods are claimed through
 * ownerReferences (adopted and released by selector); missing pods are created in slow-start batches, extra ones
 * deleted in the order of ActivePodsWithRanks; expectations keep it from acting again on a stale cache while its
 * own creations and deletions are in flight; the status counts replicas, fully labeled, ready and available
 * (minReadySeconds) pods at the observed generation.
 */
public final class ReplicaSetController implements Reconciler {
  private static final Logger log = LoggerFactory.getLogger(ReplicaSetController.class);
  public static final String NAME = "replicaset-controller";
  /** BurstReplicas: at most this many creations or deletions per sync. */
  static final int BURST_REPLICAS = 500;
  static final int STATUS_UPDATE_RETRIES = 1;

  private final KubeClient client;
  private final Clock clock;
  private final ControllerContext context;
  private final SharedIndexInformer<ReplicaSet> rsInformer;
  private final SharedIndexInformer<Pod> podInformer;
  private final ControllerExpectations expectations;
  private final PodControl podControl;
  private final Recorder recorder;
  private Queue queue;

  public ReplicaSetController(ControllerContext context) {
    this.context = context;
    this.client = context.client();
    this.clock = context.clock();
    this.rsInformer = context.informers().informerFor(ReplicaSet.class);
    this.podInformer = context.informers().informerFor(Pod.class);
    rsInformer.addIndexer(Indexer.CONTROLLER_UID, Indexer::controllerUidIndex);
    podInformer.addIndexer(Indexer.CONTROLLER_UID, Indexer::controllerUidIndex);
    this.expectations = new ControllerExpectations(clock, context.real(Duration.ofMinutes(5)));
    this.recorder = context.recorder(NAME);
    this.podControl = new PodControl(client, recorder);
  }

  @Override
  public String name() {
    return NAME;
  }

  public ControllerExpectations expectations() {
    return expectations;
  }

  // ---------------------------------------------------------------- event handlers

  @Override
  public void register(Queue q) {
    this.queue = q;
    rsInformer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(ReplicaSet rs, boolean initial) {
        q.add(Keys.key(rs));
      }

      @Override
      public void onUpdate(ReplicaSet old, ReplicaSet cur) {
        if (!Objects.equals(old.getMetadata().getUid(), cur.getMetadata().getUid())) {
          expectations.delete(Keys.key(old));
        }
        q.add(Keys.key(cur));
      }

      @Override
      public void onDelete(ReplicaSet rs) {
        expectations.delete(Keys.key(rs));
        q.add(Keys.key(rs));
      }
    });
    podInformer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod, boolean initial) {
        addPod(pod);
      }

      @Override
      public void onUpdate(Pod old, Pod cur) {
        updatePod(old, cur);
      }

      @Override
      public void onDelete(Pod pod) {
        deletePod(pod);
      }
    });
  }

  void addPod(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      // After a restart of the controller manager a pod can show up already being deleted: not a creation.
      deletePod(pod);
      return;
    }
    OwnerReference ref = OwnerRefs.controllerOf(pod);
    if (ref != null) {
      ReplicaSet rs = resolveControllerRef(pod.getMetadata().getNamespace(), ref);
      if (rs != null) {
        String key = Keys.key(rs);
        expectations.creationObserved(key);
        queue.add(key);
      }
      return;
    }
    // An orphan: every matching ReplicaSet may want to adopt it (no creation is observed for orphans).
    for (ReplicaSet rs : podReplicaSets(pod)) {
      queue.add(Keys.key(rs));
    }
  }

  void updatePod(Pod old, Pod cur) {
    if (Objects.equals(old.getMetadata().getResourceVersion(), cur.getMetadata().getResourceVersion())) {
      return;
    }
    boolean labelChanged = !Objects.equals(old.getMetadata().getLabels(), cur.getMetadata().getLabels());
    if (cur.getMetadata().getDeletionTimestamp() != null) {
      // Graceful deletion: the pod counts as deleted at once, so that replacements are not held up by it.
      deletePod(cur);
      if (labelChanged) {
        deletePod(old);
      }
      return;
    }
    OwnerReference curRef = OwnerRefs.controllerOf(cur);
    OwnerReference oldRef = OwnerRefs.controllerOf(old);
    boolean refChanged = !Objects.equals(curRef, oldRef);
    if (refChanged && oldRef != null) {
      ReplicaSet rs = resolveControllerRef(old.getMetadata().getNamespace(), oldRef);
      if (rs != null) {
        queue.add(Keys.key(rs));
      }
    }
    if (curRef != null) {
      ReplicaSet rs = resolveControllerRef(cur.getMetadata().getNamespace(), curRef);
      if (rs == null) {
        return;
      }
      queue.add(Keys.key(rs));
      int minReady = minReadySeconds(rs);
      if (!PodUtil.isPodReady(old) && PodUtil.isPodReady(cur) && minReady > 0) {
        // Resync once the pod has been ready for minReadySeconds, to count it available.
        queue.addAfter(Keys.key(rs), context.real(Duration.ofSeconds(minReady + 1L)));
      }
      return;
    }
    if (labelChanged || refChanged) {
      for (ReplicaSet rs : podReplicaSets(cur)) {
        queue.add(Keys.key(rs));
      }
    }
  }

  void deletePod(Pod pod) {
    OwnerReference ref = OwnerRefs.controllerOf(pod);
    if (ref == null) {
      return;
    }
    ReplicaSet rs = resolveControllerRef(pod.getMetadata().getNamespace(), ref);
    if (rs == null) {
      return;
    }
    String key = Keys.key(rs);
    expectations.deletionObserved(key, PodUtil.key(pod));
    queue.add(key);
  }

  private ReplicaSet resolveControllerRef(String namespace, OwnerReference ref) {
    if (!"ReplicaSet".equals(ref.getKind())) {
      return null;
    }
    ReplicaSet rs = rsInformer.getIndexer().get(namespace, ref.getName());
    return rs != null && Objects.equals(rs.getMetadata().getUid(), ref.getUid()) ? rs : null;
  }

  /** getPodReplicaSets: the ReplicaSets of the pod's namespace whose (non-empty) selector matches it. */
  private List<ReplicaSet> podReplicaSets(Pod pod) {
    List<ReplicaSet> out = new ArrayList<>();
    for (ReplicaSet rs : rsInformer.getIndexer().byNamespace(pod.getMetadata().getNamespace())) {
      LabelSelector sel;
      try {
        sel = LabelSelector.fromLabelSelector(rs.getSpec().getSelector());
      } catch (SelectorParseException e) {
        continue;
      }
      if (!sel.isEmpty() && sel.matches(pod.getMetadata().getLabels())) {
        out.add(rs);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- sync

  static int replicas(ReplicaSet rs) {
    return rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
  }

  static int minReadySeconds(ReplicaSet rs) {
    return rs.getSpec().getMinReadySeconds() == null ? 0 : rs.getSpec().getMinReadySeconds();
  }

  @Override
  public CompletionStage<Void> sync(String key) {
    ReplicaSet rs = rsInformer.getIndexer().get(key);
    if (rs == null) {
      expectations.delete(key);
      return Futures.DONE;
    }
    boolean needsSync = expectations.satisfied(key);
    LabelSelector selector;
    try {
      selector = LabelSelector.fromLabelSelector(rs.getSpec().getSelector());
    } catch (SelectorParseException e) {
      log.warn("replicaset {}: invalid selector: {}", key, e.getMessage());
      return Futures.DONE;
    }
    // Every pod of the namespace, to also release those that no longer match but still carry our reference.
    List<Pod> active = PodUtil.filterActivePods(podInformer.getIndexer().byNamespace(rs.getMetadata().getNamespace()));
    ControllerRefManager<Pod> refs = new ControllerRefManager<>(client, rs,
        OwnerRefs.newControllerRef(rs, "apps/v1", "ReplicaSet"),
        p -> selector.matches(p.getMetadata().getLabels()),
        () -> ControllerRefManager.recheck(client.get(ReplicaSet.class, rs.getMetadata().getNamespace(),
            rs.getMetadata().getName()), rs));
    return refs.claim(active).thenCompose(pods -> {
      CompletionStage<Throwable> managed = needsSync && rs.getMetadata().getDeletionTimestamp() == null
          ? manageReplicas(pods, rs, key).handle((x, err) -> err == null ? null : Futures.unwrap(err))
          : Futures.done(null);
      return managed.thenCompose(manageErr -> {
        ReplicaSetStatus status = ReplicaSetStatusLogic.calculateStatus(rs, pods, manageErr,
            context.real(Duration.ofSeconds(minReadySeconds(rs))), clock.instant());
        return updateStatus(rs, status).thenApply(updated -> {
          int want = replicas(updated);
          if (manageErr == null && minReadySeconds(updated) > 0
              && ReplicaSetStatusLogic.orZero(updated.getStatus().getReadyReplicas()) == want
              && ReplicaSetStatusLogic.orZero(updated.getStatus().getAvailableReplicas()) != want) {
            queue.addAfter(key, context.real(Duration.ofSeconds(minReadySeconds(updated))));
          }
          if (manageErr != null) {
            throw Futures.rethrow(manageErr);
          }
          return null;
        });
      });
    });
  }

  /** manageReplicas: create or delete pods toward spec.replicas, counting on the expectations. */
  CompletionStage<Void> manageReplicas(List<Pod> pods, ReplicaSet rs, String key) {
    int diff = pods.size() - replicas(rs);
    if (diff < 0) {
      int create = Math.min(-diff, BURST_REPLICAS);
      expectations.expectCreations(key, create);
      log.debug("replicaset {}: too few replicas, need {}, creating {}", key, replicas(rs), create);
      OwnerReference ref = OwnerRefs.newControllerRef(rs, "apps/v1", "ReplicaSet");
      return SlowStart.batches(create, SlowStart.INITIAL_BATCH_SIZE, () ->
          podControl.createPod(rs.getSpec().getTemplate(), rs, ref).exceptionally(err -> {
            if (PodControl.namespaceTerminating(err)) {
              return null; // the namespace goes: creating is pointless, not a failure
            }
            throw Futures.rethrow(err);
          })).thenApply(result -> {
            // The creations that were never sent will never be observed.
            for (int i = result.successes(); i < create; i++) {
              expectations.creationObserved(key);
            }
            if (result.error() != null) {
              throw Futures.rethrow(result.error());
            }
            return null;
          });
    }
    if (diff > 0) {
      int delete = Math.min(diff, BURST_REPLICAS);
      log.debug("replicaset {}: too many replicas, need {}, deleting {}", key, replicas(rs), delete);
      List<Pod> toDelete = PodUtil.podsToDelete(pods, indirectlyRelatedPods(rs), delete, clock.instant());
      expectations.expectDeletions(key, toDelete.stream().map(PodUtil::key).toList());
      List<CompletionStage<Void>> deletions = new ArrayList<>();
      for (Pod p : toDelete) {
        deletions.add(podControl.deletePod(p.getMetadata().getNamespace(), p.getMetadata().getName(), rs)
            .exceptionally(err -> {
              // Never deleted: its deletion will not be observed.
              expectations.deletionObserved(key, PodUtil.key(p));
              if (io.kemu.api.client.StatusException.of(err) != null
                  && io.kemu.api.client.StatusException.of(err).isNotFound()) {
                return null;
              }
              throw Futures.rethrow(err);
            }));
      }
      return Futures.all(deletions);
    }
    return Futures.DONE;
  }

  /** getIndirectlyRelatedPods: the pods of every ReplicaSet with the same controller (a Deployment's). */
  private List<Pod> indirectlyRelatedPods(ReplicaSet rs) {
    OwnerReference owner = OwnerRefs.controllerOf(rs);
    List<ReplicaSet> related = owner == null ? List.of(rs)
        : rsInformer.getIndexer().byIndex(Indexer.CONTROLLER_UID, owner.getUid());
    List<Pod> out = new ArrayList<>();
    for (ReplicaSet r : related) {
      out.addAll(podInformer.getIndexer().byIndex(Indexer.CONTROLLER_UID, r.getMetadata().getUid()));
    }
    return out;
  }

  /** updateReplicaSetStatus: only when something changed; one retry on a fresh copy. */
  CompletionStage<ReplicaSet> updateStatus(ReplicaSet rs, ReplicaSetStatus status) {
    if (ReplicaSetStatusLogic.sameCounts(rs.getStatus(), status)
        && Objects.equals(rs.getMetadata().getGeneration(), rs.getStatus() == null ? null
        : rs.getStatus().getObservedGeneration())) {
      return Futures.done(rs);
    }
    status.setObservedGeneration(rs.getMetadata().getGeneration());
    return attemptStatusUpdate(rs, status, 0);
  }

  private CompletionStage<ReplicaSet> attemptStatusUpdate(ReplicaSet rs, ReplicaSetStatus status, int attempt) {
    ReplicaSet copy = new io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder(rs).withStatus(status).build();
    return client.updateStatus(copy).handle((updated, err) -> {
      if (err == null) {
        return Futures.done(updated);
      }
      if (attempt >= STATUS_UPDATE_RETRIES) {
        return CompletableFuture.<ReplicaSet>failedFuture(Futures.unwrap(err));
      }
      return client.get(ReplicaSet.class, rs.getMetadata().getNamespace(), rs.getMetadata().getName())
          .thenCompose(fresh -> attemptStatusUpdate(fresh, status, attempt + 1));
    }).thenCompose(x -> x);
  }
}
