package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.Errors.assertMessages;
import static io.kemu.apiserver.validation.Errors.assertNone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.kemu.apiserver.defaults.PodDefaults;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mirrors TestValidatePodUpdate and TestValidatePodStatusUpdate in core/validation/validation_test.go. */
class PodUpdateValidationTest {

    static Pod oldPod() {
        return PodDefaults.apply(new PodBuilder().withNewMetadata().withName("x").withNamespace("ns").withResourceVersion("1")
                .withUid("u").endMetadata().withNewSpec().addNewContainer().withName("app").withImage("nginx:1.25").endContainer()
                .addNewInitContainer().withName("init").withImage("busybox").endInitContainer()
                .withTolerations(new TolerationBuilder().withKey("a").withOperator("Exists").withEffect("NoExecute")
                        .withTolerationSeconds(10L).build())
                .endSpec().build());
    }

    static Pod copy(Pod p) {
        return new PodBuilder(p).build();
    }

    static final String FORBIDDEN_PREFIX = "spec: Forbidden: pod updates may not change fields other than "
            + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` "
            + "(only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it "
            + "was previously negative)\n";

    @Test
    void unchangedAndImageChangesAreAllowed() {
        Pod old = oldPod();
        assertNone(PodValidation.validateUpdate(copy(old), old));
        Pod images = copy(old);
        images.getSpec().getContainers().get(0).setImage("nginx:1.27");
        images.getSpec().getInitContainers().get(0).setImage("busybox:2");
        assertNone(PodValidation.validateUpdate(images, old));
    }

    @Test
    void otherSpecChangesAreForbidden() {
        Pod old = oldPod();
        Pod changed = copy(old);
        changed.getSpec().getContainers().get(0).setImagePullPolicy("Never");
        List<FieldError> errs = PodValidation.validateUpdate(changed, old);
        assertEquals(1, errs.size());
        assertEquals("spec", errs.get(0).field());
        assertEquals(ErrorType.FORBIDDEN, errs.get(0).type());
        assertTrue(errs.get(0).message().startsWith(FORBIDDEN_PREFIX), errs.get(0).message());
        assertTrue(errs.get(0).message().contains("containers[0].imagePullPolicy"), errs.get(0).message());
    }

    @Test
    void containersCannotBeAddedOrRemoved() {
        Pod old = oldPod();
        Pod added = copy(old);
        added.getSpec().getContainers().add(new io.fabric8.kubernetes.api.model.ContainerBuilder(old.getSpec().getContainers().get(0))
                .withName("b").build());
        assertMessages(PodValidation.validateUpdate(added, old), "spec.containers: Forbidden: pod updates may not add or remove containers");
        Pod emptied = copy(old);
        emptied.getSpec().getContainers().get(0).setImage("");
        assertMessages(PodValidation.validateUpdate(emptied, old), "spec.containers[0].image: Required value",
                "spec.containers[0].image: Required value");
    }

    @Test
    void activeDeadlineSeconds() {
        Pod old = oldPod();
        Pod set = copy(old);
        set.getSpec().setActiveDeadlineSeconds(30L);
        assertNone(PodValidation.validateUpdate(set, old));
        Pod lower = copy(set);
        lower.getSpec().setActiveDeadlineSeconds(10L);
        assertNone(PodValidation.validateUpdate(lower, set));
        Pod higher = copy(set);
        higher.getSpec().setActiveDeadlineSeconds(40L);
        assertMessages(PodValidation.validateUpdate(higher, set),
                "spec.activeDeadlineSeconds: Invalid value: 40: must be less than or equal to previous value");
        assertMessages(PodValidation.validateUpdate(copy(old), set),
                "spec.activeDeadlineSeconds: Invalid value: \"null\": must not update from a positive integer to nil value");
    }

    @Test
    void tolerationsMayOnlyBeAdded() {
        Pod old = oldPod();
        Pod added = copy(old);
        added.getSpec().getTolerations().add(new TolerationBuilder().withKey("b").withOperator("Exists").build());
        added.getSpec().getTolerations().get(0).setTolerationSeconds(20L);
        assertNone(PodValidation.validateUpdate(added, old));
        Pod modified = copy(old);
        modified.getSpec().getTolerations().get(0).setKey("c");
        assertMessages(PodValidation.validateUpdate(modified, old),
                "spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds");
    }

    @Test
    void negativeGracePeriodMayBecomeOne() {
        Pod old = oldPod();
        old.getSpec().setTerminationGracePeriodSeconds(-1L);
        Pod one = copy(old);
        one.getSpec().setTerminationGracePeriodSeconds(1L);
        assertNone(PodValidation.validateUpdate(one, old));
        Pod two = copy(old);
        two.getSpec().setTerminationGracePeriodSeconds(2L);
        assertTrue(PodValidation.validateUpdate(two, old).get(0).message().startsWith(FORBIDDEN_PREFIX));
    }

    @Test
    void qosChangeIsReported() {
        Pod old = oldPod();
        Pod res = copy(old);
        res.getSpec().getContainers().get(0).setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                .withRequests(Map.of("cpu", new Quantity("100m"))).build());
        List<FieldError> errs = PodValidation.validateUpdate(res, old);
        assertEquals("metadata: Invalid value: \"\": Pod QoS is immutable", errs.get(0).message());
        assertTrue(errs.get(1).message().startsWith(FORBIDDEN_PREFIX));
        assertEquals("Burstable", PodValidation.computePodQOS(res.getSpec()));
        assertEquals("BestEffort", PodValidation.computePodQOS(old.getSpec()));
    }

    @Test
    void metadataRulesApply() {
        Pod old = oldPod();
        Pod noRv = copy(old);
        noRv.getMetadata().setResourceVersion(null);
        assertMessages(PodValidation.validateUpdate(noRv, old),
                "metadata.resourceVersion: Invalid value: \"\": must be specified for an update");
        Pod mirror = copy(old);
        mirror.getMetadata().setAnnotations(Map.of("kubernetes.io/config.mirror", "x"));
        assertMessages(PodValidation.validateUpdate(mirror, old),
                "metadata.annotations[kubernetes.io/config.mirror]: Invalid value: \"x\": must set spec.nodeName if mirror pod annotation is set",
                "metadata.annotations[kubernetes.io/config.mirror]: Forbidden: may not add mirror pod annotation",
                "metadata.annotations[kubernetes.io/config.mirror]: Invalid value: \"x\": must set spec.nodeName if mirror pod annotation is set");
    }

    @Test
    void statusUpdate() {
        Pod old = oldPod();
        assertNone(PodValidation.validateStatusUpdate(copy(old), old));

        Pod nodeName = copy(old);
        nodeName.getSpec().setNodeName("node-1");
        assertMessages(PodValidation.validateStatusUpdate(nodeName, old), "status.nodeName: Forbidden: may not be changed directly");

        Pod conditions = copy(old);
        conditions.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().addNewCondition().withType("Ready").endCondition()
                .addNewCondition().withType("bad condition").endCondition().build());
        List<FieldError> errs = PodValidation.validateStatusUpdate(conditions, old);
        assertEquals(1, errs.size());
        assertEquals("metadata.conditions[1].Type", errs.get(0).field());

        Pod ips = copy(old);
        ips.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().addNewPodIP("10.0.0.1").addNewPodIP("10.0.0.2")
                .addNewPodIP("10.0.0.1").build());
        assertMessages(PodValidation.validateStatusUpdate(ips, old),
                "status.podIPs: Invalid value: []core.PodIP{core.PodIP{IP:\"10.0.0.1\"}, core.PodIP{IP:\"10.0.0.2\"}, "
                        + "core.PodIP{IP:\"10.0.0.1\"}}: may specify no more than one IP for each IP family",
                "status.podIPs[2]: Duplicate value: core.PodIP{IP:\"10.0.0.1\"}");
        Pod dual = copy(old);
        dual.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().addNewPodIP("10.0.0.1").addNewPodIP("fd00::1").build());
        assertNone(PodValidation.validateStatusUpdate(dual, old));
        Pod badIp = copy(old);
        badIp.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().addNewPodIP("10.0.0").build());
        assertMessages(PodValidation.validateStatusUpdate(badIp, old),
                "status.podIPs[0]: Invalid value: \"10.0.0\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
    }

    @Test
    void terminatedContainersStayTerminatedUnlessRestartable() {
        Pod old = oldPod();
        old.getSpec().setRestartPolicy("Never");
        old.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withContainerStatuses(new ContainerStatusBuilder()
                .withName("app").withState(new ContainerStateBuilder().withNewTerminated().withExitCode(0).endTerminated().build())
                .build()).build());
        Pod running = copy(old);
        running.getStatus().getContainerStatuses().get(0).setState(new ContainerStateBuilder().withNewRunning().endRunning().build());
        assertMessages(PodValidation.validateStatusUpdate(running, old),
                "status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state");
        Pod always = copy(old);
        always.getSpec().setRestartPolicy("Always");
        Pod alwaysRunning = copy(running);
        alwaysRunning.getSpec().setRestartPolicy("Always");
        assertNone(PodValidation.validateStatusUpdate(alwaysRunning, always));
    }
}
