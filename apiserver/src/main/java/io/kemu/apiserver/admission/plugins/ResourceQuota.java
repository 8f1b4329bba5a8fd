package io.kemu.apiserver.admission.plugins;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ResourceQuotaStatus;
import io.kemu.apiserver.admission.AdmissionAttributes;
import io.kemu.apiserver.admission.AdmissionAttributes.Operation;
import io.kemu.apiserver.admission.AdmissionPlugin;
import io.kemu.apiserver.admission.quota.Evaluator;
import io.kemu.apiserver.admission.quota.Evaluators;
import io.kemu.apiserver.admission.quota.ResourceLists;
import io.kemu.apiserver.errors.ApiException;
import io.kemu.apiserver.registry.Registry;
import io.kemu.apiserver.validation.GoQuantity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The ResourceQuota validating plugin (k8s.io/apiserver/pkg/admission/plugin/resourcequota, controller.go's
 * CheckRequest): an object that would take any matching quota of its namespace over its hard limits is refused
 * with {@code exceeded quota: <name>, requested: …, used: …, limited: …}; otherwise its usage is charged to each
 * matching quota's {@code status.used} before the object is stored (a compare-and-swap on the quota, re-checked
 * against the stored quota). Quotas come from the watch cache, with a 30 s live lookup when the cache has none,
 * as upstream's quotaAccessor does. Deletions are not charged back here: {@code QuotaStatusController} recomputes.
 */
public final class ResourceQuota implements AdmissionPlugin {
  static final Duration LIVE_TTL = Duration.ofSeconds(30);

  /** Where quotas are read and their status written. */
  public interface Quotas {
    /** The namespace's quotas in the watch cache. */
    List<io.fabric8.kubernetes.api.model.ResourceQuota> cached(String namespace);

    /** The namespace's quotas from the store. */
    CompletionStage<List<io.fabric8.kubernetes.api.model.ResourceQuota>> live(String namespace);

    /** A compare-and-swap of a quota's status: {@code mutate} gets the stored quota and returns the new one. */
    CompletionStage<?> updateStatus(String namespace, String name,
                                    UnaryOperator<io.fabric8.kubernetes.api.model.ResourceQuota> mutate);
  }

  private record LiveEntry(Instant expiry, List<io.fabric8.kubernetes.api.model.ResourceQuota> items) {}

  private final Quotas quotas;
  private final Clock clock;
  private final Function<String, Instant> noteCharge;
  private final Map<String, LiveEntry> liveLookups = new ConcurrentHashMap<>();

  /** @param noteCharge told the namespace each time usage is charged (the status controller holds back then) */
  public ResourceQuota(Quotas quotas, Clock clock, Function<String, Instant> noteCharge) {
    this.quotas = quotas;
    this.clock = clock;
    this.noteCharge = noteCharge;
  }

  @Override
  public String name() {
    return "ResourceQuota";
  }

  /** QuotaAdmission.Validate + quotaEvaluator.Evaluate */
  @Override
  public CompletionStage<Void> validate(AdmissionAttributes a) {
    if (!a.isMainResource() || a.namespace() == null || a.namespace().isEmpty() || a.object() == null) {
      return CompletableFuture.completedFuture(null);
    }
    Evaluator evaluator = Evaluators.forType(a.type());
    if (evaluator == null || !evaluator.handles(a)) {
      return CompletableFuture.completedFuture(null);
    }
    return quotasOf(a).thenCompose(list -> {
      List<io.fabric8.kubernetes.api.model.ResourceQuota> charged = checkRequest(list, a, evaluator, clock.instant());
      if (charged.isEmpty() || a.dryRun()) {
        return CompletableFuture.completedFuture(null);
      }
      return charge(charged, a, evaluator);
    });
  }

  /** Writes the new usage, re-checking each quota against its stored state (quotaAccessor.UpdateQuotaStatus). */
  private CompletionStage<Void> charge(List<io.fabric8.kubernetes.api.model.ResourceQuota> charged,
                                      AdmissionAttributes a, Evaluator evaluator) {
    noteCharge.apply(a.namespace());
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (io.fabric8.kubernetes.api.model.ResourceQuota q : charged) {
      String name = q.getMetadata().getName();
      chain = chain.thenCompose(x -> quotas.updateStatus(a.namespace(), name, stored -> {
        List<io.fabric8.kubernetes.api.model.ResourceQuota> fresh = checkRequest(List.of(stored), a, evaluator,
            clock.instant());
        return fresh.isEmpty() ? stored : fresh.get(0);
      }).handle((r, err) -> {
        if (err != null) {
          Throwable cause = Registry.unwrap(err);
          if (cause instanceof ApiException api && api.code() == 403) {
            throw api;
          }
          if (!(cause instanceof ApiException api && api.code() == 404)) {
            throw a.forbidden("unable to update status for quota: " + name + ", " + cause.getMessage());
          }
        }
        return null;
      }));
    }
    return chain;
  }

  /** quotaAccessor.GetQuotas: the cache, or a live list remembered for 30 s when the cache has none. */
  private CompletionStage<List<io.fabric8.kubernetes.api.model.ResourceQuota>> quotasOf(AdmissionAttributes a) {
    List<io.fabric8.kubernetes.api.model.ResourceQuota> items = quotas.cached(a.namespace());
    if (!items.isEmpty()) {
      return CompletableFuture.completedFuture(items);
    }
    Instant now = clock.instant();
    LiveEntry e = liveLookups.get(a.namespace());
    if (e != null && !e.expiry().isBefore(now)) {
      return CompletableFuture.completedFuture(e.items());
    }
    return quotas.live(a.namespace()).thenApply(list -> {
      liveLookups.put(a.namespace(), new LiveEntry(now.plus(LIVE_TTL), List.copyOf(list)));
      return list;
    });
  }

  /**
   * CheckRequest: the quotas whose usage the request changes, with their new {@code status.used}; throws
   * Forbidden when one would be exceeded, cannot be read, or the object lacks what a quota requires.
   */
  static List<io.fabric8.kubernetes.api.model.ResourceQuota> checkRequest(
      List<io.fabric8.kubernetes.api.model.ResourceQuota> quotas, AdmissionAttributes a, Evaluator evaluator,
      Instant now) {
    HasMetadata input = a.object();
    List<Integer> interesting = new ArrayList<>();
    for (int i = 0; i < quotas.size(); i++) {
      io.fabric8.kubernetes.api.model.ResourceQuota q = quotas.get(i);
      if (!evaluator.matches(q, input)) {
        continue;
      }
      Set<String> hardResources = ResourceLists.names(Evaluator.hard(q));
      List<String> restricted = evaluator.matchingResources(hardResources);
      String err = evaluator.constraints(restricted, input);
      if (err != null) {
        throw a.forbidden("failed quota: " + q.getMetadata().getName() + ": " + err);
      }
      if (!hasUsageStats(q, restricted)) {
        throw a.forbidden("status unknown for quota: " + q.getMetadata().getName() + ", resources: "
            + ResourceLists.prettyPrintNames(restricted));
      }
      interesting.add(i);
    }
    Map<String, GoQuantity> delta = evaluator.usage(input, now);
    List<String> negative = ResourceLists.negative(delta);
    if (!negative.isEmpty()) {
      throw a.forbidden("quota usage is negative for resource(s): " + ResourceLists.prettyPrintNames(negative));
    }
    if (a.operation() == Operation.UPDATE) {
      if (a.oldObject() == null) {
        throw a.forbidden("unable to get previous usage since prior version of object was not found");
      }
      String rv = a.oldObject().getMetadata() == null ? null : a.oldObject().getMetadata().getResourceVersion();
      if (rv != null && !rv.isEmpty()) {
        delta = ResourceLists.subtractNonNegative(delta, evaluator.usage(a.oldObject(), now));
      }
    }
    delta = ResourceLists.removeZeros(delta);
    if (delta.isEmpty() || interesting.isEmpty()) {
      return List.of();
    }
    List<io.fabric8.kubernetes.api.model.ResourceQuota> out = new ArrayList<>();
    for (int index : interesting) {
      io.fabric8.kubernetes.api.model.ResourceQuota q = io.kemu.api.KubeJson.copy(quotas.get(index));
      Map<String, GoQuantity> hard = Evaluator.hard(q);
      Map<String, GoQuantity> used = Evaluator.used(q);
      Map<String, GoQuantity> requested = ResourceLists.mask(delta, hard.keySet());
      Map<String, GoQuantity> newUsage = ResourceLists.add(used, requested);
      Map<String, GoQuantity> maskedNewUsage = ResourceLists.mask(newUsage, requested.keySet());
      List<String> exceeded = ResourceLists.exceeded(maskedNewUsage, hard);
      if (!exceeded.isEmpty()) {
        throw a.forbidden("exceeded quota: " + q.getMetadata().getName()
            + ", requested: " + ResourceLists.prettyPrint(ResourceLists.mask(requested, exceeded))
            + ", used: " + ResourceLists.prettyPrint(ResourceLists.mask(used, exceeded))
            + ", limited: " + ResourceLists.prettyPrint(ResourceLists.mask(hard, exceeded)));
      }
      if (q.getStatus() == null) {
        q.setStatus(new ResourceQuotaStatus());
      }
      q.getStatus().setUsed(ResourceLists.toFabric8(newUsage));
      out.add(q);
    }
    return out;
  }

  /** hasUsageStats: status.used has every restricted resource (the status has been computed). */
  static boolean hasUsageStats(io.fabric8.kubernetes.api.model.ResourceQuota q, List<String> restricted) {
    Set<String> hard = ResourceLists.names(Evaluator.hard(q));
    Set<String> used = new TreeSet<>(ResourceLists.names(Evaluator.used(q)));
    for (String r : restricted) {
      if (hard.contains(r) && !used.contains(r)) {
        return false;
      }
    }
    return true;
  }
}
