package io.kemu.scheduler.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** client-go leaderelection_test.go's TestTryAcquireOrRenew, on Leases. */
class LeaderElectionTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static Lease held(String holder, String rv, int transitions) {
    return new LeaseBuilder().withNewMetadata().withName("kube-scheduler").withNamespace("kube-system")
        .withResourceVersion(rv).endMetadata().withNewSpec().withHolderIdentity(holder).withLeaseDurationSeconds(15)
        .withLeaseTransitions(transitions).endSpec().build();
  }

  final LeaderElection me = new LeaderElection("me", 15, Duration.ofSeconds(15));

  @Test
  void acquireFromNoObject() {
    LeaderElection.Decision d = me.decide(null, T0, "kube-system", "kube-scheduler");
    assertEquals(LeaderElection.Action.CREATE, d.action());
    assertEquals("me", d.lease().getSpec().getHolderIdentity());
    assertEquals(15, d.lease().getSpec().getLeaseDurationSeconds());
  }

  @Test
  void doNotAcquireAValidLeaseHeldBySomeoneElse() {
    LeaderElection.Decision d = me.decide(held("bing", "1", 0), T0, "kube-system", "kube-scheduler");
    assertEquals(LeaderElection.Action.NONE, d.action());
    assertFalse(me.isLeader());
  }

  @Test
  void acquireAnExpiredLeaseCountingATransition() {
    me.decide(held("bing", "1", 4), T0, "kube-system", "kube-scheduler");
    // the same record, unchanged for longer than the lease: bing is gone
    LeaderElection.Decision d = me.decide(held("bing", "1", 4), T0.plusSeconds(16), "kube-system", "kube-scheduler");
    assertEquals(LeaderElection.Action.UPDATE, d.action());
    assertEquals("me", d.lease().getSpec().getHolderIdentity());
    assertEquals(5, d.lease().getSpec().getLeaseTransitions());
  }

  @Test
  void aRenewedLeaseRestartsTheWait() {
    me.decide(held("bing", "1", 0), T0, "kube-system", "kube-scheduler");
    // bing renewed (new resourceVersion) at T0 + 10 s: still valid at T0 + 16 s
    me.decide(held("bing", "2", 0), T0.plusSeconds(10), "kube-system", "kube-scheduler");
    assertEquals(LeaderElection.Action.NONE, me.decide(held("bing", "2", 0), T0.plusSeconds(16), "kube-system",
        "kube-scheduler").action());
  }

  @Test
  void acquireAReleasedLeaseAtOnce() {
    assertEquals(LeaderElection.Action.UPDATE, me.decide(held("", "3", 1), T0, "kube-system", "kube-scheduler")
        .action());
  }

  @Test
  void renewOwnLeaseKeepingAcquireTimeAndTransitions() {
    LeaderElection.Decision d = me.decide(null, T0, "kube-system", "kube-scheduler");
    Lease created = new LeaseBuilder(d.lease()).editMetadata().withResourceVersion("7").endMetadata().build();
    me.written(created, T0);
    assertTrue(me.isLeader());
    LeaderElection.Decision renew = me.decide(created, T0.plusSeconds(2), "kube-system", "kube-scheduler");
    assertEquals(LeaderElection.Action.UPDATE, renew.action());
    assertEquals(created.getSpec().getAcquireTime(), renew.lease().getSpec().getAcquireTime());
    assertEquals(0, renew.lease().getSpec().getLeaseTransitions());
  }
}
