package io.kemu.scheduler.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * kube-scheduler's metrics (pkg/scheduler/metrics/metrics.go) under their upstream names, label names and buckets,
 * plus client-go's leader_election_master_status. Thread-safe.
 */
public final class SchedulerMetrics {
  public static final String SCHEDULED = "scheduled";
  public static final String UNSCHEDULABLE = "unschedulable";
  public static final String ERROR = "error";

  private final PrometheusRegistry registry = new PrometheusRegistry();

  private final Counter scheduleAttempts = Counter.builder().name("scheduler_schedule_attempts_total")
      .help("Number of attempts to schedule pods, by the result. 'unschedulable' means a pod could not be scheduled, "
          + "while 'error' means an internal scheduler problem.")
      .labelNames("result", "profile").register(registry);
  private final Histogram attemptDuration = Histogram.builder()
      .name("scheduler_scheduling_attempt_duration_seconds")
      .help("Scheduling attempt latency in seconds (scheduling algorithm + binding)")
      .classicOnly().classicExponentialUpperBounds(0.001, 2, 15)
      .labelNames("result", "profile").register(registry);
  private final Histogram algorithmDuration = Histogram.builder()
      .name("scheduler_scheduling_algorithm_duration_seconds")
      .help("Scheduling algorithm latency in seconds")
      .classicOnly().classicExponentialUpperBounds(0.001, 2, 15).register(registry);
  private final Histogram sliDuration = Histogram.builder().name("scheduler_pod_scheduling_sli_duration_seconds")
      .help("E2e latency for a pod being scheduled, from the time the pod enters the scheduling queue and might "
          + "involve multiple scheduling attempts.")
      .classicOnly().classicExponentialUpperBounds(0.01, 2, 20)
      .labelNames("attempts").register(registry);
  private final Histogram podSchedulingAttempts = Histogram.builder().name("scheduler_pod_scheduling_attempts")
      .help("Number of attempts to successfully schedule a pod.")
      .classicOnly().classicExponentialUpperBounds(1, 2, 5).register(registry);
  private final Gauge pendingPods = Gauge.builder().name("scheduler_pending_pods")
      .help("Number of pending pods, by the queue type. 'active' means number of pods in activeQ; 'backoff' means "
          + "number of pods in backoffQ; 'unschedulable' means number of pods in unschedulablePods that the "
          + "scheduler attempted to schedule and failed; 'gated' is the number of unschedulable pods that the "
          + "scheduler never attempted to schedule because they are gated.")
      .labelNames("queue").register(registry);
  private final Counter queueIncomingPods = Counter.builder().name("scheduler_queue_incoming_pods_total")
      .help("Number of pods added to scheduling queues by event and queue type.")
      .labelNames("queue", "event").register(registry);
  private final Counter preemptionAttempts = Counter.builder().name("scheduler_preemption_attempts_total")
      .help("Total preemption attempts in the cluster till now").register(registry);
  private final Gauge cacheSize = Gauge.builder().name("scheduler_cache_size")
      .help("Number of nodes, pods, and assumed (bound) pods in the scheduler cache.")
      .labelNames("type").register(registry);
  private final Histogram extensionPointDuration = Histogram.builder()
      .name("scheduler_framework_extension_point_duration_seconds")
      .help("Latency for running all plugins of a specific extension point.")
      .classicOnly().classicExponentialUpperBounds(0.0001, 2, 12)
      .labelNames("extension_point", "status", "profile").register(registry);
  private final Gauge leaderStatus = Gauge.builder().name("leader_election_master_status")
      .help("Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates "
          + "master. 'name' is the string used to identify the lease. Please make sure to group by name.")
      .labelNames("name").register(registry);
  private final Gauge bindingsInFlight = Gauge.builder().name("kemu_scheduler_bindings_in_flight")
      .help("Binding cycles started and not finished, and those waiting for a free slot (kemu).")
      .labelNames("state").register(registry);
  private final Counter bindingRetries = Counter.builder().name("kemu_scheduler_binding_retries_total")
      .help("Bindings retried after a transient apiserver error (kemu).").register(registry);

  public PrometheusRegistry registry() {
    return registry;
  }

  /** PodScheduled / PodUnschedulable / PodScheduleError. */
  public void attempt(String result, String profile, double seconds) {
    scheduleAttempts.labelValues(result, profile).inc();
    attemptDuration.labelValues(result, profile).observe(seconds);
  }

  public void algorithm(double seconds) {
    algorithmDuration.observe(seconds);
  }

  /** The attempts label: the count, "15+" from 15 on (getAttemptsLabel). */
  public void sli(int attempts, double seconds) {
    sliDuration.labelValues(attempts >= 15 ? "15+" : Integer.toString(attempts)).observe(seconds);
    podSchedulingAttempts.observe(attempts);
  }

  public void pending(Map<String, Integer> byQueue) {
    byQueue.forEach((q, n) -> pendingPods.labelValues(q).set(n));
  }

  public void incoming(String queue, String event) {
    queueIncomingPods.labelValues(queue, event).inc();
  }

  public void preemptionAttempt() {
    preemptionAttempts.inc();
  }

  public void cache(int nodes, int pods, int assumed) {
    cacheSize.labelValues("nodes").set(nodes);
    cacheSize.labelValues("pods").set(pods);
    cacheSize.labelValues("assumed_pods").set(assumed);
  }

  public void extensionPoint(String point, String status, String profile, double seconds) {
    extensionPointDuration.labelValues(point, status, profile).observe(seconds);
  }

  public void leader(String lease, boolean leading) {
    leaderStatus.labelValues(lease).set(leading ? 1 : 0);
  }

  public void bindings(int inFlight, int waiting) {
    bindingsInFlight.labelValues("in_flight").set(inFlight);
    bindingsInFlight.labelValues("waiting").set(waiting);
  }

  public void bindingRetry() {
    bindingRetries.inc();
  }

  public String scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
