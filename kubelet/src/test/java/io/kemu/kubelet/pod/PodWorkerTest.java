package io.kemu.kubelet.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kemu.api.KubeJson;
import io.kemu.api.client.Recorder;
import io.kemu.kubelet.KubeletSettings;
import io.kemu.kubelet.runtime.PodNetwork;
import io.kemu.kubelet.status.StatusManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The pod worker's lifecycle, driven with Pekko's ManualTime: no test waits for a real second. */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PodWorkerTest {
  @JUnit5TestKit
  ActorTestKit testKit = new JUnit5TestKitBuilder()
      .withCustomConfig(ManualTime.config().withFallback(ConfigFactory.load())).build();

  record Recorded(String reason, String message) {}

  /** Events of one test's worker only. */
  static final class ListRecorder implements Recorder {
    final List<Recorded> events = new CopyOnWriteArrayList<>();

    public void normal(HasMetadata obj, String reason, String message) {
      events.add(new Recorded(reason, message));
    }

    public void warning(HasMetadata obj, String reason, String message) {
      events.add(new Recorded(reason, message));
    }
  }

  static KubeletSettings settings() {
    return KubeletSettings.fromConfig(ConfigFactory.load());
  }

  private PodWorker.NodeContext node(ActorRef<StatusManager.Command> status, Set<String> images, Recorder recorder) {
    return new PodWorker.NodeContext("node-1", "172.18.0.3", new PodNetwork("10.244.0.0/24"), images, status, recorder,
        settings(), Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC));
  }

  static Pod nginx(String name) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").withUid("uid-" + name)
        .endMetadata().withNewSpec().withNodeName("node-1").withRestartPolicy("Always")
        .withTerminationGracePeriodSeconds(30L)
        .addNewContainer().withName("nginx").withImage("nginx:1.25").withImagePullPolicy("IfNotPresent").endContainer()
        .endSpec().build();
  }

  /** Timers set while handling a timer count from the advanced clock: advance one step at a time. */
  private static void awaitEvent(ListRecorder rec, String reason) {
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (rec.events.stream().noneMatch(e -> e.reason().equals(reason))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + reason + " event; got " + rec.events);
      }
      Thread.onSpinWait();
    }
  }

  private StatusManager.SetStatus nextStatus(TestProbe<StatusManager.Command> probe) {
    return (StatusManager.SetStatus) probe.expectMessageClass(StatusManager.SetStatus.class, Duration.ofSeconds(3));
  }

  @Test
  void aPodGoesThroughSandboxPullCreateStartToRunning() {
    ManualTime time = ManualTime.get(testKit.system());
    TestProbe<StatusManager.Command> status = testKit.createTestProbe();
    ListRecorder rec = new ListRecorder();
    var events = rec.events;
    var worker = testKit.spawn(PodWorker.create(nginx("web"), node(status.getRef(), ConcurrentHashMap.newKeySet(),
        rec)));

    StatusManager.SetStatus creating = nextStatus(status);
    assertEquals("Pending", creating.status().getPhase());
    assertEquals(null, creating.status().getPodIP(), "no sandbox yet");

    time.timePasses(Duration.ofMillis(300)); // sandbox
    StatusManager.SetStatus sandbox = nextStatus(status);
    assertEquals("10.244.0.2", sandbox.status().getPodIP());
    awaitEvent(rec, "Pulling");
    time.timePasses(Duration.ofSeconds(1)); // pull
    awaitEvent(rec, "Pulled");
    time.timePasses(Duration.ofMillis(100)); // create
    awaitEvent(rec, "Created");
    time.expectNoMessageFor(Duration.ofMillis(50), status);
    time.timePasses(Duration.ofMillis(100)); // start
    StatusManager.SetStatus running = nextStatus(status);
    assertEquals("Running", running.status().getPhase());
    assertTrue(running.status().getContainerStatuses().get(0).getReady());
    assertEquals(List.of("Pulling", "Pulled", "Created", "Started"), events.stream().map(Recorded::reason).toList());
    assertEquals("Pulling image \"nginx:1.25\"", events.get(0).message());
    assertTrue(events.get(1).message().startsWith("Successfully pulled image \"nginx:1.25\" in 1s (1s including "
        + "waiting). Image size: "), events.get(1).message());
    assertEquals("Created container: nginx", events.get(2).message());
    testKit.stop(worker);
  }

  @Test
  void aCachedImageIsNotPulledAgainWithIfNotPresent() {
    ManualTime time = ManualTime.get(testKit.system());
    TestProbe<StatusManager.Command> status = testKit.createTestProbe();
    ListRecorder rec = new ListRecorder();
    Set<String> cache = ConcurrentHashMap.newKeySet();
    cache.add("docker.io/library/nginx:1.25");
    var worker = testKit.spawn(PodWorker.create(nginx("cached"), node(status.getRef(), cache, rec)));
    nextStatus(status);
    time.timePasses(Duration.ofMillis(300));
    nextStatus(status);
    awaitEvent(rec, "Pulled");
    time.timePasses(Duration.ofMillis(100));
    awaitEvent(rec, "Created");
    time.timePasses(Duration.ofMillis(100));
    assertEquals("Running", nextStatus(status).status().getPhase());
    assertEquals("Container image \"nginx:1.25\" already present on machine", rec.events.get(0).message());
    testKit.stop(worker);
  }

  @Test
  void deletionStopsTheContainersReportsAFinalPhaseAndAsksForRemoval() {
    ManualTime time = ManualTime.get(testKit.system());
    TestProbe<StatusManager.Command> status = testKit.createTestProbe();
    Pod pod = nginx("doomed");
    ListRecorder rec = new ListRecorder();
    var worker = testKit.spawn(PodWorker.create(pod, node(status.getRef(), ConcurrentHashMap.newKeySet(), rec)));
    nextStatus(status);
    time.timePasses(Duration.ofMillis(300));
    nextStatus(status);
    awaitEvent(rec, "Pulling");
    time.timePasses(Duration.ofSeconds(1));
    awaitEvent(rec, "Pulled");
    time.timePasses(Duration.ofMillis(100));
    awaitEvent(rec, "Created");
    time.timePasses(Duration.ofMillis(100));
    assertEquals("Running", nextStatus(status).status().getPhase());

    rec.events.clear();
    Pod deleting = KubeJson.copy(pod);
    deleting.getMetadata().setDeletionTimestamp("2026-11-22T10:00:30Z");
    deleting.getMetadata().setDeletionGracePeriodSeconds(30L);
    worker.tell(new PodWorker.Update(deleting));
    time.timePasses(Duration.ofMillis(100)); // nginx handles TERM and exits
    StatusManager.SetStatus last = nextStatus(status);
    assertEquals("Succeeded", last.status().getPhase(), "kubelet sets a terminal phase before deletion");
    assertEquals("Completed", last.status().getContainerStatuses().get(0).getState().getTerminated().getReason());
    assertEquals(List.of(new Recorded("Killing", "Stopping container nginx")), rec.events);
    StatusManager.Finished finished = status.expectMessageClass(StatusManager.Finished.class);
    assertEquals("uid-doomed", finished.uid());
    TestProbe<Object> watcher = testKit.createTestProbe();
    finished.done().tell("uid-doomed");
    watcher.expectTerminated(worker, Duration.ofSeconds(3));
  }
}
