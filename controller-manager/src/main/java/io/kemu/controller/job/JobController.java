package io.kemu.controller.job;

import static io.kemu.controller.Workers.await;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.kemu.api.KubeJson;
import io.kemu.api.client.KubeClient;
import io.kemu.api.client.Recorder;
import io.kemu.api.client.StatusException;
import io.kemu.api.client.cache.Indexer;
import io.kemu.api.client.cache.Keys;
import io.kemu.api.client.cache.ResourceEventHandler;
import io.kemu.api.client.cache.SharedIndexInformer;
import io.kemu.api.selectors.LabelSelector;
import io.kemu.api.selectors.SelectorParseException;
import io.kemu.controller.ControllerContext;
import io.kemu.controller.ControllerExpectations;
import io.kemu.controller.ControllerRefManager;
import io.kemu.controller.OwnerRefs;
import io.kemu.controller.PodControl;
import io.kemu.controller.PodUtil;
import io.kemu.controller.Reconciler;
import io.kemu.controller.SlowStart;
import io.kemu.controller.Workers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pkg/controller/job: runs {@code parallelism} pods at a time until {@code completions} have succeeded (or, without
 * completions, until one has and none is left running); replacements of failed pods wait an exponential back-off
 * (10 s doubling, 6 minutes at most); more failures than {@code backoffLimit} (restartPolicy OnFailure: container
 * restarts) or a run longer than {@code activeDeadlineSeconds} fail the Job. Terminal conditions follow 1.31's
 * order, which the apiserver's status validation enforces: SuccessCriteriaMet then Complete, FailureTarget then
 * Failed, the latter once no pod is left running or terminating. Succeeded and failed pods are counted from their
 * phase (kemu has no job-tracking finalizers).
 */
public final class JobController implements Reconciler {
  private static final Logger log = LoggerFactory.getLogger(JobController.class);
  public static final String NAME = "job-controller";
  static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(10);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(6);

  private final KubeClient client;
  private final Clock clock;
  private final ControllerContext context;
  private final SharedIndexInformer<Job> jobs;
  private final SharedIndexInformer<Pod> pods;
  private final ControllerExpectations expectations;
  private final PodControl podControl;
  private final Recorder recorder;
  private Queue queue;

  public JobController(ControllerContext context) {
    this.context = context;
    this.client = context.client();
    this.clock = context.clock();
    this.jobs = context.informers().informerFor(Job.class);
    this.pods = context.informers().informerFor(Pod.class);
    pods.addIndexer(Indexer.CONTROLLER_UID, Indexer::controllerUidIndex);
    this.expectations = new ControllerExpectations(clock, context.real(Duration.ofMinutes(5)));
    this.recorder = context.recorder(NAME);
    this.podControl = new PodControl(client, recorder);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void register(Queue q) {
    this.queue = q;
    jobs.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Job j, boolean initial) {
        q.add(Keys.key(j));
      }

      @Override
      public void onUpdate(Job old, Job cur) {
        q.add(Keys.key(cur));
      }

      @Override
      public void onDelete(Job j) {
        expectations.delete(Keys.key(j));
        q.add(Keys.key(j));
      }
    });
    pods.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod p, boolean initial) {
        String key = jobKeyOf(p);
        if (key != null) {
          if (p.getMetadata().getDeletionTimestamp() != null) {
            expectations.deletionObserved(key, PodUtil.key(p));
          } else {
            expectations.creationObserved(key);
          }
          q.add(key);
        }
      }

      @Override
      public void onUpdate(Pod old, Pod cur) {
        String key = jobKeyOf(cur);
        if (key != null) {
          if (cur.getMetadata().getDeletionTimestamp() != null) {
            expectations.deletionObserved(key, PodUtil.key(cur));
          }
          q.add(key);
        }
      }

      @Override
      public void onDelete(Pod p) {
        String key = jobKeyOf(p);
        if (key != null) {
          expectations.deletionObserved(key, PodUtil.key(p));
          q.add(key);
        }
      }
    });
  }

  private String jobKeyOf(Pod p) {
    OwnerReference ref = OwnerRefs.controllerOf(p);
    if (ref == null || !"Job".equals(ref.getKind())) {
      return null;
    }
    Job j = jobs.getIndexer().get(p.getMetadata().getNamespace(), ref.getName());
    return j != null && Objects.equals(j.getMetadata().getUid(), ref.getUid()) ? Keys.key(j) : null;
  }

  public ControllerExpectations expectations() {
    return expectations;
  }

  @Override
  public CompletionStage<Void> sync(String key) {
    return Workers.run(() -> syncJob(key));
  }

  static boolean isTrue(JobStatus s, String type) {
    if (s == null || s.getConditions() == null) {
      return false;
    }
    for (JobCondition c : s.getConditions()) {
      if (type.equals(c.getType()) && "True".equals(c.getStatus())) {
        return true;
      }
    }
    return false;
  }

  /** IsJobFinished. */
  public static boolean isFinished(Job j) {
    return isTrue(j.getStatus(), "Complete") || isTrue(j.getStatus(), "Failed");
  }

  static int orZero(Integer i) {
    return i == null ? 0 : i;
  }

  /** syncJob. */
  void syncJob(String key) {
    Job cached = jobs.getIndexer().get(key);
    if (cached == null) {
      expectations.delete(key);
      return;
    }
    if (isFinished(cached)) {
      return;
    }
    Job job = KubeJson.copy(cached);
    Instant now = clock.instant();
    boolean satisfied = expectations.satisfied(key);
    LabelSelector selector;
    try {
      selector = LabelSelector.fromLabelSelector(job.getSpec().getSelector());
    } catch (SelectorParseException e) {
      log.warn("job {}: invalid selector: {}", key, e.getMessage());
      return;
    }
    ControllerRefManager<Pod> refs = new ControllerRefManager<>(client, job,
        OwnerRefs.newControllerRef(job, "batch/v1", "Job"), p -> selector.matches(p.getMetadata().getLabels()),
        () -> ControllerRefManager.recheck(client.get(Job.class, job.getMetadata().getNamespace(),
            job.getMetadata().getName()), job));
    List<Pod> all = await(refs.claim(pods.getIndexer().byNamespace(job.getMetadata().getNamespace())));
    List<Pod> active = PodUtil.filterActivePods(all);
    int succeeded = 0;
    int failed = 0;
    int terminating = 0;
    Instant lastFailure = null;
    for (Pod p : all) {
      String phase = PodUtil.phase(p);
      if (phase.equals("Succeeded")) {
        succeeded++;
      } else if (phase.equals("Failed")) {
        failed++;
        Instant t = finishedAt(p);
        if (lastFailure == null || (t != null && t.isAfter(lastFailure))) {
          lastFailure = t;
        }
      } else if (p.getMetadata().getDeletionTimestamp() != null) {
        terminating++;
      }
    }
    int ready = 0;
    for (Pod p : active) {
      if (PodUtil.isPodReady(p)) {
        ready++;
      }
    }
    JobStatus status = job.getStatus() == null ? new JobStatus() : KubeJson.copy(job.getStatus());
    // The counters never go down (pods of a finished count may be deleted by users).
    succeeded = Math.max(succeeded, orZero(status.getSucceeded()));
    failed = Math.max(failed, orZero(status.getFailed()));
    boolean suspended = Boolean.TRUE.equals(job.getSpec().getSuspend());
    if (status.getStartTime() == null && !suspended) {
      status.setStartTime(KubeJson.timestamp(now));
      Long deadline = job.getSpec().getActiveDeadlineSeconds();
      if (deadline != null && queue != null) {
        queue.addAfter(key, context.real(Duration.ofSeconds(deadline)).plusMillis(10));
      }
    }
    int backoffLimit = job.getSpec().getBackoffLimit() == null ? 6 : job.getSpec().getBackoffLimit();
    String restartPolicy = job.getSpec().getTemplate().getSpec().getRestartPolicy();
    JobCondition failure = null;
    if (isTrue(status, "FailureTarget")) {
      failure = condition(status, "FailureTarget");
    } else if (failed > backoffLimit
        || ("OnFailure".equals(restartPolicy) && pastBackoffLimitOnFailure(active, backoffLimit))) {
      failure = newCondition("FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit",
          now);
    } else if (pastActiveDeadline(job, status, now)) {
      failure = newCondition("FailureTarget", "DeadlineExceeded", "Job was active longer than specified deadline",
          now);
    }
    Integer completions = job.getSpec().getCompletions();
    int parallelism = job.getSpec().getParallelism() == null ? 1 : job.getSpec().getParallelism();
    int activeCount = active.size();
    if (failure != null) {
      // Terminate the active pods; the Job fails once none is left running.
      for (Pod p : active) {
        deletePod(job, p);
      }
      terminating += active.size();
      activeCount = 0;
      if (!isTrue(status, "FailureTarget")) {
        setCondition(status, failure);
        recorder.warning(job, failure.getReason(), failure.getMessage());
      }
      if (terminating == 0) {
        setCondition(status, newCondition("Failed", failure.getReason(), failure.getMessage(), now));
      }
    } else {
      boolean complete = completions == null ? succeeded > 0 && activeCount == 0 : succeeded >= completions;
      if (complete || isTrue(status, "SuccessCriteriaMet")) {
        if (!isTrue(status, "SuccessCriteriaMet")) {
          setCondition(status, newCondition("SuccessCriteriaMet", "CompletionsReached",
              "Reached expected number of succeeded pods", now));
        }
        for (Pod p : active) {
          deletePod(job, p); // more pods than completions left running
          terminating++;
        }
        activeCount = 0;
        if (terminating == 0) {
          setCondition(status, newCondition("Complete", "CompletionsReached",
              "Reached expected number of succeeded pods", now));
          status.setCompletionTime(KubeJson.timestamp(now));
          recorder.normal(job, "Completed", "Job completed");
        }
      } else if (satisfied && !suspended) {
        activeCount = manageJob(job, key, active, succeeded, failed, lastFailure, completions, parallelism, now);
      }
    }
    status.setActive(activeCount == 0 ? null : activeCount);
    status.setSucceeded(succeeded == 0 ? null : succeeded);
    status.setFailed(failed == 0 ? null : failed);
    status.setReady(Math.min(ready, activeCount));
    status.setTerminating(null);
    if (KubeJson.MAPPER.valueToTree(status).equals(KubeJson.MAPPER.valueToTree(
        job.getStatus() == null ? new JobStatus() : job.getStatus()))) {
      return;
    }
    job.setStatus(status);
    await(client.updateStatus(job));
  }

  /** pastBackoffLimitOnFailure: the containers' restarts of the active pods reach backoffLimit. */
  static boolean pastBackoffLimitOnFailure(List<Pod> active, int backoffLimit) {
    int restarts = restarts(active);
    return backoffLimit == 0 ? restarts > 0 : restarts >= backoffLimit;
  }

  static int restarts(List<Pod> active) {
    int n = 0;
    for (Pod p : active) {
      if (p.getStatus() == null) {
        continue;
      }
      for (List<ContainerStatus> css : java.util.Arrays.asList(p.getStatus().getInitContainerStatuses(),
          p.getStatus().getContainerStatuses())) {
        if (css != null) {
          for (ContainerStatus cs : css) {
            n += cs.getRestartCount() == null ? 0 : cs.getRestartCount();
          }
        }
      }
    }
    return n;
  }

  /** pastActiveDeadline: startTime + activeDeadlineSeconds (emulated, through the time scale) has passed. */
  private boolean pastActiveDeadline(Job job, JobStatus status, Instant now) {
    Long deadline = job.getSpec().getActiveDeadlineSeconds();
    Instant start = KubeJson.parseTime(status.getStartTime());
    return deadline != null && start != null && !now.isBefore(start.plus(context.real(Duration.ofSeconds(deadline))));
  }

  /** manageJob: creates or deletes pods toward the wanted active count; answers the active count afterwards. */
  private int manageJob(Job job, String key, List<Pod> active, int succeeded, int failed, Instant lastFailure,
                        Integer completions, int parallelism, Instant now) {
    int wantActive;
    if (completions == null) {
      wantActive = succeeded > 0 ? Math.min(active.size(), parallelism) : parallelism;
    } else {
      wantActive = Math.max(0, Math.min(completions - succeeded, parallelism));
    }
    int diff = active.size() - wantActive;
    if (diff > 0) {
      List<Pod> toDelete = PodUtil.podsToDelete(active, active, diff, now);
      expectations.expectDeletions(key, toDelete.stream().map(PodUtil::key).toList());
      for (Pod p : toDelete) {
        deletePod(job, p);
      }
      return active.size() - diff;
    }
    if (diff < 0) {
      if (failed > 0 && lastFailure != null) {
        // getRemainingBackoff: 10 s doubling per failure, at most 6 minutes (emulated).
        Duration backoff = DEFAULT_BACKOFF.multipliedBy(1L << Math.min(failed - 1, 10));
        if (backoff.compareTo(MAX_BACKOFF) > 0) {
          backoff = MAX_BACKOFF;
        }
        Instant due = lastFailure.plus(context.real(backoff));
        if (now.isBefore(due)) {
          if (queue != null) {
            queue.addAfter(key, Duration.between(now, due).plusMillis(10));
          }
          return active.size();
        }
      }
      int create = -diff;
      expectations.expectCreations(key, create);
      OwnerReference ref = OwnerRefs.newControllerRef(job, "batch/v1", "Job");
      SlowStart.Result r = await(SlowStart.batches(create, SlowStart.INITIAL_BATCH_SIZE,
          () -> podControl.createPod(job.getSpec().getTemplate(), job, ref)));
      for (int i = r.successes(); i < create; i++) {
        expectations.creationObserved(key);
      }
      if (r.error() != null) {
        throw new StatusException(500, "InternalError", "job " + key + ": " + PodControl.message(r.error()));
      }
      return active.size() + r.successes();
    }
    return active.size();
  }

  private void deletePod(Job job, Pod p) {
    try {
      await(podControl.deletePod(p.getMetadata().getNamespace(), p.getMetadata().getName(), job));
    } catch (StatusException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
  }

  static Instant finishedAt(Pod p) {
    Instant t = null;
    if (p.getStatus() != null && p.getStatus().getContainerStatuses() != null) {
      for (ContainerStatus cs : p.getStatus().getContainerStatuses()) {
        if (cs.getState() != null && cs.getState().getTerminated() != null) {
          Instant f = KubeJson.parseTime(cs.getState().getTerminated().getFinishedAt());
          if (f != null && (t == null || f.isAfter(t))) {
            t = f;
          }
        }
      }
    }
    return t != null ? t : KubeJson.parseTime(p.getMetadata().getCreationTimestamp());
  }

  static JobCondition condition(JobStatus s, String type) {
    if (s.getConditions() != null) {
      for (JobCondition c : s.getConditions()) {
        if (type.equals(c.getType())) {
          return c;
        }
      }
    }
    return null;
  }

  static JobCondition newCondition(String type, String reason, String message, Instant now) {
    JobCondition c = new JobCondition();
    c.setType(type);
    c.setStatus("True");
    c.setReason(reason);
    c.setMessage(message);
    c.setLastProbeTime(KubeJson.timestamp(now));
    c.setLastTransitionTime(KubeJson.timestamp(now));
    return c;
  }

  static void setCondition(JobStatus s, JobCondition c) {
    List<JobCondition> conds = new ArrayList<>(s.getConditions() == null ? List.of() : s.getConditions());
    conds.removeIf(x -> x.getType().equals(c.getType()));
    conds.add(c);
    s.setConditions(conds);
  }
}
