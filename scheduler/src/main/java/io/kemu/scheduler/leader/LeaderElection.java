package io.kemu.scheduler.leader;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * client-go's LeaderElector.tryAcquireOrRenew as plain logic: given the Lease as read (or null if absent) and the
 * local time, say whether to create it, take it over, renew it, or leave it. Like client-go, the holder's lease
 * counts as valid for leaseDuration after this candidate last saw the record change (its own clock, not the
 * timestamps in the record), so clocks need not agree.
 */
public final class LeaderElection {
  private final String identity;
  private final int leaseDurationSeconds;
  private final Duration leaseDuration;

  private Lease observedRecord;
  private Instant observedTime;

  /** {@code leaseDurationSeconds} is written to the record; {@code leaseDuration} is the (time-scaled) real one. */
  public LeaderElection(String identity, int leaseDurationSeconds, Duration leaseDuration) {
    this.identity = identity;
    this.leaseDurationSeconds = leaseDurationSeconds;
    this.leaseDuration = leaseDuration;
  }

  public String identity() {
    return identity;
  }

  public enum Action { CREATE, UPDATE, NONE }

  /** What to write (if anything) after reading {@code current}. */
  public record Decision(Action action, Lease lease) {}

  public boolean isLeader() {
    return observedRecord != null && identity.equals(observedRecord.getSpec().getHolderIdentity());
  }

  boolean isLeaseValid(Instant now) {
    return observedTime != null && observedTime.plus(leaseDuration).isAfter(now);
  }

  /** Steps 2-4 of tryAcquireOrRenew. */
  public Decision decide(Lease current, Instant now, String namespace, String name) {
    ZonedDateTime t = ZonedDateTime.ofInstant(now.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    if (current == null) {
      Lease fresh = new LeaseBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
          .withNewSpec().withHolderIdentity(identity).withLeaseDurationSeconds(leaseDurationSeconds)
          .withAcquireTime(t).withRenewTime(t).withLeaseTransitions(0).endSpec().build();
      return new Decision(Action.CREATE, fresh);
    }
    if (observedRecord == null || !sameRecord(observedRecord, current)) {
      observedRecord = current;
      observedTime = now;
    }
    String holder = current.getSpec() == null ? null : current.getSpec().getHolderIdentity();
    if (holder != null && !holder.isEmpty() && isLeaseValid(now) && !isLeader()) {
      return new Decision(Action.NONE, current);
    }
    Lease next = new LeaseBuilder(current).build();
    int transitions = current.getSpec().getLeaseTransitions() == null ? 0 : current.getSpec().getLeaseTransitions();
    next.getSpec().setHolderIdentity(identity);
    next.getSpec().setLeaseDurationSeconds(leaseDurationSeconds);
    next.getSpec().setRenewTime(t);
    if (isLeader()) {
      next.getSpec().setAcquireTime(current.getSpec().getAcquireTime());
      next.getSpec().setLeaseTransitions(transitions);
    } else {
      next.getSpec().setAcquireTime(t);
      next.getSpec().setLeaseTransitions(transitions + 1);
    }
    return new Decision(Action.UPDATE, next);
  }

  /** The write succeeded: this is the record now (setObservedRecord). */
  public void written(Lease lease, Instant now) {
    observedRecord = lease;
    observedTime = now;
  }

  /** Leadership lost or given up: forget that we held it. */
  public void reset() {
    observedRecord = null;
    observedTime = null;
  }

  private static boolean sameRecord(Lease a, Lease b) {
    return Objects.equals(a.getMetadata().getResourceVersion(), b.getMetadata().getResourceVersion())
        && Objects.equals(a.getSpec(), b.getSpec());
  }
}
