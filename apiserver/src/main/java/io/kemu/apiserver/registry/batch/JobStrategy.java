package io.kemu.apiserver.registry.batch;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.kemu.api.ResourceType;
import io.kemu.api.Resources;
import io.kemu.apiserver.registry.Strategy;
import io.kemu.apiserver.validation.FieldError;
import java.util.List;
import io.kemu.apiserver.validation.JobValidation;
import java.util.Map;

/**
 * pkg/registry/batch/job/strategy.go: a Job without manualSelector gets a selector on its own UID and its
 * template the matching labels (done by JobValidation.validateCreate, where upstream does it).
 */
public final class JobStrategy implements Strategy<Job> {

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
    job.setStatus(new JobStatus()); // the selector is generated in validation, as upstream does
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

  @Override
  public List<FieldError> validate(Job obj) {
    return JobValidation.validateCreate(obj);
  }

  @Override
  public List<FieldError> validateUpdate(Job obj, Job old) {
    return JobValidation.validateUpdate(obj, old);
  }

  @Override
  public List<FieldError> validateStatusUpdate(Job obj, Job old) {
    return JobValidation.validateStatusUpdate(obj, old);
  }
}
