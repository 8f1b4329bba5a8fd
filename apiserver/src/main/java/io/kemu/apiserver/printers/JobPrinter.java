package io.kemu.apiserver.printers;

import static io.kemu.apiserver.printers.Formats.i32;
import static io.kemu.apiserver.printers.Formats.list;
import static io.kemu.apiserver.printers.TableColumn.ageColumn;
import static io.kemu.apiserver.printers.TableColumn.col;
import static io.kemu.apiserver.printers.TableColumn.nameColumn;
import static io.kemu.apiserver.printers.TableColumn.wide;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.time.Instant;
import java.util.List;

/**
 * {@code printJob}: NAME, STATUS, COMPLETIONS, DURATION, AGE; wide CONTAINERS, IMAGES, SELECTOR.
 * STATUS is the first of Complete, Failed, Terminating (deletionTimestamp set), Suspended, FailureTarget
 * that applies, else Running.
 */
public final class JobPrinter implements TablePrinter<Job> {

    public static final List<TableColumn> COLUMNS = List.of(
            nameColumn(),
            col("Status", "string", "Status of the job."),
            col("Completions", "string", Descriptions.JOB_STATUS_SUCCEEDED),
            col("Duration", "string", "Time required to complete the job."),
            ageColumn(),
            wide("Containers", "string", "Names of each container in the template."),
            wide("Images", "string", "Images referenced by each container in the template."),
            wide("Selector", "string", Descriptions.JOB_SPEC_SELECTOR));

    @Override
    public String kind() {
        return "Job";
    }

    @Override
    public Class<Job> type() {
        return Job.class;
    }

    @Override
    public List<TableColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(Job job, Instant now) {
        JobSpec spec = job.getSpec() == null ? new JobSpec() : job.getSpec();
        JobStatus st = job.getStatus() == null ? new JobStatus() : job.getStatus();
        int succeeded = i32(st.getSucceeded());

        String completions;
        if (spec.getCompletions() != null) {
            completions = succeeded + "/" + spec.getCompletions();
        } else {
            int parallelism = i32(spec.getParallelism());
            if (parallelism > 1) {
                completions = succeeded + "/1 of " + parallelism;
            } else {
                completions = succeeded + "/1";
            }
        }

        String jobDuration = "";
        if (Timestamps.isSet(st.getStartTime())) {
            Instant start = Timestamps.parse(st.getStartTime());
            if (!Timestamps.isSet(st.getCompletionTime())) {
                jobDuration = HumanDuration.human(HumanDuration.between(start, now));
            } else {
                jobDuration = HumanDuration.human(HumanDuration.between(start, Timestamps.parse(st.getCompletionTime())));
            }
        }

        List<JobCondition> conditions = list(st.getConditions());
        String status;
        if (hasJobCondition(conditions, "Complete")) {
            status = "Complete";
        } else if (hasJobCondition(conditions, "Failed")) {
            status = "Failed";
        } else if (job.getMetadata() != null && Timestamps.isSet(job.getMetadata().getDeletionTimestamp())) {
            status = "Terminating";
        } else if (hasJobCondition(conditions, "Suspended")) {
            status = "Suspended";
        } else if (hasJobCondition(conditions, "FailureTarget")) {
            status = "FailureTarget";
        } else {
            status = "Running";
        }

        List<Container> containers = spec.getTemplate() == null || spec.getTemplate().getSpec() == null
                ? List.of() : spec.getTemplate().getSpec().getContainers();
        String[] layout = Formats.layoutContainerCells(containers);
        return List.of(
                Formats.name(job),
                status,
                completions,
                jobDuration,
                Formats.age(job, now),
                layout[0],
                layout[1],
                Formats.formatLabelSelector(spec.getSelector()));
    }

    /** {@code hasJobCondition}: the first condition of that type decides (status True). */
    static boolean hasJobCondition(List<JobCondition> conditions, String type) {
        for (JobCondition c : conditions) {
            if (type.equals(c.getType())) {
                return "True".equals(c.getStatus());
            }
        }
        return false;
    }
}
