package io.kemu.controller.deployment;

import static io.kemu.controller.Workers.await;
import static io.kemu.controller.deployment.DeploymentUtil.replicas;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.kemu.api.KubeJson;
import io.kemu.api.client.KubeClient;
import io.kemu.api.client.Recorder;
import io.kemu.api.client.StatusException;
import io.kemu.api.client.cache.Indexer;
import io.kemu.api.client.cache.Keys;
import io.kemu.api.client.cache.ResourceEventHandler;
import io.kemu.api.client.cache.SharedIndexInformer;
import io.kemu.api.selectors.SelectorParseException;
import io.kemu.controller.ControllerContext;
import io.kemu.controller.ControllerRefManager;
import io.kemu.controller.OwnerRefs;
import io.kemu.controller.PodControl;
import io.kemu.controller.PodUtil;
import io.kemu.controller.Reconciler;
import io.kemu.controller.Workers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pkg/controller/deployment: a Deployment owns ReplicaSets, one per pod template (named and labelled with the
 * pod-template-hash); RollingUpdate grows the new one and shrinks the old ones within maxSurge and
 * maxUnavailable, Recreate scales the old ones to zero first; scaling events resize them proportionally;
 * revisions and their history live in annotations; old ReplicaSets beyond revisionHistoryLimit are deleted; the
 * status and the Progressing and Available conditions are what {@code kubectl rollout status} follows. Each sync
 * runs in the sequential style of the Go controller on a worker thread.
 */
public final class DeploymentController implements Reconciler {
  private static final Logger log = LoggerFactory.getLogger(DeploymentController.class);
  public static final String NAME = "deployment-controller";
  static final String API_VERSION = "apps/v1";

  private final KubeClient client;
  private final Clock clock;
  private final ControllerContext context;
  private final SharedIndexInformer<Deployment> dInformer;
  private final SharedIndexInformer<ReplicaSet> rsInformer;
  private final SharedIndexInformer<Pod> podInformer;
  private final Recorder recorder;
  private Queue queue;

  public DeploymentController(ControllerContext context) {
    this.context = context;
    this.client = context.client();
    this.clock = context.clock();
    this.dInformer = context.informers().informerFor(Deployment.class);
    this.rsInformer = context.informers().informerFor(ReplicaSet.class);
    this.podInformer = context.informers().informerFor(Pod.class);
    rsInformer.addIndexer(Indexer.CONTROLLER_UID, Indexer::controllerUidIndex);
    podInformer.addIndexer(Indexer.CONTROLLER_UID, Indexer::controllerUidIndex);
    this.recorder = context.recorder(NAME);
  }

  @Override
  public String name() {
    return NAME;
  }

  // ---------------------------------------------------------------- event handlers

  @Override
  public void register(Queue q) {
    this.queue = q;
    dInformer.addEventHandler(q.enqueueOnEveryChange());
    rsInformer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(ReplicaSet rs, boolean initial) {
        if (rs.getMetadata().getDeletionTimestamp() != null) {
          onDelete(rs);
          return;
        }
        OwnerReference ref = OwnerRefs.controllerOf(rs);
        if (ref != null) {
          Deployment d = resolveControllerRef(rs.getMetadata().getNamespace(), ref);
          if (d != null) {
            q.add(Keys.key(d));
          }
          return;
        }
        for (Deployment d : deploymentsForReplicaSet(rs)) {
          q.add(Keys.key(d));
        }
      }

      @Override
      public void onUpdate(ReplicaSet old, ReplicaSet cur) {
        if (Objects.equals(old.getMetadata().getResourceVersion(), cur.getMetadata().getResourceVersion())) {
          return;
        }
        OwnerReference curRef = OwnerRefs.controllerOf(cur);
        OwnerReference oldRef = OwnerRefs.controllerOf(old);
        if (!Objects.equals(curRef, oldRef) && oldRef != null) {
          Deployment d = resolveControllerRef(old.getMetadata().getNamespace(), oldRef);
          if (d != null) {
            q.add(Keys.key(d));
          }
        }
        if (curRef != null) {
          Deployment d = resolveControllerRef(cur.getMetadata().getNamespace(), curRef);
          if (d != null) {
            q.add(Keys.key(d));
          }
          return;
        }
        if (!Objects.equals(old.getMetadata().getLabels(), cur.getMetadata().getLabels())
            || !Objects.equals(curRef, oldRef)) {
          for (Deployment d : deploymentsForReplicaSet(cur)) {
            q.add(Keys.key(d));
          }
        }
      }

      @Override
      public void onDelete(ReplicaSet rs) {
        written.remove(rs.getMetadata().getUid());
        OwnerReference ref = OwnerRefs.controllerOf(rs);
        if (ref != null) {
          Deployment d = resolveControllerRef(rs.getMetadata().getNamespace(), ref);
          if (d != null) {
            q.add(Keys.key(d));
          }
        }
      }
    });
    podInformer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onDelete(Pod pod) {
        // deletePod: a Recreate rollout waits for the old pods to be gone.
        OwnerReference ref = OwnerRefs.controllerOf(pod);
        if (ref == null || !"ReplicaSet".equals(ref.getKind())) {
          return;
        }
        ReplicaSet rs = rsInformer.getIndexer().get(pod.getMetadata().getNamespace(), ref.getName());
        if (rs == null || !Objects.equals(rs.getMetadata().getUid(), ref.getUid())) {
          return;
        }
        OwnerReference dref = OwnerRefs.controllerOf(rs);
        Deployment d = dref == null ? null : resolveControllerRef(rs.getMetadata().getNamespace(), dref);
        if (d != null && !DeploymentUtil.isRollingUpdate(d)) {
          q.add(Keys.key(d));
        }
      }
    });
  }

  private Deployment resolveControllerRef(String namespace, OwnerReference ref) {
    if (!"Deployment".equals(ref.getKind())) {
      return null;
    }
    Deployment d = dInformer.getIndexer().get(namespace, ref.getName());
    return d != null && Objects.equals(d.getMetadata().getUid(), ref.getUid()) ? d : null;
  }

  /** getDeploymentsForReplicaSet: the Deployments whose (non-empty) selector matches the ReplicaSet's labels. */
  private List<Deployment> deploymentsForReplicaSet(ReplicaSet rs) {
    List<Deployment> out = new ArrayList<>();
    for (Deployment d : dInformer.getIndexer().byNamespace(rs.getMetadata().getNamespace())) {
      io.kemu.api.selectors.LabelSelector sel;
      try {
        sel = io.kemu.api.selectors.LabelSelector.fromLabelSelector(d.getSpec().getSelector());
      } catch (SelectorParseException e) {
        continue;
      }
      if (!sel.isEmpty() && sel.matches(rs.getMetadata().getLabels())) {
        out.add(d);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- sync

  @Override
  public CompletionStage<Void> sync(String key) {
    return Workers.run(() -> syncDeployment(key));
  }

  /** A sync's view of its Deployment: the latest copy the API answered, updated after each write. */
  private final class Sync {
    Deployment d;

    Sync(Deployment d) {
      this.d = d;
    }

    String name() {
      return d.getMetadata().getName();
    }

    String ns() {
      return d.getMetadata().getNamespace();
    }

    /** UpdateStatus with the status (and annotations) as they are now. */
    void updateStatus() {
      d = await(client.updateStatus(d));
    }
  }

  /** syncDeployment. */
  void syncDeployment(String key) {
    Deployment cached = dInformer.getIndexer().get(key);
    if (cached == null) {
      log.debug("deployment {} has been deleted", key);
      return;
    }
    Sync s = new Sync(KubeJson.copy(cached));
    Deployment d = s.d;
    io.kemu.api.selectors.LabelSelector selector;
    try {
      selector = io.kemu.api.selectors.LabelSelector.fromLabelSelector(d.getSpec().getSelector());
    } catch (SelectorParseException e) {
      log.warn("deployment {}: invalid selector: {}", key, e.getMessage());
      return;
    }
    if (selector.isEmpty()) {
      recorder.warning(d, "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.");
      if (d.getStatus() == null || orZero(d.getStatus().getObservedGeneration()) < orZero(d.getMetadata()
          .getGeneration())) {
        if (d.getStatus() == null) {
          d.setStatus(new DeploymentStatus());
        }
        d.getStatus().setObservedGeneration(d.getMetadata().getGeneration());
        s.updateStatus();
      }
      return;
    }
    List<ReplicaSet> rsList = replicaSetsForDeployment(s, selector);
    if (s.d.getMetadata().getDeletionTimestamp() != null) {
      syncStatusOnly(s, rsList);
      return;
    }
    checkPausedConditions(s);
    if (Boolean.TRUE.equals(s.d.getSpec().getPaused())) {
      syncScaling(s, rsList);
      return;
    }
    if (isScalingEvent(s, rsList)) {
      syncScaling(s, rsList);
      return;
    }
    if (DeploymentUtil.isRollingUpdate(s.d)) {
      rolloutRolling(s, rsList);
    } else {
      rolloutRecreate(s, rsList, podMap(s.d, rsList, selector));
    }
  }

  private static long orZero(Long l) {
    return l == null ? 0 : l;
  }

  /** getReplicaSetsForDeployment: claims the ReplicaSets of the namespace through ControllerRefManager. */
  private List<ReplicaSet> replicaSetsForDeployment(Sync s, io.kemu.api.selectors.LabelSelector selector) {
    Deployment d = s.d;
    List<ReplicaSet> all = rsInformer.getIndexer().byNamespace(s.ns());
    ControllerRefManager<ReplicaSet> refs = new ControllerRefManager<>(client, d,
        OwnerRefs.newControllerRef(d, API_VERSION, "Deployment"),
        rs -> selector.matches(rs.getMetadata().getLabels()),
        () -> ControllerRefManager.recheck(client.get(Deployment.class, s.ns(), s.name()), d));
    return await(refs.claim(all));
  }

  /** getPodMapForDeployment: the pods matching the selector, by the UID of the ReplicaSet controlling them. */
  private Map<String, List<Pod>> podMap(Deployment d, List<ReplicaSet> rsList,
                                        io.kemu.api.selectors.LabelSelector selector) {
    Map<String, List<Pod>> map = new HashMap<>();
    for (ReplicaSet rs : rsList) {
      map.put(rs.getMetadata().getUid(), new ArrayList<>());
    }
    for (Pod p : podInformer.getIndexer().byNamespace(d.getMetadata().getNamespace())) {
      if (!selector.matches(p.getMetadata().getLabels())) {
        continue;
      }
      OwnerReference ref = OwnerRefs.controllerOf(p);
      if (ref != null && map.containsKey(ref.getUid())) {
        map.get(ref.getUid()).add(p);
      }
    }
    return map;
  }

  /** checkPausedConditions: Progressing Unknown DeploymentPaused / DeploymentResumed. */
  private void checkPausedConditions(Sync s) {
    Deployment d = s.d;
    if (!DeploymentUtil.hasProgressDeadline(d)) {
      return;
    }
    DeploymentStatus status = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    DeploymentCondition cond = DeploymentUtil.condition(status, DeploymentUtil.PROGRESSING);
    if (cond != null && DeploymentUtil.TIMED_OUT_REASON.equals(cond.getReason())) {
      return;
    }
    boolean pausedCondExists = cond != null && DeploymentUtil.PAUSED_REASON.equals(cond.getReason());
    boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
    DeploymentCondition next = null;
    if (paused && !pausedCondExists) {
      next = DeploymentUtil.newCondition(DeploymentUtil.PROGRESSING, "Unknown", DeploymentUtil.PAUSED_REASON,
          "Deployment is paused", clock.instant());
    } else if (!paused && pausedCondExists) {
      next = DeploymentUtil.newCondition(DeploymentUtil.PROGRESSING, "Unknown", DeploymentUtil.RESUMED_REASON,
          "Deployment is resumed", clock.instant());
    }
    if (next != null) {
      d.setStatus(status);
      DeploymentUtil.setCondition(status, next);
      s.updateStatus();
    }
  }

  /** isScalingEvent: an active ReplicaSet's desired-replicas annotation differs from spec.replicas. */
  private boolean isScalingEvent(Sync s, List<ReplicaSet> rsList) {
    NewAndOld all = allReplicaSetsAndSyncRevision(s, rsList, false);
    List<ReplicaSet> allRSs = new ArrayList<>(all.old);
    allRSs.add(all.newRS);
    for (ReplicaSet rs : DeploymentUtil.filterActive(allRSs)) {
      Integer desired = DeploymentUtil.intAnnotation(rs, DeploymentUtil.DESIRED_REPLICAS);
      if (desired != null && desired != replicas(s.d)) {
        return true;
      }
    }
    return false;
  }

  private record NewAndOld(ReplicaSet newRS, List<ReplicaSet> old) {}

  /** getAllReplicaSetsAndSyncRevision. */
  private NewAndOld allReplicaSetsAndSyncRevision(Sync s, List<ReplicaSet> cachedList, boolean createIfNotExisted) {
    // Upstream works on the list it started from and retries after the conflicts that follows from it; kemu
    // starts from what this controller wrote last.
    List<ReplicaSet> rsList = new ArrayList<>();
    for (ReplicaSet rs : cachedList) {
      rsList.add(latest(rs));
    }
    ReplicaSet existing = DeploymentUtil.findNewReplicaSet(s.d, rsList);
    List<ReplicaSet> old = DeploymentUtil.findOldReplicaSets(s.d, rsList, existing);
    ReplicaSet newRS = newReplicaSet(s, rsList, old, createIfNotExisted);
    return new NewAndOld(newRS, old);
  }

  /** getNewReplicaSet: syncs the existing new ReplicaSet's annotations, or creates it. */
  private ReplicaSet newReplicaSet(Sync s, List<ReplicaSet> rsList, List<ReplicaSet> oldRSs,
                                   boolean createIfNotExisted) {
    Deployment d = s.d;
    ReplicaSet existing = DeploymentUtil.findNewReplicaSet(d, rsList);
    long maxOldRevision = DeploymentUtil.maxRevision(oldRSs);
    String newRevision = Long.toString(maxOldRevision + 1);
    if (d.getStatus() == null) {
      d.setStatus(new DeploymentStatus());
    }
    if (existing != null) {
      ReplicaSet rsCopy = KubeJson.copy(existing);
      boolean annotationsUpdated = DeploymentUtil.setNewReplicaSetAnnotations(d, rsCopy, newRevision, true);
      boolean minReadyNeedsUpdate = !Objects.equals(orZeroI(rsCopy.getSpec().getMinReadySeconds()),
          DeploymentUtil.minReadySeconds(d));
      if (annotationsUpdated || minReadyNeedsUpdate) {
        rsCopy.getSpec().setMinReadySeconds(DeploymentUtil.minReadySeconds(d));
        ReplicaSet updated = await(client.update(rsCopy));
        written.put(updated.getMetadata().getUid(), updated);
        return updated;
      }
      boolean needsUpdate = setDeploymentRevision(d, DeploymentUtil.annotations(rsCopy).get(DeploymentUtil.REVISION));
      DeploymentCondition cond = DeploymentUtil.condition(d.getStatus(), DeploymentUtil.PROGRESSING);
      if (DeploymentUtil.hasProgressDeadline(d) && cond == null) {
        DeploymentUtil.setCondition(d.getStatus(), DeploymentUtil.newCondition(DeploymentUtil.PROGRESSING, "True",
            DeploymentUtil.FOUND_NEW_RS_REASON, "Found new replica set \"" + rsCopy.getMetadata().getName() + "\"",
            clock.instant()));
        needsUpdate = true;
      }
      if (needsUpdate) {
        s.updateStatus();
      }
      return rsCopy;
    }
    if (!createIfNotExisted) {
      return null;
    }
    PodTemplateSpec template = KubeJson.copy(d.getSpec().getTemplate());
    String hash = DeploymentUtil.computeHash(template, d.getStatus().getCollisionCount());
    Map<String, String> labels = new HashMap<>(template.getMetadata().getLabels() == null ? Map.of()
        : template.getMetadata().getLabels());
    labels.put(DeploymentUtil.POD_TEMPLATE_HASH, hash);
    template.getMetadata().setLabels(labels);
    LabelSelector selector = KubeJson.copy(d.getSpec().getSelector());
    Map<String, String> matchLabels = new HashMap<>(selector.getMatchLabels() == null ? Map.of()
        : selector.getMatchLabels());
    matchLabels.put(DeploymentUtil.POD_TEMPLATE_HASH, hash);
    selector.setMatchLabels(matchLabels);
    ReplicaSet newRS = new ReplicaSetBuilder().withApiVersion(API_VERSION).withKind("ReplicaSet")
        .withNewMetadata().withName(d.getMetadata().getName() + "-" + hash).withNamespace(s.ns())
        .withOwnerReferences(OwnerRefs.newControllerRef(d, API_VERSION, "Deployment"))
        .withLabels(new HashMap<>(labels)).endMetadata()
        .withNewSpec().withReplicas(0).withMinReadySeconds(DeploymentUtil.minReadySeconds(d))
        .withSelector(selector).withTemplate(template).endSpec().build();
    List<ReplicaSet> allRSs = new ArrayList<>(oldRSs);
    allRSs.add(newRS);
    int newReplicasCount = DeploymentUtil.newRSNewReplicas(d, allRSs, newRS);
    newRS.getSpec().setReplicas(newReplicasCount);
    DeploymentUtil.setNewReplicaSetAnnotations(d, newRS, newRevision, false);
    boolean alreadyExists = false;
    ReplicaSet created;
    try {
      created = await(client.create(newRS));
    } catch (StatusException e) {
      if (e.isAlreadyExists()) {
        alreadyExists = true;
        ReplicaSet rs = rsInformer.getIndexer().get(s.ns(), newRS.getMetadata().getName());
        OwnerReference ref = rs == null ? null : OwnerRefs.controllerOf(rs);
        if (rs != null && ref != null && Objects.equals(ref.getUid(), d.getMetadata().getUid())
            && DeploymentUtil.equalIgnoreHash(d.getSpec().getTemplate(), rs.getSpec().getTemplate())) {
          created = rs;
        } else {
          // A hash collision: bump collisionCount and retry with another name in the next sync.
          Integer cc = d.getStatus().getCollisionCount();
          d.getStatus().setCollisionCount(cc == null ? 1 : cc + 1);
          try {
            s.updateStatus();
            log.info("found a hash collision for deployment {} - bumping collisionCount to {}", s.name(),
                s.d.getStatus().getCollisionCount());
          } catch (StatusException ignored) {
            // retried with the original error
          }
          throw e;
        }
      } else if (PodControl.namespaceTerminating(e)) {
        throw e;
      } else {
        String msg = "Failed to create new replica set \"" + newRS.getMetadata().getName() + "\": "
            + e.getMessage();
        if (DeploymentUtil.hasProgressDeadline(d)) {
          DeploymentUtil.setCondition(d.getStatus(), DeploymentUtil.newCondition(DeploymentUtil.PROGRESSING,
              "False", DeploymentUtil.FAILED_RS_CREATE_REASON, msg, clock.instant()));
          try {
            s.updateStatus();
          } catch (StatusException ignored) {
            // the bigger issue is reported below
          }
        }
        recorder.warning(d, DeploymentUtil.FAILED_RS_CREATE_REASON, msg);
        throw e;
      }
    }
    if (!alreadyExists && newReplicasCount > 0) {
      recorder.normal(d, "ScalingReplicaSet", "Scaled up replica set " + created.getMetadata().getName()
          + " from 0 to " + newReplicasCount);
    }
    boolean needsUpdate = setDeploymentRevision(d, newRevision);
    if (!alreadyExists && DeploymentUtil.hasProgressDeadline(d)) {
      DeploymentUtil.setCondition(d.getStatus(), DeploymentUtil.newCondition(DeploymentUtil.PROGRESSING, "True",
          DeploymentUtil.NEW_RS_REASON, "Created new replica set \"" + created.getMetadata().getName() + "\"",
          clock.instant()));
      needsUpdate = true;
    }
    if (needsUpdate) {
      s.updateStatus();
    }
    return created;
  }

  private static Integer orZeroI(Integer i) {
    return i == null ? 0 : i;
  }

  /** SetDeploymentRevision: the revision annotation of the Deployment; answers whether it changed. */
  static boolean setDeploymentRevision(Deployment d, String revision) {
    Map<String, String> ann = d.getMetadata().getAnnotations() == null ? new HashMap<>()
        : new HashMap<>(d.getMetadata().getAnnotations());
    if (revision == null || Objects.equals(ann.get(DeploymentUtil.REVISION), revision)) {
      return false;
    }
    ann.put(DeploymentUtil.REVISION, revision);
    d.getMetadata().setAnnotations(ann);
    return true;
  }

  // ---------------------------------------------------------------- rolling (rolling.go)

  private void rolloutRolling(Sync s, List<ReplicaSet> rsList) {
    NewAndOld all = allReplicaSetsAndSyncRevision(s, rsList, true);
    ReplicaSet newRS = all.newRS;
    List<ReplicaSet> oldRSs = all.old;
    List<ReplicaSet> allRSs = new ArrayList<>(oldRSs);
    allRSs.add(newRS);
    ScaleResult up = reconcileNewReplicaSet(s, allRSs, newRS);
    if (up.scaled) {
      allRSs.set(allRSs.size() - 1, up.rs);
      syncRolloutStatus(s, allRSs, up.rs);
      return;
    }
    boolean scaledDown = reconcileOldReplicaSets(s, allRSs, DeploymentUtil.filterActive(oldRSs), newRS);
    if (scaledDown) {
      syncRolloutStatus(s, allRSs, newRS);
      return;
    }
    if (DeploymentUtil.deploymentComplete(s.d, s.d.getStatus())) {
      cleanupDeployment(s, oldRSs);
    }
    syncRolloutStatus(s, allRSs, newRS);
  }

  private record ScaleResult(boolean scaled, ReplicaSet rs) {}

  /** reconcileNewReplicaSet. */
  private ScaleResult reconcileNewReplicaSet(Sync s, List<ReplicaSet> allRSs, ReplicaSet newRS) {
    Deployment d = s.d;
    if (replicas(newRS) == replicas(d)) {
      return new ScaleResult(false, newRS);
    }
    if (replicas(newRS) > replicas(d)) {
      return scaleReplicaSetAndRecordEvent(s, newRS, replicas(d));
    }
    int newReplicasCount = DeploymentUtil.newRSNewReplicas(d, allRSs, newRS);
    return scaleReplicaSetAndRecordEvent(s, newRS, newReplicasCount);
  }

  /** reconcileOldReplicaSets: scales old ReplicaSets down as far as maxUnavailable allows. */
  private boolean reconcileOldReplicaSets(Sync s, List<ReplicaSet> allRSs, List<ReplicaSet> oldRSs,
                                          ReplicaSet newRS) {
    Deployment d = s.d;
    int oldPodsCount = DeploymentUtil.replicaCount(oldRSs);
    if (oldPodsCount == 0) {
      return false;
    }
    int allPodsCount = DeploymentUtil.replicaCount(allRSs);
    int maxUnavailable = DeploymentUtil.maxUnavailable(d);
    int minAvailable = replicas(d) - maxUnavailable;
    int newRSUnavailable = replicas(newRS) - (newRS.getStatus() == null ? 0
        : DeploymentUtil.orZero(newRS.getStatus().getAvailableReplicas()));
    int maxScaledDown = allPodsCount - minAvailable - newRSUnavailable;
    if (maxScaledDown <= 0) {
      return false;
    }
    // Clean up unhealthy replicas first, otherwise unhealthy replicas will block the deployment.
    List<ReplicaSet> cleaned = new ArrayList<>();
    int cleanedUp = cleanupUnhealthyReplicas(s, oldRSs, maxScaledDown, cleaned);
    List<ReplicaSet> all2 = new ArrayList<>(cleaned);
    all2.add(newRS);
    int scaledDown = scaleDownOldReplicaSetsForRollingUpdate(s, all2, cleaned);
    return cleanedUp + scaledDown > 0;
  }

  /** cleanupUnhealthyReplicas: scales old ReplicaSets down by their unavailable pods, oldest first. */
  private int cleanupUnhealthyReplicas(Sync s, List<ReplicaSet> oldRSs, int maxCleanup, List<ReplicaSet> out) {
    List<ReplicaSet> sorted = new ArrayList<>(oldRSs);
    sorted.sort(DeploymentUtil.BY_CREATION);
    int total = 0;
    for (ReplicaSet rs : sorted) {
      if (total >= maxCleanup) {
        out.add(rs);
        continue;
      }
      if (replicas(rs) == 0) {
        out.add(rs);
        continue;
      }
      int available = rs.getStatus() == null ? 0 : DeploymentUtil.orZero(rs.getStatus().getAvailableReplicas());
      if (replicas(rs) == available) {
        out.add(rs);
        continue;
      }
      int scaledDownCount = Math.min(maxCleanup - total, replicas(rs) - available);
      int newReplicasCount = replicas(rs) - scaledDownCount;
      if (newReplicasCount > replicas(rs)) {
        throw new IllegalStateException("when cleaning up unhealthy replicas, got invalid request to scale down "
            + rs.getMetadata().getName() + " " + replicas(rs) + " -> " + newReplicasCount);
      }
      ScaleResult r = scaleReplicaSetAndRecordEvent(s, rs, newReplicasCount);
      out.add(r.rs);
      total += scaledDownCount;
    }
    return total;
  }

  /** scaleDownOldReplicaSetsForRollingUpdate: keeps minAvailable available pods, oldest ReplicaSets first. */
  private int scaleDownOldReplicaSetsForRollingUpdate(Sync s, List<ReplicaSet> allRSs, List<ReplicaSet> oldRSs) {
    Deployment d = s.d;
    int minAvailable = replicas(d) - DeploymentUtil.maxUnavailable(d);
    int availablePodCount = DeploymentUtil.availableReplicaCount(allRSs);
    if (availablePodCount <= minAvailable) {
      return 0;
    }
    int totalScaleDown = availablePodCount - minAvailable;
    int totalScaledDown = 0;
    List<ReplicaSet> sorted = new ArrayList<>(oldRSs);
    sorted.sort(DeploymentUtil.BY_CREATION);
    for (ReplicaSet rs : sorted) {
      if (totalScaledDown >= totalScaleDown) {
        break;
      }
      if (replicas(rs) == 0) {
        continue;
      }
      int scaleDownCount = Math.min(replicas(rs), totalScaleDown - totalScaledDown);
      int newReplicasCount = replicas(rs) - scaleDownCount;
      scaleReplicaSetAndRecordEvent(s, rs, newReplicasCount);
      totalScaledDown += scaleDownCount;
    }
    return totalScaledDown;
  }

  // ---------------------------------------------------------------- recreate (recreate.go)

  private void rolloutRecreate(Sync s, List<ReplicaSet> rsList, Map<String, List<Pod>> podMap) {
    NewAndOld all = allReplicaSetsAndSyncRevision(s, rsList, false);
    ReplicaSet newRS = all.newRS;
    List<ReplicaSet> oldRSs = all.old;
    List<ReplicaSet> allRSs = new ArrayList<>(oldRSs);
    allRSs.add(newRS);
    boolean scaledDown = false;
    for (ReplicaSet rs : DeploymentUtil.filterActive(oldRSs)) {
      if (replicas(rs) != 0 && scaleReplicaSetAndRecordEvent(s, rs, 0).scaled) {
        scaledDown = true;
      }
    }
    if (scaledDown) {
      syncRolloutStatus(s, allRSs, newRS);
      return;
    }
    if (oldPodsRunning(newRS, oldRSs, podMap)) {
      syncRolloutStatus(s, allRSs, newRS);
      return;
    }
    if (newRS == null) {
      all = allReplicaSetsAndSyncRevision(s, rsList, true);
      newRS = all.newRS;
      oldRSs = all.old;
      allRSs = new ArrayList<>(oldRSs);
      allRSs.add(newRS);
    }
    // scaleUpNewReplicaSetForRecreate
    ScaleResult up = scaleReplicaSetAndRecordEvent(s, newRS, replicas(s.d));
    if (up.scaled) {
      allRSs.set(allRSs.size() - 1, up.rs);
      newRS = up.rs;
    }
    if (DeploymentUtil.deploymentComplete(s.d, s.d.getStatus())) {
      cleanupDeployment(s, oldRSs);
    }
    syncRolloutStatus(s, allRSs, newRS);
  }

  /** oldPodsRunning: any old ReplicaSet still has pods that are not terminal. */
  static boolean oldPodsRunning(ReplicaSet newRS, List<ReplicaSet> oldRSs, Map<String, List<Pod>> podMap) {
    if (DeploymentUtil.actualReplicaCount(oldRSs) > 0) {
      return true;
    }
    for (Map.Entry<String, List<Pod>> e : podMap.entrySet()) {
      if (newRS != null && newRS.getMetadata().getUid().equals(e.getKey())) {
        continue;
      }
      for (Pod p : e.getValue()) {
        String phase = PodUtil.phase(p);
        if (!phase.equals("Failed") && !phase.equals("Succeeded")) {
          return true;
        }
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- scaling (sync.go)

  /** sync: scaling or paused; no rollout. */
  private void syncScaling(Sync s, List<ReplicaSet> rsList) {
    NewAndOld all = allReplicaSetsAndSyncRevision(s, rsList, false);
    scale(s, all.newRS, all.old);
    // Re-read: scale() may have written some of them.
    List<ReplicaSet> fresh = new ArrayList<>();
    for (ReplicaSet rs : all.old) {
      fresh.add(latest(rs));
    }
    ReplicaSet newRS = all.newRS == null ? null : latest(all.newRS);
    if (Boolean.TRUE.equals(s.d.getSpec().getPaused())) {
      cleanupDeployment(s, fresh);
    }
    List<ReplicaSet> allRSs = new ArrayList<>(fresh);
    allRSs.add(newRS);
    syncDeploymentStatus(s, allRSs, newRS);
  }

  private final Map<String, ReplicaSet> written = new java.util.concurrent.ConcurrentHashMap<>();

  /** The newest copy of a ReplicaSet: the one this controller just wrote, or the cache's. */
  private ReplicaSet latest(ReplicaSet rs) {
    ReplicaSet w = written.get(rs.getMetadata().getUid());
    if (w != null && rv(w) >= rv(rs)) {
      return w;
    }
    return rs;
  }

  private static long rv(ReplicaSet rs) {
    try {
      return Long.parseLong(rs.getMetadata().getResourceVersion());
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** scale: proportional scaling of the active ReplicaSets when spec.replicas changes mid-rollout. */
  private void scale(Sync s, ReplicaSet newRS, List<ReplicaSet> oldRSs) {
    Deployment d = s.d;
    ReplicaSet activeOrLatest = DeploymentUtil.findActiveOrLatest(newRS, oldRSs);
    if (activeOrLatest != null) {
      if (replicas(activeOrLatest) == replicas(d)) {
        return;
      }
      scaleReplicaSetAndRecordEvent(s, activeOrLatest, replicas(d));
      return;
    }
    if (DeploymentUtil.isSaturated(d, newRS)) {
      for (ReplicaSet old : DeploymentUtil.filterActive(oldRSs)) {
        scaleReplicaSetAndRecordEvent(s, old, 0);
      }
      return;
    }
    if (!DeploymentUtil.isRollingUpdate(d)) {
      return;
    }
    List<ReplicaSet> withNew = new ArrayList<>(oldRSs);
    withNew.add(newRS);
    List<ReplicaSet> allRSs = DeploymentUtil.filterActive(withNew);
    int allRSsReplicas = DeploymentUtil.replicaCount(allRSs);
    int allowedSize = replicas(d) > 0 ? replicas(d) + DeploymentUtil.maxSurge(d) : 0;
    int toAdd = allowedSize - allRSsReplicas;
    String op = "";
    if (toAdd > 0) {
      // ReplicaSetsBySizeNewer
      allRSs.sort(Comparator.comparingInt((ReplicaSet rs) -> -replicas(rs))
          .thenComparing(DeploymentUtil.BY_CREATION.reversed()));
      op = "up";
    } else if (toAdd < 0) {
      // ReplicaSetsBySizeOlder
      allRSs.sort(Comparator.comparingInt((ReplicaSet rs) -> -replicas(rs)).thenComparing(DeploymentUtil.BY_CREATION));
      op = "down";
    }
    int added = 0;
    Map<String, Integer> nameToSize = new HashMap<>();
    for (ReplicaSet rs : allRSs) {
      if (toAdd != 0) {
        int p = DeploymentUtil.proportion(rs, d, toAdd, added);
        nameToSize.put(rs.getMetadata().getName(), replicas(rs) + p);
        added += p;
      } else {
        nameToSize.put(rs.getMetadata().getName(), replicas(rs));
      }
    }
    for (int i = 0; i < allRSs.size(); i++) {
      ReplicaSet rs = allRSs.get(i);
      if (i == 0 && toAdd != 0) {
        int leftover = toAdd - added;
        nameToSize.put(rs.getMetadata().getName(), Math.max(0, nameToSize.get(rs.getMetadata().getName())
            + leftover));
      }
      scaleReplicaSet(s, rs, nameToSize.get(rs.getMetadata().getName()), op);
    }
  }

  /** scaleReplicaSetAndRecordEvent. */
  private ScaleResult scaleReplicaSetAndRecordEvent(Sync s, ReplicaSet rs, int newScale) {
    if (replicas(rs) == newScale) {
      return new ScaleResult(false, rs);
    }
    return scaleReplicaSet(s, rs, newScale, replicas(rs) < newScale ? "up" : "down");
  }

  /** scaleReplicaSet: spec.replicas and the replicas annotations in one update; an event when it resized. */
  private ScaleResult scaleReplicaSet(Sync s, ReplicaSet rs, int newScale, String op) {
    Deployment d = s.d;
    boolean sizeNeedsUpdate = replicas(rs) != newScale;
    int max = replicas(d) + DeploymentUtil.maxSurge(d);
    boolean annotationsNeedUpdate = DeploymentUtil.replicasAnnotationsNeedUpdate(rs, replicas(d), max);
    if (!sizeNeedsUpdate && !annotationsNeedUpdate) {
      return new ScaleResult(false, rs);
    }
    int oldScale = replicas(rs);
    ReplicaSet copy = KubeJson.copy(rs);
    copy.getSpec().setReplicas(newScale);
    DeploymentUtil.setReplicasAnnotations(copy, replicas(d), max);
    ReplicaSet updated = await(client.update(copy));
    written.put(updated.getMetadata().getUid(), updated);
    if (sizeNeedsUpdate) {
      recorder.normal(d, "ScalingReplicaSet", "Scaled " + op + " replica set " + updated.getMetadata().getName()
          + " from " + oldScale + " to " + newScale);
    }
    return new ScaleResult(sizeNeedsUpdate, updated);
  }

  // ---------------------------------------------------------------- history and status

  /** cleanupDeployment: deletes the oldest scaled-down ReplicaSets beyond revisionHistoryLimit. */
  private void cleanupDeployment(Sync s, List<ReplicaSet> oldRSs) {
    Deployment d = s.d;
    if (d.getSpec().getRevisionHistoryLimit() == null) {
      return;
    }
    List<ReplicaSet> cleanable = new ArrayList<>();
    for (ReplicaSet rs : oldRSs) {
      if (rs != null && rs.getMetadata().getDeletionTimestamp() == null) {
        cleanable.add(rs);
      }
    }
    int diff = cleanable.size() - d.getSpec().getRevisionHistoryLimit();
    if (diff <= 0) {
      return;
    }
    // ReplicaSetsByRevision: oldest revision first (creation order for equal revisions).
    cleanable.sort(Comparator.comparingLong(DeploymentUtil::revision).thenComparing(DeploymentUtil.BY_CREATION));
    for (int i = 0; i < diff; i++) {
      ReplicaSet rs = cleanable.get(i);
      long observed = rs.getStatus() == null || rs.getStatus().getObservedGeneration() == null ? 0
          : rs.getStatus().getObservedGeneration();
      long generation = rs.getMetadata().getGeneration() == null ? 0 : rs.getMetadata().getGeneration();
      if ((rs.getStatus() != null && DeploymentUtil.orZero(rs.getStatus().getReplicas()) != 0) || replicas(rs) != 0
          || generation > observed || rs.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      log.debug("deployment {}: deleting old replica set {}", s.name(), rs.getMetadata().getName());
      try {
        await(client.delete(ReplicaSet.class, rs.getMetadata().getNamespace(), rs.getMetadata().getName(),
            new io.fabric8.kubernetes.api.model.DeleteOptionsBuilder().withNewPreconditions()
                .withUid(rs.getMetadata().getUid()).endPreconditions().build()));
      } catch (StatusException e) {
        if (!e.isNotFound()) {
          throw e;
        }
      }
    }
  }

  /** syncDeploymentStatus: the counts only. */
  private void syncDeploymentStatus(Sync s, List<ReplicaSet> allRSs, ReplicaSet newRS) {
    DeploymentStatus next = DeploymentUtil.calculateStatus(allRSs, newRS, s.d, clock.instant());
    if (DeploymentUtil.sameStatus(s.d.getStatus(), next)) {
      return;
    }
    s.d.setStatus(next);
    s.updateStatus();
  }

  /** syncStatusOnly: a Deployment being deleted only reports. */
  private void syncStatusOnly(Sync s, List<ReplicaSet> rsList) {
    NewAndOld all = allReplicaSetsAndSyncRevision(s, rsList, false);
    List<ReplicaSet> allRSs = new ArrayList<>(all.old);
    allRSs.add(all.newRS);
    syncDeploymentStatus(s, allRSs, all.newRS);
  }

  /** syncRolloutStatus (progress.go): the counts and the Progressing condition. */
  private void syncRolloutStatus(Sync s, List<ReplicaSet> allRSs, ReplicaSet newRS) {
    Deployment d = s.d;
    Instant now = clock.instant();
    List<ReplicaSet> fresh = new ArrayList<>();
    for (ReplicaSet rs : allRSs) {
      fresh.add(rs == null ? null : latest(rs));
    }
    DeploymentStatus next = DeploymentUtil.calculateStatus(fresh, newRS == null ? null : latest(newRS), d, now);
    if (!DeploymentUtil.hasProgressDeadline(d)) {
      DeploymentUtil.removeCondition(next, DeploymentUtil.PROGRESSING);
    }
    DeploymentCondition current = DeploymentUtil.condition(next, DeploymentUtil.PROGRESSING);
    boolean isComplete = DeploymentUtil.orZero(next.getReplicas()) == DeploymentUtil.orZero(next.getUpdatedReplicas())
        && current != null && DeploymentUtil.NEW_RS_AVAILABLE_REASON.equals(current.getReason());
    Duration deadline = context.real(Duration.ofSeconds(DeploymentUtil.progressDeadlineSeconds(d)));
    String rsName = newRS == null ? null : newRS.getMetadata().getName();
    if (DeploymentUtil.hasProgressDeadline(d) && !isComplete) {
      if (DeploymentUtil.deploymentComplete(d, next)) {
        String msg = rsName != null ? "ReplicaSet \"" + rsName + "\" has successfully progressed."
            : "Deployment \"" + s.name() + "\" has successfully progressed.";
        DeploymentUtil.setCondition(next, DeploymentUtil.newCondition(DeploymentUtil.PROGRESSING, "True",
            DeploymentUtil.NEW_RS_AVAILABLE_REASON, msg, now));
      } else if (DeploymentUtil.deploymentProgressing(d, next)) {
        String msg = rsName != null ? "ReplicaSet \"" + rsName + "\" is progressing."
            : "Deployment \"" + s.name() + "\" is progressing.";
        DeploymentCondition c = DeploymentUtil.newCondition(DeploymentUtil.PROGRESSING, "True",
            DeploymentUtil.RS_UPDATED_REASON, msg, now);
        if (current != null) {
          if ("True".equals(current.getStatus())) {
            c.setLastTransitionTime(current.getLastTransitionTime());
          }
          DeploymentUtil.removeCondition(next, DeploymentUtil.PROGRESSING);
        }
        DeploymentUtil.setCondition(next, c);
      } else if (DeploymentUtil.deploymentTimedOut(d, next, deadline, now)) {
        String msg = rsName != null ? "ReplicaSet \"" + rsName + "\" has timed out progressing."
            : "Deployment \"" + s.name() + "\" has timed out progressing.";
        DeploymentUtil.setCondition(next, DeploymentUtil.newCondition(DeploymentUtil.PROGRESSING, "False",
            DeploymentUtil.TIMED_OUT_REASON, msg, now));
      }
    }
    DeploymentCondition failure = DeploymentUtil.replicaFailure(fresh, newRS);
    if (failure != null) {
      DeploymentUtil.setCondition(next, failure);
    } else {
      DeploymentUtil.removeCondition(next, DeploymentUtil.REPLICA_FAILURE);
    }
    if (DeploymentUtil.sameStatus(d.getStatus(), next)) {
      requeueStuckDeployment(s, next, deadline, now);
      return;
    }
    d.setStatus(next);
    s.updateStatus();
  }

  /** requeueStuckDeployment: check again when the progress deadline would pass. */
  private void requeueStuckDeployment(Sync s, DeploymentStatus next, Duration deadline, Instant now) {
    DeploymentCondition c = DeploymentUtil.condition(next, DeploymentUtil.PROGRESSING);
    if (!DeploymentUtil.hasProgressDeadline(s.d) || c == null || !"True".equals(c.getStatus())
        || DeploymentUtil.NEW_RS_AVAILABLE_REASON.equals(c.getReason())
        || DeploymentUtil.deploymentComplete(s.d, next)) {
      return;
    }
    Instant from = KubeJson.parseTime(c.getLastUpdateTime());
    if (from == null || queue == null) {
      return;
    }
    Duration after = Duration.between(now, from.plus(deadline));
    if (after.compareTo(Duration.ofSeconds(1)) < 0) {
      after = Duration.ofSeconds(1);
    }
    queue.addAfter(Keys.key(s.d), after.plusMillis(10));
  }
}
