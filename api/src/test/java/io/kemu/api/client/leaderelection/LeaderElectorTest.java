package io.kemu.api.client.leaderelection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.kemu.api.client.testing.FakeKubeClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Two candidates for one Lease: one leads; when it releases the lease, the other takes over. */
class LeaderElectorTest {
  static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void down() {
    kit.shutdownTestKit();
  }

  static LeaderElector.Settings settings(String id) {
    return new LeaderElector.Settings("kube-system", "kube-controller-manager", id, 15, Duration.ofMillis(600),
        Duration.ofMillis(400), Duration.ofMillis(80));
  }

  @Test
  void oneLeadsAndTheOtherTakesOverWhenItReleases() {
    FakeKubeClient api = new FakeKubeClient(kit.system(), Clock.systemUTC());
    TestProbe<Boolean> a = kit.createTestProbe();
    TestProbe<Boolean> b = kit.createTestProbe();
    ActorRef<LeaderElector.Command> ea = kit.spawn(LeaderElector.create(api, settings("a"), Clock.systemUTC(),
        a.ref()::tell));
    assertEquals(true, a.receiveMessage(Duration.ofSeconds(5)));
    kit.spawn(LeaderElector.create(api, settings("b"), Clock.systemUTC(), b.ref()::tell));
    b.expectNoMessage(Duration.ofMillis(300));
    assertEquals("a", api.peek(Lease.class, "kube-system", "kube-controller-manager").getSpec().getHolderIdentity());

    CompletableFuture<Void> released = new CompletableFuture<>();
    ea.tell(new LeaderElector.Release(released));
    released.join();
    assertEquals(true, b.receiveMessage(Duration.ofSeconds(5)));
    assertEquals("b", api.peek(Lease.class, "kube-system", "kube-controller-manager").getSpec().getHolderIdentity());
  }
}
