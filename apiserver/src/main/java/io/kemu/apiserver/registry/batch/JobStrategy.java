package io.kemu.apiserver.registry.batch;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.kemu.api.ResourceType;
import io.kemu.api.Resources;
import io.kemu.apiserver.registry.Strategy;
import java.util.HashMap;
import java.util.Map;

/**
 * pkg/registry/batch/job/strategy.go: a Job without manualSelector gets a selector on its own UID and its
 * template gets the matching labels (batch.kubernetes.io/controller-uid and job-name, plus the legacy ones).
 */
public final class JobStrategy implements Strategy<Job> {
  public static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
  public static final String JOB_NAME = "batch.kubernetes.io/job-name";
  static final String LEGACY_CONTROLLER_UID = "controller-uid";
  static final String LEGACY_JOB_NAME = "job-name";

  @Override
  public ResourceType type() {
    return Resources.JOBS;
  }

  @Override
  public boolean tracksGeneration() {
    return true;
  }

  @Override
  public void prepareForCreate(Job job) {
    job.setStatus(new JobStatus());
    if (job.getSpec() != null && !Boolean.TRUE.equals(job.getSpec().getManualSelector())) {
      generateSelector(job);
    }
  }

  /** generateSelector: the UID is already assigned when strategies run in kemu's registry. */
  static void generateSelector(Job job) {
    String uid = job.getMetadata().getUid();
    String name = job.getMetadata().getName();
    if (job.getSpec().getTemplate() == null) {
      return;
    }
    if (job.getSpec().getTemplate().getMetadata() == null) {
      job.getSpec().getTemplate().setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
    }
    Map<String, String> labels = job.getSpec().getTemplate().getMetadata().getLabels() == null ? new HashMap<>()
        : new HashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
    labels.putIfAbsent(LEGACY_CONTROLLER_UID, uid);
    labels.putIfAbsent(LEGACY_JOB_NAME, name);
    labels.putIfAbsent(CONTROLLER_UID, uid);
    labels.putIfAbsent(JOB_NAME, name);
    job.getSpec().getTemplate().getMetadata().setLabels(labels);
    if (job.getSpec().getSelector() == null) {
      LabelSelector sel = new LabelSelector();
      sel.setMatchLabels(Map.of(CONTROLLER_UID, uid));
      job.getSpec().setSelector(sel);
    }
  }

  @Override
  public void prepareForUpdate(Job job, Job old) {
    job.setStatus(old.getStatus());
  }

  @Override
  public void prepareForStatusUpdate(Job job, Job old) {
    job.setSpec(old.getSpec());
  }

  @Override
  public Map<String, String> fieldPaths() {
    Map<String, String> m = Strategy.super.fieldPaths();
    m.put("status.successful", "/status/succeeded");
    return m;
  }
}
