package io.kemu.controller.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.kemu.api.KubeJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * pkg/controller/deployment/util/deployment_util.go and the helpers of pkg/controller it uses: revisions and their
 * annotations, the pod-template-hash, fenceposts (maxSurge, maxUnavailable), replica counts over ReplicaSets,
 * conditions, and the status the controller computes. Pure functions over the objects; the controller writes.
 */
public final class DeploymentUtil {
  private DeploymentUtil() {}

  public static final String REVISION = "deployment.kubernetes.io/revision";
  public static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
  public static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
  public static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
  public static final String POD_TEMPLATE_HASH = "pod-template-hash";
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  static final String ROLLBACK_TO = "deprecated.deployment.rollback.to";
  /** annotationsToSkip: never copied from the Deployment to its ReplicaSets. */
  static final Set<String> ANNOTATIONS_TO_SKIP = Set.of(LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS,
      MAX_REPLICAS, ROLLBACK_TO);
  /** maxRevHistoryLengthInChars. */
  static final int MAX_REV_HISTORY_CHARS = 2000;

  // Condition types and reasons (deployment_util.go).
  public static final String AVAILABLE = "Available";
  public static final String PROGRESSING = "Progressing";
  public static final String REPLICA_FAILURE = "ReplicaFailure";
  public static final String NEW_RS_REASON = "NewReplicaSetCreated";
  public static final String FOUND_NEW_RS_REASON = "FoundNewReplicaSet";
  public static final String NEW_RS_AVAILABLE_REASON = "NewReplicaSetAvailable";
  public static final String RS_UPDATED_REASON = "ReplicaSetUpdated";
  public static final String TIMED_OUT_REASON = "ProgressDeadlineExceeded";
  public static final String FAILED_RS_CREATE_REASON = "ReplicaSetCreateError";
  public static final String PAUSED_REASON = "DeploymentPaused";
  public static final String RESUMED_REASON = "DeploymentResumed";
  public static final String MIN_AVAILABLE_REASON = "MinimumReplicasAvailable";
  public static final String MIN_UNAVAILABLE_REASON = "MinimumReplicasUnavailable";

  static int orZero(Integer i) {
    return i == null ? 0 : i;
  }

  public static int replicas(Deployment d) {
    return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
  }

  public static int replicas(ReplicaSet rs) {
    return rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
  }

  static Map<String, String> annotations(ReplicaSet rs) {
    return rs.getMetadata().getAnnotations() == null ? Map.of() : rs.getMetadata().getAnnotations();
  }

  public static boolean isRollingUpdate(Deployment d) {
    return d.getSpec().getStrategy() == null || d.getSpec().getStrategy().getType() == null
        || "RollingUpdate".equals(d.getSpec().getStrategy().getType());
  }

  static int minReadySeconds(Deployment d) {
    return d.getSpec().getMinReadySeconds() == null ? 0 : d.getSpec().getMinReadySeconds();
  }

  // ---------------------------------------------------------------- pod-template-hash

  /**
   * controller.ComputeHash: FNV-32a over the template (kemu hashes its canonical JSON, sorted keys, where Go
   * hashes the printed struct) plus the collision count as 8 little-endian bytes, the decimal sum encoded with
   * rand.SafeEncodeString's alphabet.
   */
  public static String computeHash(PodTemplateSpec template, Integer collisionCount) {
    byte[] bytes = canonical(KubeJson.MAPPER.valueToTree(template)).getBytes(StandardCharsets.UTF_8);
    int h = 0x811c9dc5;
    for (byte b : bytes) {
      h ^= (b & 0xff);
      h *= 0x01000193;
    }
    if (collisionCount != null) {
      int c = collisionCount;
      byte[] cb = {(byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24), 0, 0, 0, 0};
      for (byte b : cb) {
        h ^= (b & 0xff);
        h *= 0x01000193;
      }
    }
    return safeEncode(Long.toString(Integer.toUnsignedLong(h)));
  }

  /** rand.SafeEncodeString: no vowels, no look-alike characters. */
  static String safeEncode(String s) {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder sb = new StringBuilder(s.length());
    for (char ch : s.toCharArray()) {
      sb.append(alphabet.charAt(ch % alphabet.length()));
    }
    return sb.toString();
  }

  private static String canonical(JsonNode n) {
    if (n.isObject()) {
      TreeMap<String, JsonNode> sorted = new TreeMap<>();
      n.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
      StringBuilder sb = new StringBuilder("{");
      for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
        if (sb.length() > 1) {
          sb.append(',');
        }
        sb.append(KubeJson.string(e.getKey())).append(':').append(canonical(e.getValue()));
      }
      return sb.append('}').toString();
    }
    if (n.isArray()) {
      StringBuilder sb = new StringBuilder("[");
      for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
        sb.append(canonical(it.next()));
        if (it.hasNext()) {
          sb.append(',');
        }
      }
      return sb.append(']').toString();
    }
    return n.toString();
  }

  /** EqualIgnoreHash: the templates are equal once the pod-template-hash label is left out of both. */
  public static boolean equalIgnoreHash(PodTemplateSpec a, PodTemplateSpec b) {
    return withoutHash(a).equals(withoutHash(b));
  }

  private static JsonNode withoutHash(PodTemplateSpec t) {
    ObjectNode tree = KubeJson.MAPPER.valueToTree(t);
    JsonNode labels = tree.path("metadata").path("labels");
    if (labels.isObject()) {
      ((ObjectNode) labels).remove(POD_TEMPLATE_HASH);
      if (labels.isEmpty()) {
        ((ObjectNode) tree.path("metadata")).remove("labels");
      }
    }
    return tree;
  }

  // ---------------------------------------------------------------- finding ReplicaSets

  /** ReplicaSetsByCreationTimestamp: oldest first, then by name. */
  public static final Comparator<ReplicaSet> BY_CREATION = Comparator
      .comparing((ReplicaSet rs) -> created(rs))
      .thenComparing(rs -> rs.getMetadata().getName());

  static Instant created(ReplicaSet rs) {
    Instant t = KubeJson.parseTime(rs.getMetadata().getCreationTimestamp());
    return t == null ? Instant.EPOCH : t;
  }

  /** FindNewReplicaSet: the oldest ReplicaSet whose template equals the Deployment's (ignoring the hash). */
  public static ReplicaSet findNewReplicaSet(Deployment d, List<ReplicaSet> rsList) {
    List<ReplicaSet> sorted = new ArrayList<>(rsList);
    sorted.sort(BY_CREATION);
    for (ReplicaSet rs : sorted) {
      if (equalIgnoreHash(rs.getSpec().getTemplate(), d.getSpec().getTemplate())) {
        return rs;
      }
    }
    return null;
  }

  /** FindOldReplicaSets: every ReplicaSet but the new one. */
  public static List<ReplicaSet> findOldReplicaSets(Deployment d, List<ReplicaSet> rsList, ReplicaSet newRS) {
    List<ReplicaSet> old = new ArrayList<>();
    for (ReplicaSet rs : rsList) {
      if (newRS == null || !rs.getMetadata().getUid().equals(newRS.getMetadata().getUid())) {
        old.add(rs);
      }
    }
    return old;
  }

  /** controller.FilterActiveReplicaSets: those with spec.replicas > 0. */
  public static List<ReplicaSet> filterActive(List<ReplicaSet> rss) {
    List<ReplicaSet> out = new ArrayList<>();
    for (ReplicaSet rs : rss) {
      if (rs != null && replicas(rs) > 0) {
        out.add(rs);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- revisions

  public static long revision(ReplicaSet rs) {
    String v = annotations(rs).get(REVISION);
    if (v == null) {
      return 0;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  public static long maxRevision(List<ReplicaSet> rss) {
    long max = 0;
    for (ReplicaSet rs : rss) {
      max = Math.max(max, revision(rs));
    }
    return max;
  }

  /** copyDeploymentAnnotationsToReplicaSet: answers whether anything changed. */
  static boolean copyDeploymentAnnotations(Deployment d, ReplicaSet rs) {
    boolean changed = false;
    Map<String, String> rsAnn = rs.getMetadata().getAnnotations() == null ? new HashMap<>()
        : new HashMap<>(rs.getMetadata().getAnnotations());
    Map<String, String> dAnn = d.getMetadata().getAnnotations() == null ? Map.of() : d.getMetadata().getAnnotations();
    for (Map.Entry<String, String> e : dAnn.entrySet()) {
      if (ANNOTATIONS_TO_SKIP.contains(e.getKey()) || Objects.equals(rsAnn.get(e.getKey()), e.getValue())) {
        continue;
      }
      rsAnn.put(e.getKey(), e.getValue());
      changed = true;
    }
    rs.getMetadata().setAnnotations(rsAnn);
    return changed;
  }

  /** SetNewReplicaSetAnnotations: the Deployment's annotations, the revision (and its history on a rollback). */
  static boolean setNewReplicaSetAnnotations(Deployment d, ReplicaSet rs, String newRevision, boolean exists) {
    boolean changed = copyDeploymentAnnotations(d, rs);
    Map<String, String> ann = rs.getMetadata().getAnnotations();
    String oldRevision = ann.get(REVISION);
    long oldRev;
    try {
      oldRev = oldRevision == null || oldRevision.isEmpty() ? 0 : Long.parseLong(oldRevision);
    } catch (NumberFormatException e) {
      return false;
    }
    long newRev = Long.parseLong(newRevision);
    if (oldRev < newRev) {
      ann.put(REVISION, newRevision);
      changed = true;
    }
    if (oldRevision != null && oldRev < newRev) {
      String history = ann.getOrDefault(REVISION_HISTORY, "");
      if (history.isEmpty()) {
        ann.put(REVISION_HISTORY, oldRevision);
      } else {
        List<String> old = new ArrayList<>(List.of(history.split(",")));
        int total = history.length() + oldRevision.length() + 1;
        int start = 0;
        while (total > MAX_REV_HISTORY_CHARS && start < old.size()) {
          total -= old.get(start).length() + 1;
          start++;
        }
        if (total <= MAX_REV_HISTORY_CHARS) {
          List<String> kept = new ArrayList<>(old.subList(start, old.size()));
          kept.add(oldRevision);
          ann.put(REVISION_HISTORY, String.join(",", kept));
        }
      }
    }
    if (!exists && setReplicasAnnotations(rs, replicas(d), replicas(d) + maxSurge(d))) {
      changed = true;
    }
    return changed;
  }

  /** SetReplicasAnnotations: desired-replicas and max-replicas; answers whether they changed. */
  static boolean setReplicasAnnotations(ReplicaSet rs, int desired, int max) {
    Map<String, String> ann = rs.getMetadata().getAnnotations() == null ? new HashMap<>()
        : new HashMap<>(rs.getMetadata().getAnnotations());
    boolean changed = false;
    if (!Integer.toString(desired).equals(ann.get(DESIRED_REPLICAS))) {
      ann.put(DESIRED_REPLICAS, Integer.toString(desired));
      changed = true;
    }
    if (!Integer.toString(max).equals(ann.get(MAX_REPLICAS))) {
      ann.put(MAX_REPLICAS, Integer.toString(max));
      changed = true;
    }
    rs.getMetadata().setAnnotations(ann);
    return changed;
  }

  static boolean replicasAnnotationsNeedUpdate(ReplicaSet rs, int desired, int max) {
    Map<String, String> ann = annotations(rs);
    return !Integer.toString(desired).equals(ann.get(DESIRED_REPLICAS))
        || !Integer.toString(max).equals(ann.get(MAX_REPLICAS));
  }

  static Integer intAnnotation(ReplicaSet rs, String key) {
    String v = annotations(rs).get(key);
    if (v == null) {
      return null;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  // ---------------------------------------------------------------- fenceposts

  /** intstr.GetScaledValueFromIntOrPercent. */
  static int scaledValue(IntOrString v, int total, boolean roundUp) {
    if (v == null) {
      return (int) (roundUp ? Math.ceil(total * 25 / 100.0) : Math.floor(total * 25 / 100.0));
    }
    if (v.getIntVal() != null) {
      return v.getIntVal();
    }
    String s = v.getStrVal();
    if (s != null && s.endsWith("%")) {
      int pct = Integer.parseInt(s.substring(0, s.length() - 1));
      double scaled = total * pct / 100.0;
      return (int) (roundUp ? Math.ceil(scaled) : Math.floor(scaled));
    }
    return Integer.parseInt(s);
  }

  /** ResolveFenceposts: maxSurge rounded up, maxUnavailable down; never both zero. */
  static int[] resolveFenceposts(IntOrString maxSurge, IntOrString maxUnavailable, int desired) {
    int surge = scaledValue(maxSurge, desired, true);
    int unavailable = scaledValue(maxUnavailable, desired, false);
    if (surge == 0 && unavailable == 0) {
      unavailable = 1;
    }
    return new int[] {surge, unavailable};
  }

  private static int[] fenceposts(Deployment d) {
    var ru = d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getRollingUpdate();
    return resolveFenceposts(ru == null ? null : ru.getMaxSurge(), ru == null ? null : ru.getMaxUnavailable(),
        replicas(d));
  }

  public static int maxSurge(Deployment d) {
    return isRollingUpdate(d) ? fenceposts(d)[0] : 0;
  }

  public static int maxUnavailable(Deployment d) {
    if (!isRollingUpdate(d) || replicas(d) == 0) {
      return 0;
    }
    return Math.min(fenceposts(d)[1], replicas(d));
  }

  // ---------------------------------------------------------------- counts

  /** GetReplicaCountForReplicaSets: the sum of spec.replicas. */
  public static int replicaCount(List<ReplicaSet> rss) {
    int n = 0;
    for (ReplicaSet rs : rss) {
      if (rs != null) {
        n += replicas(rs);
      }
    }
    return n;
  }

  /** GetActualReplicaCountForReplicaSets: the sum of status.replicas. */
  public static int actualReplicaCount(List<ReplicaSet> rss) {
    int n = 0;
    for (ReplicaSet rs : rss) {
      if (rs != null && rs.getStatus() != null) {
        n += orZero(rs.getStatus().getReplicas());
      }
    }
    return n;
  }

  public static int readyReplicaCount(List<ReplicaSet> rss) {
    int n = 0;
    for (ReplicaSet rs : rss) {
      if (rs != null && rs.getStatus() != null) {
        n += orZero(rs.getStatus().getReadyReplicas());
      }
    }
    return n;
  }

  public static int availableReplicaCount(List<ReplicaSet> rss) {
    int n = 0;
    for (ReplicaSet rs : rss) {
      if (rs != null && rs.getStatus() != null) {
        n += orZero(rs.getStatus().getAvailableReplicas());
      }
    }
    return n;
  }

  /** NewRSNewReplicas: how far the new ReplicaSet may grow now. */
  public static int newRSNewReplicas(Deployment d, List<ReplicaSet> allRSs, ReplicaSet newRS) {
    if (!isRollingUpdate(d)) {
      return replicas(d);
    }
    int surge = scaledValue(d.getSpec().getStrategy() == null || d.getSpec().getStrategy().getRollingUpdate() == null
        ? null : d.getSpec().getStrategy().getRollingUpdate().getMaxSurge(), replicas(d), true);
    int current = replicaCount(allRSs);
    int maxTotal = replicas(d) + surge;
    if (current >= maxTotal) {
      return replicas(newRS);
    }
    int scaleUp = Math.min(maxTotal - current, replicas(d) - replicas(newRS));
    return replicas(newRS) + scaleUp;
  }

  /** IsSaturated: the new ReplicaSet runs all the Deployment's replicas, available. */
  public static boolean isSaturated(Deployment d, ReplicaSet rs) {
    if (rs == null) {
      return false;
    }
    Integer desired = intAnnotation(rs, DESIRED_REPLICAS);
    return desired != null && replicas(rs) == replicas(d) && desired == replicas(d)
        && rs.getStatus() != null && orZero(rs.getStatus().getAvailableReplicas()) == replicas(d);
  }

  /** FindActiveOrLatest: the only active ReplicaSet, or the newest if none is active; null if several are. */
  public static ReplicaSet findActiveOrLatest(ReplicaSet newRS, List<ReplicaSet> oldRSs) {
    if (newRS == null && oldRSs.isEmpty()) {
      return null;
    }
    List<ReplicaSet> sortedOld = new ArrayList<>(oldRSs);
    sortedOld.sort(BY_CREATION.reversed());
    List<ReplicaSet> all = new ArrayList<>(sortedOld);
    all.add(newRS);
    List<ReplicaSet> active = filterActive(all);
    if (active.isEmpty()) {
      return newRS != null ? newRS : sortedOld.get(0);
    }
    return active.size() == 1 ? active.get(0) : null;
  }

  /** GetProportion with getReplicaSetFraction: a ReplicaSet's share of a proportional scaling. */
  static int proportion(ReplicaSet rs, Deployment d, int toAdd, int added) {
    if (rs == null || replicas(rs) == 0 || toAdd == 0 || toAdd == added) {
      return 0;
    }
    int fraction;
    if (replicas(d) == 0) {
      fraction = -replicas(rs);
    } else {
      int maxReplicas = replicas(d) + maxSurge(d);
      Integer before = intAnnotation(rs, MAX_REPLICAS);
      int beforeScale = before == null || before == 0
          ? (d.getStatus() == null ? 0 : orZero(d.getStatus().getReplicas())) : before;
      double size = beforeScale == 0 ? replicas(rs) : (double) replicas(rs) * maxReplicas / beforeScale;
      fraction = (int) Math.round(size) - replicas(rs);
    }
    int allowed = toAdd - added;
    return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
  }

  // ---------------------------------------------------------------- conditions

  public static DeploymentCondition condition(DeploymentStatus status, String type) {
    if (status == null || status.getConditions() == null) {
      return null;
    }
    for (DeploymentCondition c : status.getConditions()) {
      if (type.equals(c.getType())) {
        return c;
      }
    }
    return null;
  }

  public static DeploymentCondition newCondition(String type, String status, String reason, String message,
                                                 Instant now) {
    String t = KubeJson.timestamp(now);
    return new DeploymentCondition(t, t, message, reason, status, type);
  }

  /**
   * SetDeploymentCondition: replaces the condition of that type, unless it already has the same status and reason;
   * keeps lastTransitionTime when the status does not change.
   */
  public static void setCondition(DeploymentStatus status, DeploymentCondition c) {
    DeploymentCondition current = condition(status, c.getType());
    if (current != null && Objects.equals(current.getStatus(), c.getStatus())
        && Objects.equals(current.getReason(), c.getReason())) {
      return;
    }
    if (current != null && Objects.equals(current.getStatus(), c.getStatus())) {
      c.setLastTransitionTime(current.getLastTransitionTime());
    }
    List<DeploymentCondition> conds = new ArrayList<>();
    if (status.getConditions() != null) {
      for (DeploymentCondition x : status.getConditions()) {
        if (!x.getType().equals(c.getType())) {
          conds.add(x);
        }
      }
    }
    conds.add(c);
    status.setConditions(conds);
  }

  public static void removeCondition(DeploymentStatus status, String type) {
    if (status.getConditions() != null) {
      List<DeploymentCondition> conds = new ArrayList<>(status.getConditions());
      conds.removeIf(c -> type.equals(c.getType()));
      status.setConditions(conds);
    }
  }

  public static boolean hasProgressDeadline(Deployment d) {
    return d.getSpec().getProgressDeadlineSeconds() != null
        && d.getSpec().getProgressDeadlineSeconds() != Integer.MAX_VALUE;
  }

  static int progressDeadlineSeconds(Deployment d) {
    return d.getSpec().getProgressDeadlineSeconds() == null ? 600 : d.getSpec().getProgressDeadlineSeconds();
  }

  /** DeploymentComplete: every replica updated and available, and the latest generation observed. */
  public static boolean deploymentComplete(Deployment d, DeploymentStatus s) {
    long generation = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
    long observed = s.getObservedGeneration() == null ? 0 : s.getObservedGeneration();
    return orZero(s.getUpdatedReplicas()) == replicas(d) && orZero(s.getReplicas()) == replicas(d)
        && orZero(s.getAvailableReplicas()) == replicas(d) && observed >= generation;
  }

  /** DeploymentProgressing: more updated, ready or available pods, or fewer old ones, than before. */
  public static boolean deploymentProgressing(Deployment d, DeploymentStatus s) {
    DeploymentStatus old = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    int oldStatusOld = orZero(old.getReplicas()) - orZero(old.getUpdatedReplicas());
    int newStatusOld = orZero(s.getReplicas()) - orZero(s.getUpdatedReplicas());
    return orZero(s.getUpdatedReplicas()) > orZero(old.getUpdatedReplicas()) || newStatusOld < oldStatusOld
        || orZero(s.getReadyReplicas()) > orZero(old.getReadyReplicas())
        || orZero(s.getAvailableReplicas()) > orZero(old.getAvailableReplicas());
  }

  /**
   * DeploymentTimedOut: no progress within progressDeadlineSeconds since the Progressing condition's
   * lastUpdateTime; {@code deadline} is the real duration of the emulated seconds.
   */
  public static boolean deploymentTimedOut(Deployment d, DeploymentStatus s, Duration deadline, Instant now) {
    if (!hasProgressDeadline(d)) {
      return false;
    }
    DeploymentCondition c = condition(s, PROGRESSING);
    if (c == null) {
      return false;
    }
    if (TIMED_OUT_REASON.equals(c.getReason())) {
      return true;
    }
    if (NEW_RS_AVAILABLE_REASON.equals(c.getReason())) {
      return false;
    }
    Instant from = KubeJson.parseTime(c.getLastUpdateTime());
    return from != null && from.plus(deadline).isBefore(now);
  }

  /** calculateStatus (sync.go): counts over the ReplicaSets and the Available condition. */
  public static DeploymentStatus calculateStatus(List<ReplicaSet> allRSs, ReplicaSet newRS, Deployment d,
                                                 Instant now) {
    int available = availableReplicaCount(allRSs);
    int total = replicaCount(allRSs);
    int unavailable = Math.max(0, total - available);
    DeploymentStatus s = new DeploymentStatus();
    s.setObservedGeneration(d.getMetadata().getGeneration());
    s.setReplicas(omitZero(actualReplicaCount(allRSs)));
    s.setUpdatedReplicas(omitZero(newRS == null ? 0 : actualReplicaCount(List.of(newRS))));
    s.setReadyReplicas(omitZero(readyReplicaCount(allRSs)));
    s.setAvailableReplicas(omitZero(available));
    s.setUnavailableReplicas(omitZero(unavailable));
    s.setCollisionCount(d.getStatus() == null ? null : d.getStatus().getCollisionCount());
    List<DeploymentCondition> conds = new ArrayList<>();
    if (d.getStatus() != null && d.getStatus().getConditions() != null) {
      for (DeploymentCondition c : d.getStatus().getConditions()) {
        conds.add(KubeJson.copy(c));
      }
    }
    s.setConditions(conds);
    if (available >= replicas(d) - maxUnavailable(d)) {
      setCondition(s, newCondition(AVAILABLE, "True", MIN_AVAILABLE_REASON, "Deployment has minimum availability.",
          now));
    } else {
      setCondition(s, newCondition(AVAILABLE, "False", MIN_UNAVAILABLE_REASON,
          "Deployment does not have minimum availability.", now));
    }
    return s;
  }

  static Integer omitZero(int i) {
    return i == 0 ? null : i;
  }

  /** getReplicaFailures: the ReplicaFailure condition of the new ReplicaSet, else of any old one. */
  static DeploymentCondition replicaFailure(List<ReplicaSet> allRSs, ReplicaSet newRS) {
    List<ReplicaSet> order = new ArrayList<>();
    if (newRS != null) {
      order.add(newRS);
    }
    for (ReplicaSet rs : allRSs) {
      if (rs != null && rs != newRS) {
        order.add(rs);
      }
    }
    for (ReplicaSet rs : order) {
      if (rs.getStatus() == null || rs.getStatus().getConditions() == null) {
        continue;
      }
      for (ReplicaSetCondition c : rs.getStatus().getConditions()) {
        if (REPLICA_FAILURE.equals(c.getType())) {
          // ReplicaSetToDeploymentCondition
          return new DeploymentCondition(c.getLastTransitionTime(), c.getLastTransitionTime(), c.getMessage(),
              c.getReason(), c.getStatus(), REPLICA_FAILURE);
        }
      }
    }
    return null;
  }

  /** Status equality as reflect.DeepEqual sees it, with Go's omitempty (null, 0 and [] alike). */
  static boolean sameStatus(DeploymentStatus a, DeploymentStatus b) {
    return normalized(a).equals(normalized(b));
  }

  private static JsonNode normalized(DeploymentStatus s) {
    ObjectNode n = KubeJson.MAPPER.valueToTree(s == null ? new DeploymentStatus() : s);
    List<String> drop = new ArrayList<>();
    n.fields().forEachRemaining(e -> {
      JsonNode v = e.getValue();
      if (v.isNull() || (v.isNumber() && v.asLong() == 0) || (v.isContainerNode() && v.isEmpty())) {
        drop.add(e.getKey());
      }
    });
    n.remove(drop);
    return n;
  }
}
