package io.kemu.controller.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.kemu.api.KubeJson;
import io.kemu.controller.Harness;
import io.kemu.controller.OwnerRefs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Jobs through completions, parallelism, backoffLimit and activeDeadlineSeconds (job_controller_test.go's cases). */
class JobControllerTest {
  static final ActorTestKit kit = ActorTestKit.create();
  static final Map<String, String> LABELS = Map.of("batch.kubernetes.io/controller-uid", "job-uid",
      "batch.kubernetes.io/job-name", "pi");

  Harness h;
  JobController jc;

  @AfterAll
  static void down() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void setUp() {
    h = new Harness(kit.system());
  }

  static Job job(Integer completions, int parallelism, int backoffLimit, Long deadline) {
    return new JobBuilder().withApiVersion("batch/v1").withKind("Job").withNewMetadata().withNamespace("default")
        .withName("pi").withUid("job-uid").withGeneration(1L).endMetadata()
        .withNewSpec().withCompletions(completions).withParallelism(parallelism).withBackoffLimit(backoffLimit)
        .withActiveDeadlineSeconds(deadline).withNewSelector().withMatchLabels(Map.of(
            "batch.kubernetes.io/controller-uid", "job-uid")).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(LABELS).endMetadata().withNewSpec()
        .addNewContainer().withName("pi").withImage("busybox").withCommand("sh", "-c", "exit 0").endContainer()
        .withRestartPolicy("Never").endSpec().endTemplate().endSpec().build();
  }

  void start(Job j) throws Exception {
    h.api.seed(j);
    jc = new JobController(h.context);
    h.start(jc, List.of(Job.class, Pod.class));
  }

  void sync() throws Exception {
    h.sync(jc, "default/pi");
  }

  Job stored() {
    return h.api.peek(Job.class, "default", "pi");
  }

  List<Pod> running() {
    return h.api.all(Pod.class).stream().filter(p -> !io.kemu.controller.PodUtil.isTerminal(p)).toList();
  }

  /** The kubelet's part: the pod ran on node-1 and ended in {@code phase}. */
  void finish(Pod p, String phase) throws Exception {
    p.getSpec().setNodeName("node-1");
    h.api.update(p).toCompletableFuture().get();
    Pod fresh = h.api.peek(Pod.class, "default", p.getMetadata().getName());
    fresh.setStatus(new io.fabric8.kubernetes.api.model.PodStatus());
    fresh.getStatus().setPhase(phase);
    fresh.getStatus().setContainerStatuses(List.of(new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
        .withName("pi").withRestartCount(0).withNewState().withNewTerminated()
        .withExitCode("Succeeded".equals(phase) ? 0 : 1).withFinishedAt(KubeJson.timestamp(h.clock.instant()))
        .endTerminated().endState().build()));
    h.api.updateStatus(fresh).toCompletableFuture().get();
    h.settle();
  }

  static List<String> conditions(Job j) {
    return j.getStatus().getConditions().stream().map(JobCondition::getType).toList();
  }

  @Test
  void completionsFiveParallelismTwo() throws Exception {
    start(job(5, 2, 6, null));
    sync();
    assertEquals(2, running().size());
    assertTrue(running().stream().allMatch(p -> OwnerRefs.isControlledBy(p, stored())));
    assertTrue(running().get(0).getMetadata().getName().startsWith("pi-"));
    assertEquals(2, stored().getStatus().getActive());
    assertNotNull(stored().getStatus().getStartTime());
    for (int round = 0; round < 10 && !JobController.isFinished(stored()); round++) {
      for (Pod p : running()) {
        finish(p, "Succeeded");
      }
      sync();
      assertTrue(running().size() <= 2, "never more than parallelism");
    }
    Job j = stored();
    assertEquals(5, j.getStatus().getSucceeded());
    assertEquals(List.of("SuccessCriteriaMet", "Complete"), conditions(j));
    assertEquals("CompletionsReached", j.getStatus().getConditions().get(1).getReason());
    assertNotNull(j.getStatus().getCompletionTime());
    assertEquals(null, j.getStatus().getActive());
    assertEquals(5, h.api.all(Pod.class).size(), "exactly completions pods were created");
  }

  @Test
  void failingPodsStopAtBackoffLimitWithExponentialDelays() throws Exception {
    start(job(1, 1, 1, null));
    sync();
    finish(running().get(0), "Failed");
    sync();
    assertEquals(0, running().size(), "the replacement waits for the back-off");
    assertTrue(h.queuedAfter.stream().anyMatch(q -> q.startsWith("default/pi after 10s")), h.queuedAfter.toString());
    h.clock.advance(Duration.ofSeconds(11));
    sync();
    assertEquals(1, running().size());
    h.clock.advance(Duration.ofSeconds(1));
    finish(running().get(0), "Failed");
    sync();
    Job j = stored();
    assertEquals(2, j.getStatus().getFailed());
    assertEquals(List.of("FailureTarget", "Failed"), conditions(j));
    assertEquals("BackoffLimitExceeded", j.getStatus().getConditions().get(1).getReason());
    assertEquals("Job has reached the specified backoff limit", j.getStatus().getConditions().get(1).getMessage());
    assertTrue(h.events.contains("Warning BackoffLimitExceeded Job has reached the specified backoff limit"));
    h.api.clearActions();
    sync();
    assertFalse(h.api.actions().stream().anyMatch(a -> a.verb().equals("create")), "a finished job does nothing");
  }

  @Test
  void activeDeadlineTerminatesThePodsThenFails() throws Exception {
    start(job(3, 2, 6, 30L));
    sync();
    assertTrue(h.queuedAfter.contains("default/pi after 30s"), h.queuedAfter.toString());
    for (Pod p : running()) {
      p.getSpec().setNodeName("node-1");
      p.getSpec().setTerminationGracePeriodSeconds(30L);
      h.api.update(p).toCompletableFuture().get();
    }
    h.settle();
    h.clock.advance(Duration.ofSeconds(31));
    sync();
    Job j = stored();
    assertEquals(List.of("FailureTarget"), conditions(j), "Failed waits for the pods to terminate");
    assertEquals("DeadlineExceeded", j.getStatus().getConditions().get(0).getReason());
    assertTrue(h.api.all(Pod.class).stream().allMatch(p -> p.getMetadata().getDeletionTimestamp() != null));
    for (Pod p : h.api.all(Pod.class)) {
      h.api.delete(Pod.class, "default", p.getMetadata().getName(),
          new io.fabric8.kubernetes.api.model.DeleteOptionsBuilder().withGracePeriodSeconds(0L).build())
          .toCompletableFuture().get();
    }
    h.settle();
    sync();
    assertEquals(List.of("FailureTarget", "Failed"), conditions(stored()));
  }
}
