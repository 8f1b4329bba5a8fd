package io.kemu.apiserver.admission.quota;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaStatus;
import io.kemu.api.ResourceType;
import io.kemu.apiserver.validation.GoQuantity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * What kube-controller-manager's resource quota controller does (pkg/controller/resourcequota, syncResourceQuota),
 * run inside the apiserver because kemu has no quota controller yet: every {@code period} each quota's
 * {@code status.hard} is set to its spec and {@code status.used} recomputed from the watch caches, and written when
 * it changed. Admission charges usage ahead of the object being stored; so that a recount never undoes a charge
 * whose object is still on its way, usage is only lowered in a namespace with no charge in the last
 * {@code holdBack} (upstream's controller has that race; kemu closes it).
 */
public final class QuotaStatusController {
  /** What the controller reads and writes. */
  public interface Store {
    /** Every quota in the watch cache. */
    Collection<ResourceQuota> quotas();

    /** A namespace's objects of a kind, from the watch cache. */
    List<HasMetadata> objects(ResourceType type, String namespace);

    /** The kinds the apiserver serves. */
    Collection<ResourceType> served();

    /** A compare-and-swap of a quota's status; {@code mutate} returns null to leave the quota alone. */
    CompletionStage<?> updateStatus(String namespace, String name, UnaryOperator<ResourceQuota> mutate);
  }

  private final Store store;
  private final Clock clock;
  private final Duration holdBack;
  private final Map<String, Instant> lastCharge = new ConcurrentHashMap<>();

  public QuotaStatusController(Store store, Clock clock, Duration holdBack) {
    this.store = store;
    this.clock = clock;
    this.holdBack = holdBack;
  }

  /** Admission tells the namespace whose quotas it charges. */
  public Instant noteCharge(String namespace) {
    Instant now = clock.instant();
    lastCharge.put(namespace, now);
    return now;
  }

  /** One pass over every quota; completes when the writes it started are done. */
  public CompletionStage<Void> syncAll() {
    CompletionStage<Void> all = CompletableFuture.completedFuture(null);
    for (ResourceQuota q : store.quotas()) {
      all = all.thenCompose(x -> sync(q).exceptionally(e -> null));
    }
    return all;
  }

  /** syncResourceQuota for one quota (as the cache has it). */
  CompletionStage<Void> sync(ResourceQuota cached) {
    String ns = cached.getMetadata().getNamespace();
    Map<String, GoQuantity> specHard = ResourceLists.parse(cached.getSpec() == null ? null
        : cached.getSpec().getHard());
    Map<ResourceType, List<HasMetadata>> objects = new LinkedHashMap<>();
    for (ResourceType t : Evaluators.typesFor(specHard.keySet(), store.served())) {
      objects.put(t, store.objects(t, ns));
    }
    Map<String, GoQuantity> newUsage = Evaluators.calculateUsage(cached, objects, clock.instant());
    if (statusFor(cached, newUsage) == null) {
      return CompletableFuture.completedFuture(null);
    }
    return store.updateStatus(ns, cached.getMetadata().getName(), stored -> statusFor(stored, newUsage))
        .thenApply(x -> null);
  }

  /** The quota with its new status, or null when nothing changes. */
  ResourceQuota statusFor(ResourceQuota q, Map<String, GoQuantity> newUsage) {
    Map<String, GoQuantity> hard = ResourceLists.parse(q.getSpec() == null ? null : q.getSpec().getHard());
    Map<String, GoQuantity> oldHard = ResourceLists.parse(q.getStatus() == null ? null : q.getStatus().getHard());
    Map<String, GoQuantity> oldUsed = ResourceLists.parse(q.getStatus() == null ? null : q.getStatus().getUsed());
    boolean holding = holding(q.getMetadata().getNamespace());
    Map<String, GoQuantity> used = new TreeMap<>(oldUsed);
    newUsage.forEach((k, v) -> {
      GoQuantity prev = oldUsed.get(k);
      used.put(k, holding && prev != null && prev.compareTo(v) > 0 ? prev : v);
    });
    Map<String, GoQuantity> masked = ResourceLists.mask(used, hard.keySet());
    boolean dirty = q.getStatus() == null || q.getStatus().getHard() == null || q.getStatus().getUsed() == null
        || !ResourceLists.equal(hard, oldHard) || !ResourceLists.equal(masked, oldUsed);
    if (!dirty) {
      return null;
    }
    ResourceQuota out = io.kemu.api.KubeJson.copy(q);
    ResourceQuotaStatus st = new ResourceQuotaStatus();
    st.setHard(ResourceLists.toFabric8(hard));
    st.setUsed(ResourceLists.toFabric8(masked));
    out.setStatus(st);
    return out;
  }

  private boolean holding(String namespace) {
    Instant t = lastCharge.get(namespace);
    return t != null && clock.instant().isBefore(t.plus(holdBack));
  }

  // ------------------------------------------------------------------ the actor that runs it

  public enum Tick { SYNC, DONE }

  /** Syncs every {@code period}, one pass at a time. */
  public static Behavior<Tick> behavior(QuotaStatusController controller, Duration period) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.SYNC, period);
      boolean[] running = {false};
      return Behaviors.receiveMessage(t -> {
        if (t == Tick.SYNC && !running[0]) {
          running[0] = true;
          ctx.pipeToSelf(controller.syncAll(), (x, err) -> Tick.DONE);
        } else if (t == Tick.DONE) {
          running[0] = false;
        }
        return Behaviors.same();
      });
    }));
  }

  static Set<String> names(Map<String, GoQuantity> m) {
    return m.keySet();
  }
}
