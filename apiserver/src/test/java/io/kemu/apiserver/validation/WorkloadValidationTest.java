package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.Errors.assertMessages;
import static io.kemu.apiserver.validation.Errors.assertNone;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v1.ScaleBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRuleBuilder;
import io.kemu.apiserver.defaults.AppsDefaults;
import io.kemu.apiserver.defaults.BatchDefaults;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mirrors TestValidateDeployment*, TestValidateReplicaSet*, TestValidateScale and TestValidateJob* cases. */
class WorkloadValidationTest {

    static PodTemplateSpec template(String restartPolicy) {
        return new PodTemplateSpecBuilder().withNewMetadata().withLabels(Map.of("app", "web")).endMetadata()
                .withNewSpec().withRestartPolicy(restartPolicy)
                .withContainers(new ContainerBuilder().withName("c").withImage("nginx:1.27").build()).endSpec().build();
    }

    static DeploymentBuilder deployment() {
        return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("default").withResourceVersion("1").endMetadata()
                .withNewSpec().withNewSelector().withMatchLabels(Map.of("app", "web")).endSelector()
                .withTemplate(template(null)).endSpec();
    }

    static Deployment defaulted(DeploymentBuilder b) {
        return AppsDefaults.apply(b.build());
    }

    @Test
    void validDefaultedDeployment() {
        assertNone(DeploymentValidation.validateCreate(defaulted(deployment())));
    }

    @Test
    void deploymentSelector() {
        Deployment mismatch = defaulted(deployment().editSpec().editSelector().withMatchLabels(Map.of("app", "other")).endSelector().endSpec());
        assertMessages(DeploymentValidation.validateCreate(mismatch),
                "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`");
        Deployment empty = defaulted(deployment().editSpec().withNewSelector().endSelector().endSpec());
        assertMessages(DeploymentValidation.validateCreate(empty),
                "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
                        + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment");
        Deployment none = defaulted(deployment().editSpec().withSelector(null).endSpec());
        assertMessages(DeploymentValidation.validateCreate(none),
                "spec.selector: Required value",
                "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`");
    }

    @Test
    void deploymentStrategyAndCounts() {
        Deployment zero = defaulted(deployment().editSpec().withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxSurge(new IntOrString(0)).withMaxUnavailable(new IntOrString(0)).endRollingUpdate().endStrategy().endSpec());
        assertMessages(DeploymentValidation.validateCreate(zero),
                "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: "
                        + "may not be 0 when `maxSurge` is 0");
        Deployment pct = defaulted(deployment().editSpec().withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxUnavailable(new IntOrString("110%")).endRollingUpdate().endStrategy().endSpec());
        assertMessages(DeploymentValidation.validateCreate(pct),
                "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"110%\"}: "
                        + "must not be greater than 100%");
        Deployment recreate = defaulted(deployment().editSpec().withNewStrategy().withType("Recreate").withNewRollingUpdate()
                .endRollingUpdate().endStrategy().endSpec());
        assertMessages(DeploymentValidation.validateCreate(recreate),
                "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'");
        Deployment negative = defaulted(deployment().editSpec().withReplicas(-1).withMinReadySeconds(700).endSpec());
        assertMessages(DeploymentValidation.validateCreate(negative),
                "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
                "spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds");
    }

    @Test
    void deploymentTemplateRestartPolicy() {
        Deployment never = defaulted(deployment().editSpec().withTemplate(template("Never")).endSpec());
        assertMessages(DeploymentValidation.validateCreate(never),
                "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"");
    }

    @Test
    void deploymentUpdateKeepsSelector() {
        Deployment old = defaulted(deployment());
        Deployment changed = defaulted(deployment().editSpec().editSelector().withMatchLabels(Map.of("app", "web", "tier", "x"))
                .endSelector().withTemplate(new PodTemplateSpecBuilder(template(null)).editMetadata()
                        .withLabels(Map.of("app", "web", "tier", "x")).endMetadata().build()).endSpec());
        assertMessages(DeploymentValidation.validateUpdate(changed, old),
                "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web\", \"tier\":\"x\"}, "
                        + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable");
        assertNone(DeploymentValidation.validateUpdate(defaulted(deployment().editSpec().withReplicas(5).endSpec()), old));
    }

    @Test
    void deploymentStatus() {
        Deployment old = defaulted(deployment().withNewStatus().withCollisionCount(2).endStatus());
        Deployment bad = defaulted(deployment().withNewStatus().withReplicas(1).withReadyReplicas(2).withCollisionCount(1).endStatus());
        assertMessages(DeploymentValidation.validateStatusUpdate(bad, old),
                "status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas",
                "status.collisionCount: Invalid value: 1: cannot be decremented");
        assertNone(DeploymentValidation.validateStatusUpdate(defaulted(deployment().withNewStatus().withReplicas(1)
                .withReadyReplicas(1).withCollisionCount(2).endStatus()), old));
    }

    static ReplicaSet rs(Integer replicas) {
        return AppsDefaults.apply(new ReplicaSetBuilder().withNewMetadata().withName("web-1").withNamespace("default")
                .withResourceVersion("1").endMetadata().withNewSpec().withReplicas(replicas)
                .withNewSelector().withMatchLabels(Map.of("app", "web")).endSelector().withTemplate(template(null)).endSpec().build());
    }

    @Test
    void replicaSets() {
        assertNone(ReplicaSetValidation.validateCreate(rs(null)));
        assertMessages(ReplicaSetValidation.validateCreate(rs(-2)), "spec.replicas: Invalid value: -2: must be greater than or equal to 0");
        assertMessages(ReplicaSetValidation.validateUpdate(rs(-2), rs(1)),
                "spec.replicas: Invalid value: -2: must be greater than or equal to 0",
                "spec.replicas: Invalid value: -2: must be greater than or equal to 0");
        ReplicaSet st = rs(1);
        st.setStatus(new io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder().withReplicas(1).withReadyReplicas(1)
                .withAvailableReplicas(2).build());
        assertMessages(ReplicaSetValidation.validateStatusUpdate(st, rs(1)),
                "status.availableReplicas: Invalid value: 2: cannot be greater than status.replicas",
                "status.availableReplicas: Invalid value: 2: cannot be greater than readyReplicas");
    }

    @Test
    void scale() {
        assertNone(ScaleValidation.validate(new ScaleBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
                .withNewSpec().withReplicas(0).endSpec().build()));
        assertMessages(ScaleValidation.validate(new ScaleBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
                        .withNewSpec().withReplicas(-1).endSpec().build()),
                "spec.replicas: Invalid value: -1: must be greater than or equal to 0");
    }

    static JobBuilder job(String restartPolicy) {
        return new JobBuilder().withNewMetadata().withName("pi").withNamespace("default").withUid("1234").withResourceVersion("1").endMetadata()
                .withNewSpec().withTemplate(template(restartPolicy)).endSpec();
    }

    static Job defaulted(JobBuilder b) {
        return BatchDefaults.apply(b.build());
    }

    @Test
    void validJobGetsGeneratedSelector() {
        Job j = defaulted(job("Never"));
        assertNone(JobValidation.validateCreate(j));
        org.junit.jupiter.api.Assertions.assertEquals(Map.of("batch.kubernetes.io/controller-uid", "1234"),
                j.getSpec().getSelector().getMatchLabels());
        org.junit.jupiter.api.Assertions.assertEquals("pi", j.getSpec().getTemplate().getMetadata().getLabels().get("job-name"));
    }

    @Test
    void jobRestartPolicyAndCounts() {
        assertMessages(JobValidation.validateCreate(defaulted(job(null))),
                "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"");
        assertMessages(JobValidation.validateCreate(defaulted(job("Never").editSpec().withCompletions(-1).withBackoffLimit(-1).endSpec())),
                "spec.completions: Invalid value: -1: must be greater than or equal to 0",
                "spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0");
        assertMessages(JobValidation.validateCreate(defaulted(job("Never").editSpec().withCompletionMode("Foo").endSpec())),
                "spec.completionMode: Unsupported value: \"Foo\": supported values: \"NonIndexed\", \"Indexed\"");
    }

    @Test
    void jobManualSelector() {
        Job manual = defaulted(job("Never").editSpec().withManualSelector(true).withNewSelector()
                .withMatchLabels(Map.of("app", "other")).endSelector().endSpec());
        assertMessages(JobValidation.validateCreate(manual),
                "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`");
    }

    @Test
    void jobPodFailurePolicy() {
        Job onFailure = defaulted(job("OnFailure").editSpec().withNewPodFailurePolicy().withRules(new PodFailurePolicyRuleBuilder()
                .withAction("FailJob").withNewOnExitCodes().withOperator("In").withValues(0, 2, 1).endOnExitCodes().build())
                .endPodFailurePolicy().endSpec());
        assertMessages(JobValidation.validateCreate(onFailure),
                "spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator",
                "spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{0, 2, 1}: must be ordered",
                "spec.template.spec.restartPolicy: Invalid value: \"OnFailure\": only \"Never\" is supported when podFailurePolicy is specified");
        Job ok = defaulted(job("Never").editSpec().withNewPodFailurePolicy().withRules(new PodFailurePolicyRuleBuilder()
                .withAction("Ignore").addNewOnPodCondition().withType("DisruptionTarget").endOnPodCondition().build())
                .endPodFailurePolicy().endSpec());
        assertNone(JobValidation.validateCreate(ok));
    }

    @Test
    void jobUpdateImmutableFields() {
        Job old = defaulted(job("Never"));
        JobValidation.generateSelector(old);
        Job changed = new JobBuilder(old).editSpec().withCompletions(3).endSpec().build();
        assertMessages(JobValidation.validateUpdate(changed, old), "spec.completions: Invalid value: 3: field is immutable");
        Job parallel = new JobBuilder(old).editSpec().withParallelism(4).endSpec().build();
        assertNone(JobValidation.validateUpdate(parallel, old));
    }

    @Test
    void jobStatusUpdate() {
        Job old = defaulted(job("Never").withNewStatus().withFailed(2).endStatus());
        Job decreased = new JobBuilder(old).editStatus().withFailed(1).endStatus().build();
        assertMessages(JobValidation.validateStatusUpdate(decreased, old),
                "status.failed: Invalid value: 1: cannot decrease the failed counter");
        Job complete = new JobBuilder(old).editStatus().withStartTime("2025-01-01T00:00:00Z").withCompletionTime("2025-01-01T00:01:00Z")
                .withConditions(new JobConditionBuilder().withType("SuccessCriteriaMet").withStatus("True").build(),
                        new JobConditionBuilder().withType("Complete").withStatus("True").build()).endStatus().build();
        assertNone(JobValidation.validateStatusUpdate(complete, old));
        Job noCriteria = new JobBuilder(old).editStatus().withStartTime("2025-01-01T00:00:00Z").withCompletionTime("2025-01-01T00:01:00Z")
                .withConditions(new JobConditionBuilder().withType("Complete").withStatus("True").build()).endStatus().build();
        assertMessages(JobValidation.validateStatusUpdate(noCriteria, old),
                "status.conditions: Invalid value: <omitted>: cannot set Complete=True condition without the SuccessCriteriaMet=true condition".replace("Invalid value: <omitted>", "Invalid value"));
    }
}
