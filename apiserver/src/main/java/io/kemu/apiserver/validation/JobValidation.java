package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.DeploymentValidation.nonneg;
import static io.kemu.apiserver.validation.ObjectMetaValidation.nonNull;
import static io.kemu.apiserver.validation.ObjectMetaValidation.str;
import static io.kemu.apiserver.validation.ValidationSupport.METADATA;
import static io.kemu.apiserver.validation.ValidationSupport.SPEC;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnExitCodesRequirement;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnPodConditionsPattern;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.api.model.batch.v1.SuccessPolicyRule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Job validation of kube-apiserver 1.32 (pkg/apis/batch/validation/validation.go and the job registry strategy):
 * create runs the strategy's {@code generateSelector} (mutating the job, as upstream's Validate does) then
 * {@code ValidateJob}; update runs {@code ValidateJob} and {@code ValidateJobUpdate}; status updates run
 * {@code ValidateJobUpdateStatus} with the options the 1.32 strategy derives (JobManagedBy and
 * JobPodReplacementPolicy are on). ElasticIndexedJob is GA, so indexed jobs may change completions with parallelism.
 */
public final class JobValidation {
    private JobValidation() {
    }

    public static final String LEGACY_JOB_NAME = "job-name";
    public static final String JOB_NAME = "batch.kubernetes.io/job-name";
    public static final String LEGACY_CONTROLLER_UID = "controller-uid";
    public static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";

    static final List<String> POD_FAILURE_ACTIONS = List.of("Count", "FailIndex", "FailJob", "Ignore");
    static final List<String> EXIT_CODE_OPERATORS = List.of("In", "NotIn");
    static final List<String> CONDITION_STATUSES = List.of("False", "True", "Unknown");
    static final List<String> POD_REPLACEMENT_POLICIES = List.of("Failed", "TerminatingOrFailed");
    static final int MAX_PARALLELISM_FOR_INDEXED_JOB = 100000;
    static final int MAX_FAILED_INDEXES = 100_000;
    static final int COMPLETIONS_SOFT_LIMIT = 100_000;
    static final int PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS = 10_000;
    static final int MAX_FAILED_INDEXES_FOR_HIGH_COMPLETIONS = 10_000;

    /** Strategy {@code Validate}: {@code generateSelector} unless manualSelector, then {@code ValidateJob}. */
    public static List<FieldError> validateCreate(Job job) {
        if (!Boolean.TRUE.equals(spec(job).getManualSelector())) {
            generateSelector(job);
        }
        return validateJob(job, true, false);
    }

    /** Strategy {@code ValidateUpdate}: {@code ValidateJob} followed by {@code ValidateJobUpdate}. */
    public static List<FieldError> validateUpdate(Job newJob, Job oldJob) {
        boolean prefixed = hasPrefixedLabels(oldJob);
        boolean invalidOldSelector = ValidationSupport.selectorInvalid(spec(oldJob).getSelector());
        List<FieldError> errs = validateJob(newJob, prefixed, invalidOldSelector);
        errs.addAll(ObjectMetaValidation.validateObjectMetaUpdate(newJob.getMetadata(), oldJob.getMetadata(), METADATA));
        JobSpec n = spec(newJob);
        JobSpec o = spec(oldJob);
        errs.addAll(validateJobSpec(n, SPEC, invalidOldSelector));
        errs.addAll(validateCompletions(n, o));
        errs.addAll(ValidationSupport.validateImmutableField(n.getSelector(), o.getSelector(),
                ValidationSupport.selectorValue(n.getSelector()), SPEC.child("selector")));
        errs.addAll(validatePodTemplateUpdate(n, o, oldJob));
        errs.addAll(immutable(n.getCompletionMode(), o.getCompletionMode(), "completionMode"));
        errs.addAll(immutable(n.getPodFailurePolicy(), o.getPodFailurePolicy(), "podFailurePolicy"));
        errs.addAll(immutable(n.getBackoffLimitPerIndex(), o.getBackoffLimitPerIndex(), "backoffLimitPerIndex"));
        errs.addAll(immutable(n.getManagedBy(), o.getManagedBy(), "managedBy"));
        errs.addAll(immutable(n.getSuccessPolicy(), o.getSuccessPolicy(), "successPolicy"));
        return errs;
    }

    /** {@code ValidateJobUpdateStatus} with the 1.32 strategy's {@code getStatusValidationOptions}. */
    public static List<FieldError> validateStatusUpdate(Job newJob, Job oldJob) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMetaUpdate(newJob.getMetadata(), oldJob.getMetadata(), METADATA);
        JobStatus s = status(newJob);
        JobStatus os = status(oldJob);
        FieldPath p = FieldPath.root("status");
        boolean finishedChanged = isFinished(oldJob) != isFinished(newJob);
        boolean completeChanged = isTrue(os, "Complete") != isTrue(s, "Complete");
        boolean failedChanged = isTrue(os, "Failed") != isTrue(s, "Failed");
        boolean failureTargetChanged = isTrue(os, "FailureTarget") != isTrue(s, "FailureTarget");
        boolean activeChanged = intv(os.getActive()) != intv(s.getActive());
        boolean startChanged = !Objects.equals(os.getStartTime(), s.getStartTime());
        boolean completionChanged = !Objects.equals(os.getCompletionTime(), s.getCompletionTime());
        boolean readyChanged = !Objects.equals(os.getReady(), s.getReady());
        boolean terminatingChanged = !Objects.equals(os.getTerminating(), s.getTerminating());
        boolean indexed = "Indexed".equals(spec(newJob).getCompletionMode());

        errs.addAll(nonneg(s.getActive(), p.child("active")));
        errs.addAll(nonneg(s.getSucceeded(), p.child("succeeded")));
        errs.addAll(nonneg(s.getFailed(), p.child("failed")));
        if (s.getReady() != null) {
            errs.addAll(nonneg(s.getReady(), p.child("ready")));
        }
        if (s.getTerminating() != null) {
            errs.addAll(nonneg(s.getTerminating(), p.child("terminating")));
        }
        if (s.getUncountedTerminatedPods() != null) {
            FieldPath up = p.child("uncountedTerminatedPods");
            Set<String> seen = new HashSet<>();
            checkUids(nonNull(s.getUncountedTerminatedPods().getSucceeded()), up.child("succeeded"), seen, errs);
            checkUids(nonNull(s.getUncountedTerminatedPods().getFailed()), up.child("failed"), seen, errs);
        }
        boolean complete = isTrue(s, "Complete");
        boolean failed = isTrue(s, "Failed");
        boolean successCriteriaMet = isTrue(s, "SuccessCriteriaMet");
        boolean failureTarget = isTrue(s, "FailureTarget");
        FieldPath conditions = p.child("conditions");
        if ((completeChanged || failedChanged) && complete && failed) {
            errs.add(FieldError.invalid(conditions, FieldError.OMIT, "cannot set Complete=True and Failed=true conditions"));
        }
        if ((completeChanged || failureTargetChanged) && complete && failureTarget) {
            errs.add(FieldError.invalid(conditions, FieldError.OMIT, "cannot set Complete=True and FailureTarget=true conditions"));
        }
        if ((completeChanged || completionChanged) && s.getCompletionTime() != null && !complete) {
            errs.add(FieldError.invalid(p.child("completionTime"), GoFormat.goTime(s.getCompletionTime()),
                    "cannot set completionTime when there is no Complete=True condition"));
        }
        if ((completeChanged || completionChanged) && s.getCompletionTime() == null && complete) {
            errs.add(FieldError.required(p.child("completionTime"), "completionTime is required for Complete jobs"));
        }
        if ((startChanged || completionChanged) && s.getStartTime() != null && s.getCompletionTime() != null
                && ObjectMetaValidation.sameTime(s.getStartTime(), s.getStartTime())
                && java.time.OffsetDateTime.parse(s.getCompletionTime()).isBefore(java.time.OffsetDateTime.parse(s.getStartTime()))) {
            errs.add(FieldError.invalid(p.child("completionTime"), GoFormat.goTime(s.getCompletionTime()),
                    "completionTime cannot be set before startTime"));
        }
        if (failedChanged && failed && !failureTarget) {
            errs.add(FieldError.invalid(conditions, FieldError.OMIT, "cannot set Failed=True condition without the FailureTarget=true condition"));
        }
        if (completeChanged && complete && !successCriteriaMet) {
            errs.add(FieldError.invalid(conditions, FieldError.OMIT, "cannot set Complete=True condition without the SuccessCriteriaMet=true condition"));
        }
        boolean finished = isFinished(newJob);
        if ((finishedChanged || activeChanged) && intv(s.getActive()) > 0 && finished) {
            errs.add(FieldError.invalid(p.child("active"), intv(s.getActive()), "active>0 is invalid for finished job"));
        }
        if ((finishedChanged || startChanged) && s.getStartTime() == null && finished) {
            errs.add(FieldError.required(p.child("startTime"), "startTime is required for finished job"));
        }
        if ((finishedChanged || terminatingChanged) && s.getTerminating() != null && s.getTerminating() > 0 && finished) {
            errs.add(FieldError.invalid(p.child("terminating"), s.getTerminating(), "terminating>0 is invalid for finished job"));
        }
        if ((readyChanged || activeChanged) && s.getReady() != null && s.getReady() > intv(s.getActive())) {
            errs.add(FieldError.invalid(p.child("ready"), s.getReady(), "cannot set more ready pods than active"));
        }
        if (successCriteriaMet && failed) {
            errs.add(FieldError.invalid(conditions, FieldError.OMIT, "cannot set SuccessCriteriaMet=True and Failed=true conditions"));
        }
        if (successCriteriaMet && failureTarget) {
            errs.add(FieldError.invalid(conditions, FieldError.OMIT, "cannot set SuccessCriteriaMet=True and FailureTarget=true conditions"));
        }
        if (spec(newJob).getSuccessPolicy() != null && !successCriteriaMet && complete) {
            errs.add(FieldError.invalid(conditions, FieldError.OMIT,
                    "cannot set Complete=True for Job with SuccessPolicy unless SuccessCriteriaMet=True"));
        }
        // ValidateJobStatusUpdate
        for (String type : List.of("Failed", "Complete", "FailureTarget")) {
            if (isTrue(os, type) && !isTrue(s, type)) {
                errs.add(FieldError.invalid(conditions, FieldError.OMIT, "cannot disable the terminal " + type + "=True condition"));
            }
        }
        if (intv(s.getFailed()) < intv(os.getFailed())) {
            errs.add(FieldError.invalid(p.child("failed"), intv(s.getFailed()), "cannot decrease the failed counter"));
        }
        boolean rejectDecreasingSucceeded = !indexed || !Objects.equals(spec(newJob).getCompletions(), spec(newJob).getParallelism());
        if (rejectDecreasingSucceeded && intv(s.getSucceeded()) < intv(os.getSucceeded())) {
            errs.add(FieldError.invalid(p.child("succeeded"), intv(s.getSucceeded()), "cannot decrease the succeeded counter"));
        }
        if (s.getCompletionTime() != null && os.getCompletionTime() != null
                && !ObjectMetaValidation.sameTime(s.getCompletionTime(), os.getCompletionTime())) {
            errs.add(FieldError.invalid(p.child("completionTime"), GoFormat.goTime(s.getCompletionTime()), "completionTime cannot be mutated"));
        }
        if (startChanged && os.getStartTime() != null && !Boolean.TRUE.equals(spec(newJob).getSuspend())) {
            errs.add(FieldError.required(p.child("startTime"), "startTime cannot be removed for unsuspended job"));
        }
        if (isTrue(os, "SuccessCriteriaMet") && !successCriteriaMet) {
            errs.add(FieldError.invalid(conditions, FieldError.OMIT, "cannot disable the SuccessCriteriaMet=True condition"));
        }
        if (isTrue(os, "Complete") && !isTrue(os, "SuccessCriteriaMet") && successCriteriaMet) {
            errs.add(FieldError.invalid(conditions, FieldError.OMIT, "cannot set SuccessCriteriaMet=True for Job already has Complete=true conditions"));
        }
        return errs;
    }

    /**
     * The job strategy's {@code generateSelector}: template labels job-name, batch.kubernetes.io/job-name, controller-uid and
     * batch.kubernetes.io/controller-uid (unless present), and a selector on batch.kubernetes.io/controller-uid.
     */
    public static void generateSelector(Job job) {
        ObjectMeta meta = job.getMetadata() == null ? new ObjectMeta() : job.getMetadata();
        if (job.getSpec() == null) {
            job.setSpec(new JobSpec());
        }
        JobSpec spec = job.getSpec();
        if (spec.getTemplate() == null) {
            spec.setTemplate(new PodTemplateSpec());
        }
        if (spec.getTemplate().getMetadata() == null) {
            spec.getTemplate().setMetadata(new ObjectMeta());
        }
        Map<String, String> labels = spec.getTemplate().getMetadata().getLabels() == null
                ? new LinkedHashMap<>() : new LinkedHashMap<>(spec.getTemplate().getMetadata().getLabels());
        labels.putIfAbsent(LEGACY_JOB_NAME, str(meta.getName()));
        labels.putIfAbsent(JOB_NAME, str(meta.getName()));
        labels.putIfAbsent(LEGACY_CONTROLLER_UID, str(meta.getUid()));
        labels.putIfAbsent(CONTROLLER_UID, str(meta.getUid()));
        spec.getTemplate().getMetadata().setLabels(labels);
        if (spec.getSelector() == null) {
            spec.setSelector(new LabelSelector());
        }
        Map<String, String> match = spec.getSelector().getMatchLabels() == null
                ? new LinkedHashMap<>() : new LinkedHashMap<>(spec.getSelector().getMatchLabels());
        match.putIfAbsent(CONTROLLER_UID, str(meta.getUid()));
        spec.getSelector().setMatchLabels(match);
    }

    // ------------------------------------------------------------------ ValidateJob

    private static List<FieldError> validateJob(Job job, boolean requirePrefixedLabels, boolean allowInvalidSelectorValues) {
        ObjectMeta meta = job.getMetadata() == null ? new ObjectMeta() : job.getMetadata();
        JobSpec spec = spec(job);
        List<FieldError> errs = ObjectMetaValidation.validateObjectMeta(meta, true, NameValidation::nameIsDNSSubdomain, METADATA);
        errs.addAll(validateGeneratedSelector(job, requirePrefixedLabels));
        errs.addAll(validateJobSpec(spec, SPEC, allowInvalidSelectorValues));
        if ("Indexed".equals(spec.getCompletionMode()) && spec.getCompletions() != null && spec.getCompletions() > 0) {
            String maxHostname = str(meta.getName()) + "-" + (spec.getCompletions() - 1);
            if (!NameValidation.isDNS1123Label(maxHostname).isEmpty()) {
                errs.add(FieldError.invalid(METADATA.child("name"), str(meta.getName()),
                        "will not able to create pod with invalid DNS label: " + maxHostname));
            }
        }
        return errs;
    }

    private static List<FieldError> validateGeneratedSelector(Job job, boolean requirePrefixedLabels) {
        List<FieldError> errs = new ArrayList<>();
        JobSpec spec = spec(job);
        if (Boolean.TRUE.equals(spec.getManualSelector()) || spec.getSelector() == null) {
            return errs;
        }
        ObjectMeta meta = job.getMetadata() == null ? new ObjectMeta() : job.getMetadata();
        String uid = str(meta.getUid());
        String name = str(meta.getName());
        if (uid.isEmpty()) {
            errs.add(FieldError.required(METADATA.child("uid"), ""));
        }
        FieldPath tm = SPEC.child("template", "metadata");
        Map<String, String> labels = ValidationSupport.templateLabels(spec.getTemplate());
        errs.addAll(validateHasLabel(labels, tm, LEGACY_CONTROLLER_UID, uid));
        errs.addAll(validateHasLabel(labels, tm, LEGACY_JOB_NAME, name));
        Map<String, String> expected = new LinkedHashMap<>();
        if (requirePrefixedLabels) {
            errs.addAll(validateHasLabel(labels, tm, CONTROLLER_UID, uid));
            errs.addAll(validateHasLabel(labels, tm, JOB_NAME, name));
            expected.put(CONTROLLER_UID, uid);
            expected.put(JOB_NAME, name);
        }
        expected.put(LEGACY_CONTROLLER_UID, uid);
        expected.put(LEGACY_JOB_NAME, name);
        if (!ValidationSupport.selectorInvalid(spec.getSelector()) && !ValidationSupport.selectorMatches(spec.getSelector(), expected)) {
            errs.add(FieldError.invalid(SPEC.child("selector"), ValidationSupport.selectorValue(spec.getSelector()), "`selector` not auto-generated"));
        }
        return errs;
    }

    /** Core {@code ValidateHasLabel}. */
    private static List<FieldError> validateHasLabel(Map<String, String> labels, FieldPath path, String key, String expected) {
        Map<String, String> l = labels == null ? Map.of() : labels;
        if (!l.containsKey(key)) {
            return List.of(FieldError.required(path.child("labels").key(key), "must be '" + expected + "'"));
        }
        if (!Objects.equals(l.get(key), expected)) {
            return List.of(FieldError.invalid(path.child("labels").key(key), ValidationSupport.mapValue(labels), "must be '" + expected + "'"));
        }
        return List.of();
    }

    /** {@code ValidateJobSpec}. */
    private static List<FieldError> validateJobSpec(JobSpec spec, FieldPath path, boolean allowInvalidSelectorValues) {
        List<FieldError> errs = validateJobSpecInner(spec, path);
        if (spec.getSelector() == null) {
            errs.add(FieldError.required(path.child("selector"), ""));
        } else {
            errs.addAll(PodValidation.validateLabelSelector(spec.getSelector(), allowInvalidSelectorValues, path.child("selector")));
        }
        if (!ValidationSupport.selectorInvalid(spec.getSelector())
                && !ValidationSupport.selectorMatches(spec.getSelector(), ValidationSupport.templateLabels(spec.getTemplate()))
                && !ValidationSupport.selectorEmpty(spec.getSelector())) {
            errs.add(FieldError.invalid(path.child("template", "metadata", "labels"),
                    ValidationSupport.mapValue(ValidationSupport.templateLabels(spec.getTemplate())),
                    "`selector` does not match template `labels`"));
        }
        return errs;
    }

    private static List<FieldError> validateJobSpecInner(JobSpec spec, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (spec.getParallelism() != null) {
            errs.addAll(nonneg(spec.getParallelism(), path.child("parallelism")));
        }
        if (spec.getCompletions() != null) {
            errs.addAll(nonneg(spec.getCompletions(), path.child("completions")));
        }
        if (spec.getActiveDeadlineSeconds() != null) {
            errs.addAll(nonneg(spec.getActiveDeadlineSeconds(), path.child("activeDeadlineSeconds")));
        }
        if (spec.getBackoffLimit() != null) {
            errs.addAll(nonneg(spec.getBackoffLimit(), path.child("backoffLimit")));
        }
        if (spec.getTtlSecondsAfterFinished() != null) {
            errs.addAll(nonneg(spec.getTtlSecondsAfterFinished(), path.child("ttlSecondsAfterFinished")));
        }
        if (spec.getBackoffLimitPerIndex() != null) {
            errs.addAll(nonneg(spec.getBackoffLimitPerIndex(), path.child("backoffLimitPerIndex")));
        }
        if (spec.getMaxFailedIndexes() != null) {
            errs.addAll(nonneg(spec.getMaxFailedIndexes(), path.child("maxFailedIndexes")));
            if (spec.getBackoffLimitPerIndex() == null) {
                errs.add(FieldError.required(path.child("backoffLimitPerIndex"), "when maxFailedIndexes is specified"));
            }
        }
        if (spec.getManagedBy() != null) {
            errs.addAll(isDomainPrefixedPath(path.child("managedBy"), spec.getManagedBy()));
            if (NameValidation.byteLen(spec.getManagedBy()) > 63) {
                errs.add(FieldError.tooLong(path.child("managedBy"), 63));
            }
        }
        String mode = spec.getCompletionMode();
        if (mode != null) {
            if (!mode.equals("NonIndexed") && !mode.equals("Indexed")) {
                errs.add(FieldError.notSupported(path.child("completionMode"), mode, List.of("NonIndexed", "Indexed")));
            }
            if (mode.equals("Indexed")) {
                if (spec.getCompletions() == null) {
                    errs.add(FieldError.required(path.child("completions"), "when completion mode is Indexed"));
                }
                if (spec.getParallelism() != null && spec.getParallelism() > MAX_PARALLELISM_FOR_INDEXED_JOB) {
                    errs.add(FieldError.invalid(path.child("parallelism"), spec.getParallelism(),
                            "must be less than or equal to " + MAX_PARALLELISM_FOR_INDEXED_JOB + " when completion mode is Indexed"));
                }
                if (spec.getCompletions() != null && spec.getMaxFailedIndexes() != null && spec.getMaxFailedIndexes() > spec.getCompletions()) {
                    errs.add(FieldError.invalid(path.child("maxFailedIndexes"), spec.getMaxFailedIndexes(), "must be less than or equal to completions"));
                }
                if (spec.getMaxFailedIndexes() != null && spec.getMaxFailedIndexes() > MAX_FAILED_INDEXES) {
                    errs.add(FieldError.invalid(path.child("maxFailedIndexes"), spec.getMaxFailedIndexes(),
                            "must be less than or equal to " + MAX_FAILED_INDEXES));
                }
                if (spec.getCompletions() != null && spec.getCompletions() > COMPLETIONS_SOFT_LIMIT && spec.getBackoffLimitPerIndex() != null) {
                    if (spec.getMaxFailedIndexes() == null) {
                        errs.add(FieldError.required(path.child("maxFailedIndexes"), "must be specified when completions is above " + COMPLETIONS_SOFT_LIMIT));
                    }
                    if (spec.getParallelism() != null && spec.getParallelism() > PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS) {
                        errs.add(FieldError.invalid(path.child("parallelism"), spec.getParallelism(), "must be less than or equal to "
                                + PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS + " when completions are above " + COMPLETIONS_SOFT_LIMIT
                                + " and used with backoff limit per index"));
                    }
                    if (spec.getMaxFailedIndexes() != null && spec.getMaxFailedIndexes() > MAX_FAILED_INDEXES_FOR_HIGH_COMPLETIONS) {
                        errs.add(FieldError.invalid(path.child("maxFailedIndexes"), spec.getMaxFailedIndexes(), "must be less than or equal to "
                                + MAX_FAILED_INDEXES_FOR_HIGH_COMPLETIONS + " when completions are above " + COMPLETIONS_SOFT_LIMIT
                                + " and used with backoff limit per index"));
                    }
                }
            }
        }
        if (mode == null || mode.equals("NonIndexed")) {
            if (spec.getBackoffLimitPerIndex() != null) {
                errs.add(FieldError.invalid(path.child("backoffLimitPerIndex"), spec.getBackoffLimitPerIndex(), "requires indexed completion mode"));
            }
            if (spec.getMaxFailedIndexes() != null) {
                errs.add(FieldError.invalid(path.child("maxFailedIndexes"), spec.getMaxFailedIndexes(), "requires indexed completion mode"));
            }
        }
        if (spec.getPodFailurePolicy() != null) {
            errs.addAll(validatePodFailurePolicy(spec, path.child("podFailurePolicy")));
        }
        if (spec.getSuccessPolicy() != null) {
            if (!"Indexed".equals(mode)) {
                errs.add(FieldError.invalid(path.child("successPolicy"), GoFormat.raw("batch.SuccessPolicy{Rules:[]batch.SuccessPolicyRule{...}}"),
                        "requires indexed completion mode"));
            } else {
                errs.addAll(validateSuccessPolicy(spec, path.child("successPolicy")));
            }
        }
        if (spec.getPodReplacementPolicy() != null) {
            FieldPath rp = path.child("podReplacementPolicy");
            if (spec.getPodFailurePolicy() != null) {
                if (!spec.getPodReplacementPolicy().equals("Failed")) {
                    errs.add(FieldError.notSupported(rp, spec.getPodReplacementPolicy(), List.of("Failed")));
                }
            } else if (!POD_REPLACEMENT_POLICIES.contains(spec.getPodReplacementPolicy())) {
                errs.add(FieldError.notSupported(rp, spec.getPodReplacementPolicy(), POD_REPLACEMENT_POLICIES));
            }
        }
        FieldPath tp = path.child("template");
        errs.addAll(ValidationSupport.validatePodTemplateSpec(spec.getTemplate(), tp, ValidationSupport.templateOptions()));
        String restart = str(ValidationSupport.templateSpec(spec.getTemplate()).getRestartPolicy());
        if (restart.equals("Always") || restart.isEmpty()) {
            errs.add(FieldError.required(tp.child("spec", "restartPolicy"), "valid values: \"OnFailure\", \"Never\""));
        } else if (!restart.equals("OnFailure") && !restart.equals("Never")) {
            errs.add(FieldError.notSupported(tp.child("spec", "restartPolicy"), restart, List.of("OnFailure", "Never")));
        } else if (spec.getPodFailurePolicy() != null && !restart.equals("Never")) {
            errs.add(FieldError.invalid(tp.child("spec", "restartPolicy"), restart, "only \"Never\" is supported when podFailurePolicy is specified"));
        }
        return errs;
    }

    private static List<FieldError> validatePodFailurePolicy(JobSpec spec, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        FieldPath rulesPath = path.child("rules");
        List<PodFailurePolicyRule> rules = nonNull(spec.getPodFailurePolicy().getRules());
        if (rules.size() > 20) {
            errs.add(FieldError.tooMany(rulesPath, rules.size(), 20));
        }
        Set<String> containerNames = new HashSet<>();
        PodSpec ps = ValidationSupport.templateSpec(spec.getTemplate());
        for (Container c : nonNull(ps.getContainers())) {
            containerNames.add(str(c.getName()));
        }
        for (Container c : nonNull(ps.getInitContainers())) {
            containerNames.add(str(c.getName()));
        }
        for (int i = 0; i < rules.size(); i++) {
            PodFailurePolicyRule rule = rules.get(i);
            FieldPath rp = rulesPath.index(i);
            String action = str(rule.getAction());
            if (action.isEmpty()) {
                errs.add(FieldError.required(rp.child("action"), "valid values: [\"Count\" \"FailIndex\" \"FailJob\" \"Ignore\"]"));
            } else if (action.equals("FailIndex")) {
                if (spec.getBackoffLimitPerIndex() == null) {
                    errs.add(FieldError.invalid(rp.child("action"), action, "requires the backoffLimitPerIndex to be set"));
                }
            } else if (!POD_FAILURE_ACTIONS.contains(action)) {
                errs.add(FieldError.notSupported(rp.child("action"), action, POD_FAILURE_ACTIONS));
            }
            if (rule.getOnExitCodes() != null) {
                errs.addAll(validateOnExitCodes(rule.getOnExitCodes(), rp.child("onExitCodes"), containerNames));
            }
            List<PodFailurePolicyOnPodConditionsPattern> patterns = nonNull(rule.getOnPodConditions());
            if (!patterns.isEmpty()) {
                FieldPath pp = rp.child("onPodConditions");
                if (patterns.size() > 20) {
                    errs.add(FieldError.tooMany(pp, patterns.size(), 20));
                }
                for (int j = 0; j < patterns.size(); j++) {
                    errs.addAll(NameValidation.validateQualifiedName(str(patterns.get(j).getType()), pp.index(j).child("type")));
                    String st = str(patterns.get(j).getStatus());
                    if (st.isEmpty()) {
                        errs.add(FieldError.required(pp.index(j).child("status"), "valid values: [\"False\" \"True\" \"Unknown\"]"));
                    } else if (!CONDITION_STATUSES.contains(st)) {
                        errs.add(FieldError.notSupported(pp.index(j).child("status"), st, CONDITION_STATUSES));
                    }
                }
            }
            if (rule.getOnExitCodes() != null && !patterns.isEmpty()) {
                errs.add(FieldError.invalid(rp, FieldError.OMIT, "specifying both OnExitCodes and OnPodConditions is not supported"));
            }
            if (rule.getOnExitCodes() == null && patterns.isEmpty()) {
                errs.add(FieldError.invalid(rp, FieldError.OMIT, "specifying one of OnExitCodes and OnPodConditions is required"));
            }
        }
        return errs;
    }

    private static List<FieldError> validateOnExitCodes(PodFailurePolicyOnExitCodesRequirement req, FieldPath path, Set<String> containerNames) {
        List<FieldError> errs = new ArrayList<>();
        String op = str(req.getOperator());
        if (op.isEmpty()) {
            errs.add(FieldError.required(path.child("operator"), "valid values: [\"In\" \"NotIn\"]"));
        } else if (!EXIT_CODE_OPERATORS.contains(op)) {
            errs.add(FieldError.notSupported(path.child("operator"), op, EXIT_CODE_OPERATORS));
        }
        if (req.getContainerName() != null && !containerNames.contains(req.getContainerName())) {
            errs.add(FieldError.invalid(path.child("containerName"), req.getContainerName(),
                    "must be one of the container or initContainer names in the pod template"));
        }
        FieldPath vp = path.child("values");
        List<Integer> values = nonNull(req.getValues());
        if (values.isEmpty()) {
            errs.add(FieldError.invalid(vp, GoFormat.raw(int32Slice(req.getValues())), "at least one value is required"));
        } else if (values.size() > 255) {
            errs.add(FieldError.tooMany(vp, values.size(), 255));
        }
        boolean ordered = true;
        Set<Integer> unique = new HashSet<>();
        for (int j = 0; j < values.size(); j++) {
            int v = values.get(j);
            if (op.equals("In") && v == 0) {
                errs.add(FieldError.invalid(vp.index(j), v, "must not be 0 for the In operator"));
            }
            if (!unique.add(v)) {
                errs.add(FieldError.duplicate(vp.index(j), v));
            }
            if (j > 0 && values.get(j - 1) > v) {
                ordered = false;
            }
        }
        if (!ordered) {
            errs.add(FieldError.invalid(vp, GoFormat.raw(int32Slice(values)), "must be ordered"));
        }
        return errs;
    }

    private static String int32Slice(List<Integer> values) {
        if (values == null) {
            return "[]int32(nil)";
        }
        return "[]int32{" + String.join(", ", values.stream().map(String::valueOf).toList()) + "}";
    }

    private static List<FieldError> validateSuccessPolicy(JobSpec spec, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        FieldPath rulesPath = path.child("rules");
        List<SuccessPolicyRule> rules = nonNull(spec.getSuccessPolicy().getRules());
        if (rules.isEmpty()) {
            errs.add(FieldError.required(rulesPath, "at least one rules must be specified when the successPolicy is specified"));
        }
        if (rules.size() > 20) {
            errs.add(FieldError.tooMany(rulesPath, rules.size(), 20));
        }
        int completions = spec.getCompletions() == null ? 0 : spec.getCompletions();
        for (int i = 0; i < rules.size(); i++) {
            SuccessPolicyRule rule = rules.get(i);
            FieldPath rp = rulesPath.index(i);
            if (rule.getSucceededCount() == null && rule.getSucceededIndexes() == null) {
                errs.add(FieldError.required(rp, "at least one of succeededCount or succeededIndexes must be specified"));
            }
            int total = 0;
            if (rule.getSucceededIndexes() != null) {
                FieldPath ip = rp.child("succeededIndexes");
                if (NameValidation.byteLen(rule.getSucceededIndexes()) > 64 * 1024) {
                    errs.add(FieldError.tooLong(ip, 64 * 1024));
                }
                try {
                    total = countIndexes(rule.getSucceededIndexes(), completions);
                } catch (IllegalArgumentException e) {
                    errs.add(FieldError.invalid(ip, rule.getSucceededIndexes(), "error parsing succeededIndexes: " + e.getMessage()));
                }
            }
            if (rule.getSucceededCount() != null) {
                FieldPath cp = rp.child("succeededCount");
                int count = rule.getSucceededCount();
                errs.addAll(nonneg(count, cp));
                if (count > completions) {
                    errs.add(FieldError.invalid(cp, count, "must be less than or equal to " + completions + " (the number of specified completions)"));
                }
                if (rule.getSucceededIndexes() != null && count > total) {
                    errs.add(FieldError.invalid(cp, count,
                            "must be less than or equal to " + total + " (the number of indexes in the specified succeededIndexes field)"));
                }
            }
        }
        return errs;
    }

    /** {@code validateIndexesFormat}: ordered, non-overlapping "a" or "a-b" intervals below completions. */
    static int countIndexes(String indexes, int completions) {
        if (indexes.isEmpty()) {
            return 0;
        }
        int total = 0;
        long prev = -1;
        for (String interval : indexes.split(",", -1)) {
            String[] limits = interval.split("-", -1);
            if (limits.length > 2) {
                throw new IllegalArgumentException("the fragment \"" + interval + "\" violates the requirement that an index interval can have at most two parts separated by '-'");
            }
            long x = parseIndex(limits[0], interval);
            if (x >= completions) {
                throw new IllegalArgumentException("too large index: " + x);
            }
            if (x <= prev) {
                throw new IllegalArgumentException("non-increasing order, previous: " + prev + ", current: " + x);
            }
            long y = x;
            if (limits.length == 2) {
                y = parseIndex(limits[1], interval);
                if (y >= completions) {
                    throw new IllegalArgumentException("too large index: " + y);
                }
                if (x >= y) {
                    throw new IllegalArgumentException("non-increasing order, previous: " + x + ", current: " + y);
                }
            }
            total += (int) (y - x + 1);
            prev = y;
        }
        return total;
    }

    private static long parseIndex(String s, String interval) {
        try {
            long v = Long.parseLong(s);
            if (v < 0) {
                throw new IllegalArgumentException("strconv.Atoi: parsing " + GoFormat.quote(s) + ": invalid syntax");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cannot convert string to integer for index: " + GoFormat.quote(s));
        }
    }

    /** {@code IsDomainPrefixedPath}. */
    private static List<FieldError> isDomainPrefixedPath(FieldPath path, String dpPath) {
        int slash = dpPath.indexOf('/');
        if (slash < 0) {
            return List.of(FieldError.invalid(path, dpPath, "must be a domain-prefixed path (such as \"acme.io/foo\")"));
        }
        String host = dpPath.substring(0, slash);
        String rest = dpPath.substring(slash);
        List<FieldError> errs = new ArrayList<>();
        for (String msg : NameValidation.isDNS1123Subdomain(host)) {
            errs.add(FieldError.invalid(path, host, msg));
        }
        if (!rest.matches("/[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+")) {
            errs.add(FieldError.invalid(path, rest, "Invalid path"));
        }
        return errs;
    }

    // ------------------------------------------------------------------ update helpers

    private static List<FieldError> validateCompletions(JobSpec n, JobSpec o) {
        // ElasticIndexedJob is GA: indexed jobs may change completions together with parallelism
        if (!"Indexed".equals(n.getCompletionMode())) {
            return immutable(n.getCompletions(), o.getCompletions(), "completions");
        }
        if (Objects.equals(n.getCompletions(), o.getCompletions()) || n.getCompletions() == null) {
            return List.of();
        }
        if (!Objects.equals(n.getCompletions(), n.getParallelism())) {
            return List.of(FieldError.invalid(SPEC.child("completions"), n.getCompletions(), "can only be modified in tandem with spec.parallelism"));
        }
        return List.of();
    }

    private static List<FieldError> validatePodTemplateUpdate(JobSpec n, JobSpec o, Job oldJob) {
        PodTemplateSpec template = n.getTemplate() == null ? new PodTemplateSpec() : n.getTemplate();
        PodTemplateSpec old = o.getTemplate() == null ? new PodTemplateSpec() : o.getTemplate();
        boolean mutableScheduling = Boolean.TRUE.equals(o.getSuspend()) && status(oldJob).getStartTime() == null;
        PodTemplateSpec cmpNew = copy(template);
        PodTemplateSpec cmpOld = copy(old);
        if (mutableScheduling) {
            // AllowMutableSchedulingDirectives: node affinity, node selector, tolerations, labels, annotations and
            // scheduling gates may change for suspended jobs that never started
            PodSpec ns = ValidationSupport.templateSpec(cmpNew);
            PodSpec os = ValidationSupport.templateSpec(cmpOld);
            if (ns.getAffinity() != null) {
                ns.getAffinity().setNodeAffinity(null);
            }
            if (os.getAffinity() != null) {
                os.getAffinity().setNodeAffinity(null);
            }
            ns.setNodeSelector(null);
            os.setNodeSelector(null);
            ns.setTolerations(null);
            os.setTolerations(null);
            ns.setSchedulingGates(null);
            os.setSchedulingGates(null);
            for (PodTemplateSpec t : List.of(cmpNew, cmpOld)) {
                if (t.getMetadata() != null) {
                    t.getMetadata().setLabels(null);
                    t.getMetadata().setAnnotations(null);
                }
            }
        }
        if (!SpecComparison.semanticEqual(ValidationSupport.templateSpec(cmpNew), ValidationSupport.templateSpec(cmpOld))
                || !sameTemplateMeta(cmpNew.getMetadata(), cmpOld.getMetadata())) {
            // upstream prints the whole core.PodTemplateSpec with %#v; only its head is reproduced
            return List.of(FieldError.invalid(SPEC.child("template"), GoFormat.raw("core.PodTemplateSpec{...}"), ObjectMetaValidation.FIELD_IMMUTABLE));
        }
        return List.of();
    }

    private static boolean sameTemplateMeta(ObjectMeta a, ObjectMeta b) {
        ObjectMeta x = a == null ? new ObjectMeta() : a;
        ObjectMeta y = b == null ? new ObjectMeta() : b;
        return Objects.equals(emptyToNull(x.getLabels()), emptyToNull(y.getLabels()))
                && Objects.equals(emptyToNull(x.getAnnotations()), emptyToNull(y.getAnnotations()))
                && Objects.equals(x.getName(), y.getName()) && Objects.equals(x.getNamespace(), y.getNamespace());
    }

    private static <K, V> Map<K, V> emptyToNull(Map<K, V> m) {
        return m == null || m.isEmpty() ? null : m;
    }

    private static PodTemplateSpec copy(PodTemplateSpec t) {
        return new io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder(t).build();
    }

    private static List<FieldError> immutable(Object n, Object o, String field) {
        if (Objects.equals(n, o)) {
            return List.of();
        }
        Object value = n instanceof String || n instanceof Number || n == null ? n : GoFormat.raw(String.valueOf(n));
        return List.of(FieldError.invalid(SPEC.child(field), value, ObjectMetaValidation.FIELD_IMMUTABLE));
    }

    private static void checkUids(List<String> uids, FieldPath path, Set<String> seen, List<FieldError> errs) {
        for (int i = 0; i < uids.size(); i++) {
            String k = str(uids.get(i));
            if (k.isEmpty()) {
                errs.add(FieldError.invalid(path.index(i), k, "must not be empty"));
            } else if (!seen.add(k)) {
                errs.add(FieldError.duplicate(path.index(i), k));
            }
        }
    }

    private static boolean hasPrefixedLabels(Job job) {
        Map<String, String> labels = ValidationSupport.templateLabels(spec(job).getTemplate());
        return labels != null && labels.containsKey(JOB_NAME) && labels.containsKey(CONTROLLER_UID);
    }

    static boolean isTrue(JobStatus s, String type) {
        for (JobCondition c : nonNull(s.getConditions())) {
            if (type.equals(c.getType()) && "True".equals(c.getStatus())) {
                return true;
            }
        }
        return false;
    }

    static boolean isFinished(Job job) {
        JobStatus s = status(job);
        return isTrue(s, "Complete") || isTrue(s, "Failed");
    }

    private static int intv(Integer i) {
        return i == null ? 0 : i;
    }

    private static JobSpec spec(Job job) {
        return job.getSpec() == null ? new JobSpec() : job.getSpec();
    }

    private static JobStatus status(Job job) {
        return job.getStatus() == null ? new JobStatus() : job.getStatus();
    }
}
