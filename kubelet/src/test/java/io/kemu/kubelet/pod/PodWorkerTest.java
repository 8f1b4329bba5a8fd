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
import io.kemu.kubelet.runtime.LogStore;
import io.kemu.kubelet.runtime.NodeRuntime;
import io.kemu.kubelet.runtime.PodNetwork;
import io.kemu.kubelet.runtime.net.ClusterNet;
import io.kemu.kubelet.runtime.proc.Kernel;
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

  final LogStore logs = new LogStore();

  private PodWorker.NodeContext node(ActorRef<StatusManager.Command> status, Set<String> images, Recorder recorder) {
    var system = testKit.system();
    Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
    Kernel kernel = new Kernel(system.executionContext(), (delay, task) -> {
      var c = system.scheduler().scheduleOnce(delay, task, system.executionContext());
      return c::cancel;
    }, settings().timeScale(), clock);
    return new PodWorker.NodeContext("node-1", "172.18.0.3", new PodNetwork("10.244.0.0/24"), images, status, recorder,
        settings(), clock, new NodeRuntime(kernel, new ClusterNet()), logs, null);
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
    // nginx handles TERM and exits
    StatusManager.SetStatus last = until(time, status, s -> !"Running".equals(s.getPhase()), Duration.ofSeconds(1));
    assertEquals("Succeeded", last.status().getPhase(), "kubelet sets a terminal phase before deletion");
    assertEquals("Completed", last.status().getContainerStatuses().get(0).getState().getTerminated().getReason());
    assertEquals(List.of(new Recorded("Killing", "Stopping container nginx")), rec.events);
    StatusManager.Finished finished = leftover.stream().filter(m -> m instanceof StatusManager.Finished)
        .map(m -> (StatusManager.Finished) m).findFirst()
        .orElseGet(() -> status.expectMessageClass(StatusManager.Finished.class));
    assertEquals("uid-doomed", finished.uid());
    TestProbe<Object> watcher = testKit.createTestProbe();
    finished.done().tell("uid-doomed");
    watcher.expectTerminated(worker, Duration.ofSeconds(3));
  }

  final List<StatusManager.Command> leftover = new CopyOnWriteArrayList<>();

  static Pod busybox(String name, String policy, String script) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").withUid("uid-" + name)
        .endMetadata().withNewSpec().withNodeName("node-1").withRestartPolicy(policy)
        .withTerminationGracePeriodSeconds(30L)
        .addNewContainer().withName("main").withImage("busybox:1.28").withCommand("sh", "-c", script).endContainer()
        .endSpec().build();
  }

  private Set<String> cached() {
    Set<String> cache = ConcurrentHashMap.newKeySet();
    cache.add("docker.io/library/busybox:1.28");
    return cache;
  }

  /** Lets emulated time pass in 100 ms steps until a status matches (at most {@code limit} of it). */
  private StatusManager.SetStatus until(ManualTime time, TestProbe<StatusManager.Command> probe,
                                        java.util.function.Predicate<io.fabric8.kubernetes.api.model.PodStatus> p,
                                        Duration limit) {
    long stepMs = limit.toSeconds() > 5 ? 500 : 100;
    long steps = limit.toMillis() / stepMs;
    List<String> seen = new java.util.ArrayList<>();
    for (long i = 0; i <= steps; i++) {
      List<StatusManager.Command> got = drain(probe);
      for (int j = 0; j < got.size(); j++) {
        if (got.get(j) instanceof StatusManager.SetStatus st) {
          seen.add(summary(st.status()));
          if (p.test(st.status())) {
            leftover.addAll(got.subList(j + 1, got.size()));
            return st;
          }
        } else {
          leftover.add(got.get(j));
        }
      }
      time.timePasses(Duration.ofMillis(stepMs));
    }
    throw new AssertionError("no matching status within " + limit + "; saw " + seen);
  }

  private static List<StatusManager.Command> drain(TestProbe<StatusManager.Command> probe) {
    List<StatusManager.Command> out = new java.util.ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofMillis(20).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        out.add(probe.receiveMessage(Duration.ofMillis(10)));
        deadline = System.nanoTime() + Duration.ofMillis(20).toNanos();
      } catch (AssertionError e) {
        // nothing more for now
      }
    }
    return out;
  }

  private static String summary(io.fabric8.kubernetes.api.model.PodStatus s) {
    var c = s.getContainerStatuses().get(0);
    String state = c.getState().getRunning() != null ? "running" : c.getState().getTerminated() != null
        ? "terminated:" + c.getState().getTerminated().getReason() : "waiting:" + c.getState().getWaiting().getReason();
    return s.getPhase() + "/" + state + "/" + c.getRestartCount();
  }

  private static String waiting(io.fabric8.kubernetes.api.model.PodStatus s) {
    var w = s.getContainerStatuses().get(0).getState().getWaiting();
    return w == null ? null : w.getReason();
  }

  private static io.fabric8.kubernetes.api.model.ContainerStateTerminated terminated(
      io.fabric8.kubernetes.api.model.PodStatus s) {
    return s.getContainerStatuses().get(0).getState().getTerminated();
  }

  @Test
  void neverWithAFailingCommandEndsFailedWithError() {
    ManualTime time = ManualTime.get(testKit.system());
    TestProbe<StatusManager.Command> status = testKit.createTestProbe();
    ListRecorder rec = new ListRecorder();
    var worker = testKit.spawn(PodWorker.create(busybox("never", "Never", "echo bad; exit 3"),
        node(status.getRef(), cached(), rec)));
    var last = until(time, status, s -> "Failed".equals(s.getPhase()), Duration.ofSeconds(5));
    assertEquals(3, terminated(last.status()).getExitCode());
    assertEquals("Error", terminated(last.status()).getReason());
    assertEquals(0, last.status().getContainerStatuses().get(0).getRestartCount());
    var log = logs.get("default", "never", "uid-never", "main").current();
    assertEquals("bad\n", new String(log.lines(null).get(0).text()));
    testKit.stop(worker);
  }

  @Test
  void onFailureWithExitZeroSucceedsCompleted() {
    ManualTime time = ManualTime.get(testKit.system());
    TestProbe<StatusManager.Command> status = testKit.createTestProbe();
    var worker = testKit.spawn(PodWorker.create(busybox("ok", "OnFailure", "sleep 2; echo done"),
        node(status.getRef(), cached(), new ListRecorder())));
    until(time, status, s -> "Running".equals(s.getPhase()), Duration.ofSeconds(2));
    var last = until(time, status, s -> "Succeeded".equals(s.getPhase()), Duration.ofSeconds(5));
    assertEquals("Completed", terminated(last.status()).getReason());
    assertEquals("False", last.status().getConditions().stream().filter(c -> c.getType().equals("Ready"))
        .findFirst().orElseThrow().getStatus());
    testKit.stop(worker);
  }

  @Test
  void crashingContainerRestartsAtOnceThenBacksOffDoubling() {
    ManualTime time = ManualTime.get(testKit.system());
    TestProbe<StatusManager.Command> status = testKit.createTestProbe();
    ListRecorder rec = new ListRecorder();
    var worker = testKit.spawn(PodWorker.create(busybox("crash", "OnFailure", "echo try; exit 1"),
        node(status.getRef(), cached(), rec)));
    var first = until(time, status, s -> "CrashLoopBackOff".equals(waiting(s)), Duration.ofSeconds(3));
    var c = first.status().getContainerStatuses().get(0);
    assertEquals(1, c.getRestartCount(), "the first restart is immediate");
    assertEquals(1, c.getLastState().getTerminated().getExitCode());
    assertEquals("Error", c.getLastState().getTerminated().getReason());
    assertTrue(c.getState().getWaiting().getMessage().startsWith("back-off 10s restarting failed container=main pod="
        + "crash_default(uid-crash)"), c.getState().getWaiting().getMessage());
    assertEquals("Running", first.status().getPhase());
    // 10 s later it runs again, fails, and waits 20 s
    var second = until(time, status, s -> "CrashLoopBackOff".equals(waiting(s))
        && s.getContainerStatuses().get(0).getRestartCount() == 2, Duration.ofSeconds(11));
    assertTrue(second.status().getContainerStatuses().get(0).getState().getWaiting().getMessage()
        .startsWith("back-off 20s"));
    assertTrue(rec.events.stream().anyMatch(e -> e.reason().equals("BackOff")
        && e.message().equals("Back-off restarting failed container main in pod crash_default(uid-crash)")));
    var logsOf = logs.get("default", "crash", "uid-crash", "main");
    assertEquals("try\n", new String(logsOf.previous().lines(null).get(0).text()));
    testKit.stop(worker);
  }

  @Test
  void invalidImageAndNeverPull() {
    TestProbe<StatusManager.Command> status = testKit.createTestProbe();
    ManualTime time = ManualTime.get(testKit.system());
    Pod bad = busybox("badimg", "Always", "true");
    bad.getSpec().getContainers().get(0).setImage("Busybox::x");
    var w1 = testKit.spawn(PodWorker.create(bad, node(status.getRef(), cached(), new ListRecorder())));
    until(time, status, s -> "InvalidImageName".equals(waiting(s)), Duration.ofSeconds(2));
    testKit.stop(w1);
    Pod never = busybox("neverpull", "Always", "true");
    never.getSpec().getContainers().get(0).setImage("redis:7");
    never.getSpec().getContainers().get(0).setImagePullPolicy("Never");
    var w2 = testKit.spawn(PodWorker.create(never, node(status.getRef(), cached(), new ListRecorder())));
    var st = until(time, status, s -> "ErrImageNeverPull".equals(waiting(s)), Duration.ofSeconds(2));
    assertEquals("Container image \"redis:7\" is not present with pull policy of Never",
        st.status().getContainerStatuses().get(0).getState().getWaiting().getMessage());
    testKit.stop(w2);
  }

  @Test
  void unreachableRegistryGivesErrImagePullThenImagePullBackOff() {
    TestProbe<StatusManager.Command> status = testKit.createTestProbe();
    ManualTime time = ManualTime.get(testKit.system());
    Pod pod = busybox("pullfail", "Always", "true");
    pod.getSpec().getContainers().get(0).setImage("registry.invalid/app:1");
    var w = testKit.spawn(PodWorker.create(pod, node(status.getRef(), cached(), new ListRecorder())));
    until(time, status, s -> "ErrImagePull".equals(waiting(s)), Duration.ofSeconds(3));
    until(time, status, s -> "ImagePullBackOff".equals(waiting(s)), Duration.ofSeconds(3));
    testKit.stop(w);
  }

  @Test
  void initContainersRunOneAtATimeAndAFailureWithNeverFailsThePod() {
    ManualTime time = ManualTime.get(testKit.system());
    TestProbe<StatusManager.Command> status = testKit.createTestProbe();
    Pod pod = busybox("inits", "Never", "echo app");
    pod.getSpec().setInitContainers(List.of(
        new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("first").withImage("busybox:1.28")
            .withCommand("sh", "-c", "sleep 5; echo one").build(),
        new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("second").withImage("busybox:1.28")
            .withCommand("sh", "-c", "exit 2").build()));
    var w = testKit.spawn(PodWorker.create(pod, node(status.getRef(), cached(), new ListRecorder())));
    var running = until(time, status, s -> s.getInitContainerStatuses().get(0).getState().getRunning() != null,
        Duration.ofSeconds(2));
    assertEquals("PodInitializing", running.status().getInitContainerStatuses().get(1).getState().getWaiting()
        .getReason(), "the second waits for the first");
    assertEquals("PodInitializing", waiting(running.status()));
    assertEquals("Pending", running.status().getPhase());
    var initialized = running.status().getConditions().stream().filter(c -> c.getType().equals("Initialized"))
        .findFirst().orElseThrow();
    assertEquals("False", initialized.getStatus());
    assertEquals("containers with incomplete status: [first second]", initialized.getMessage());
    var failed = until(time, status, s -> "Failed".equals(s.getPhase()), Duration.ofSeconds(8));
    assertEquals(0, failed.status().getInitContainerStatuses().get(0).getState().getTerminated().getExitCode());
    assertEquals(2, failed.status().getInitContainerStatuses().get(1).getState().getTerminated().getExitCode());
    assertEquals("Error", failed.status().getInitContainerStatuses().get(1).getState().getTerminated().getReason());
    assertEquals(null, logs.get("default", "inits", "uid-inits", "main"), "the app container never ran");
    testKit.stop(w);
  }
}
