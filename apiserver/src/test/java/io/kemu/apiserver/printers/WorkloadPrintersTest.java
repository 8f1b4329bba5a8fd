package io.kemu.apiserver.printers;

import static io.kemu.apiserver.printers.Fixtures.NOW;
import static io.kemu.apiserver.printers.Fixtures.ago;
import static io.kemu.apiserver.printers.Fixtures.in;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Mirrors printers_test.go TestPrintDeployment, TestPrintReplicaSet(List), TestPrintJob(List). */
class WorkloadPrintersTest {

    private static final String ALMOST_NOW = in(Duration.ofMillis(1900)); // time.Now().Add(1.9e9)

    private static PodTemplateSpec template(String prefix) {
        return new PodTemplateSpecBuilder().withNewSpec().withContainers(
                new ContainerBuilder().withName("fake-" + prefix + "container1").withImage("fake-" + prefix + "image1").build(),
                new ContainerBuilder().withName("fake-" + prefix + "container2").withImage("fake-" + prefix + "image2").build())
                .endSpec().build();
    }

    // ---- Deployment ----

    private static Deployment testDeployment() {
        return new DeploymentBuilder().withNewMetadata().withName("test1").withCreationTimestamp(ALMOST_NOW).endMetadata()
                .withNewSpec().withReplicas(5).withTemplate(template(""))
                .withNewSelector().addToMatchLabels("foo", "bar").endSelector().endSpec()
                .withNewStatus().withReplicas(10).withUpdatedReplicas(2).withAvailableReplicas(1).withUnavailableReplicas(4)
                .endStatus().build();
    }

    @Test
    void deployment() {
        List<Object> cells = new DeploymentPrinter().cells(testDeployment(), NOW);
        assertEquals(List.of("test1", "0/5", 2L, 1L, "0s"), cells.subList(0, 5));
        assertEquals(List.of("test1", "0/5", 2L, 1L, "0s", "fake-container1,fake-container2", "fake-image1,fake-image2", "foo=bar"),
                cells);
    }

    @Test
    void deploymentReadyAndSelectors() {
        Deployment d = new DeploymentBuilder(testDeployment()).editStatus().withReadyReplicas(3).endStatus().build();
        assertEquals("3/5", new DeploymentPrinter().cells(d, NOW).get(1));
        // selector.String(): empty (not <none>) without a selector, <invalid> for an invalid one
        Deployment noSelector = new DeploymentBuilder(testDeployment()).editSpec().withSelector(null).endSpec().build();
        assertEquals("", new DeploymentPrinter().cells(noSelector, NOW).get(7));
        Deployment invalid = new DeploymentBuilder(testDeployment()).editSpec().withNewSelector()
                .addNewMatchExpression().withKey("a").withOperator("Bogus").endMatchExpression().endSelector().endSpec().build();
        assertEquals("<invalid>", new DeploymentPrinter().cells(invalid, NOW).get(7));
    }

    @Test
    void deploymentColumns() {
        assertEquals(List.of("Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"),
                DeploymentPrinter.COLUMNS.stream().map(TableColumn::name).toList());
        assertEquals(List.of("string", "string", "string", "string", "string", "string", "string", "string"),
                DeploymentPrinter.COLUMNS.stream().map(TableColumn::type).toList());
        assertEquals(List.of(0, 0, 0, 0, 0, 1, 1, 1), DeploymentPrinter.COLUMNS.stream().map(TableColumn::priority).toList());
    }

    // ---- ReplicaSet ----

    @Test
    void replicaSet() {
        ReplicaSet rs = new ReplicaSetBuilder().withNewMetadata().withName("test1").withCreationTimestamp(ALMOST_NOW).endMetadata()
                .withNewSpec().withReplicas(5).withTemplate(template(""))
                .withNewSelector().addToMatchLabels("foo", "bar").endSelector().endSpec()
                .withNewStatus().withReplicas(5).withReadyReplicas(2).endStatus().build();
        assertEquals(List.of("test1", 5L, 5L, 2L, "0s", "fake-container1,fake-container2", "fake-image1,fake-image2", "foo=bar"),
                new ReplicaSetPrinter().cells(rs, NOW));
    }

    @Test
    void replicaSetWithEmptyTemplateAndNoSelector() {
        ReplicaSet rs = new ReplicaSetBuilder().withNewMetadata().withName("replicaset2").withCreationTimestamp(ALMOST_NOW).endMetadata()
                .withNewSpec().withReplicas(4).withTemplate(new PodTemplateSpec()).endSpec()
                .withNewStatus().withReplicas(3).withReadyReplicas(1).endStatus().build();
        assertEquals(List.of("replicaset2", 4L, 3L, 1L, "0s", "", "", "<none>"), new ReplicaSetPrinter().cells(rs, NOW));
    }

    @Test
    void replicaSetColumns() {
        assertEquals(List.of("Name", "Desired", "Current", "Ready", "Age", "Containers", "Images", "Selector"),
                ReplicaSetPrinter.COLUMNS.stream().map(TableColumn::name).toList());
        assertEquals(List.of("string", "integer", "integer", "integer", "string", "string", "string", "string"),
                ReplicaSetPrinter.COLUMNS.stream().map(TableColumn::type).toList());
    }

    // ---- Job ----

    private static JobBuilder job(String name, String created) {
        return new JobBuilder().withNewMetadata().withName(name).withCreationTimestamp(created).endMetadata().withNewSpec().endSpec();
    }

    private static List<Object> jobRow(Job j) {
        return new JobPrinter().cells(j, NOW).subList(0, 5);
    }

    @Test
    void jobRunningWithCompletions() {
        Job j = job("job1", ALMOST_NOW).editSpec().withCompletions(2).withTemplate(template("job-"))
                .withNewSelector().addToMatchLabels("job-label", "job-label-value").endSelector().endSpec()
                .withNewStatus().withSucceeded(1).endStatus().build();
        assertEquals(List.of("job1", "Running", "1/2", "", "0s", "fake-job-container1,fake-job-container2",
                "fake-job-image1,fake-job-image2", "job-label=job-label-value"), new JobPrinter().cells(j, NOW));
    }

    @Test
    void jobTenYearsOld() {
        Job j = job("job2", ago(Duration.ofDays(3652))).withNewStatus().withSucceeded(0).endStatus().build();
        assertEquals(List.of("job2", "Running", "0/1", "", "10y"), jobRow(j));
    }

    @Test
    void jobDurationFromStartToCompletion() {
        Job j = job("job3", ago(Duration.ofDays(10 * 365))).withNewStatus().withSucceeded(0)
                .withStartTime(in(Duration.ofMinutes(1))).withCompletionTime(in(Duration.ofMinutes(31))).endStatus().build();
        assertEquals(List.of("job3", "Running", "0/1", "30m", "10y"), jobRow(j));
    }

    @Test
    void jobDurationWhileRunning() {
        Job j = job("job4", ago(Duration.ofDays(10 * 365))).withNewStatus().withSucceeded(0)
                .withStartTime(ago(Duration.ofMinutes(20))).endStatus().build();
        assertEquals(List.of("job4", "Running", "0/1", "20m", "10y"), jobRow(j));
    }

    @Test
    void jobStatusFromConditions() {
        assertEquals(List.of("job5", "Complete", "0/1", "", "0s"), jobRow(withCondition("job5", "Complete")));
        assertEquals(List.of("job6", "Failed", "0/1", "", "0s"), jobRow(withCondition("job6", "Failed")));
        assertEquals(List.of("job7", "Suspended", "0/1", "", "0s"), jobRow(withCondition("job7", "Suspended")));
        assertEquals(List.of("job8", "FailureTarget", "0/1", "", "0s"), jobRow(withCondition("job8", "FailureTarget")));
        Job terminating = job("job9", ALMOST_NOW).editMetadata().withDeletionTimestamp(ALMOST_NOW).endMetadata().build();
        assertEquals(List.of("job9", "Terminating", "0/1", "", "0s"), jobRow(terminating));
        // Complete and Failed win over deletion; a False condition does not count
        Job completeDeleting = new JobBuilder(withCondition("j", "Complete")).editMetadata().withDeletionTimestamp(ALMOST_NOW)
                .endMetadata().build();
        assertEquals("Complete", jobRow(completeDeleting).get(1));
        Job falseComplete = job("j", ALMOST_NOW).withNewStatus()
                .withConditions(new JobConditionBuilder().withType("Complete").withStatus("False").build()).endStatus().build();
        assertEquals("Running", jobRow(falseComplete).get(1));
    }

    private static Job withCondition(String name, String type) {
        return job(name, ALMOST_NOW).withNewStatus().withSucceeded(0)
                .withConditions(new JobConditionBuilder().withType(type).withStatus("True").build()).endStatus().build();
    }

    @Test
    void jobCompletionsWithParallelism() {
        Job parallel = job("p", ALMOST_NOW).editSpec().withParallelism(3).endSpec().withNewStatus().withSucceeded(1).endStatus().build();
        assertEquals("1/1 of 3", jobRow(parallel).get(2));
        Job list2 = job("job2", ALMOST_NOW).editSpec().withCompletions(2).endSpec().withNewStatus().withSucceeded(2)
                .withStartTime(ago(Duration.ofMinutes(20))).endStatus().build();
        assertEquals(List.of("job2", "Running", "2/2", "20m", "0s"), jobRow(list2));
    }

    @Test
    void jobColumns() {
        assertEquals(List.of("Name", "Status", "Completions", "Duration", "Age", "Containers", "Images", "Selector"),
                JobPrinter.COLUMNS.stream().map(TableColumn::name).toList());
        assertEquals(List.of(0, 0, 0, 0, 0, 1, 1, 1), JobPrinter.COLUMNS.stream().map(TableColumn::priority).toList());
    }
}
