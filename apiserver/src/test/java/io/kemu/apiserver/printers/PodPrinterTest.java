package io.kemu.apiserver.printers;

import static io.kemu.apiserver.printers.Fixtures.NOW;
import static io.kemu.apiserver.printers.Fixtures.ago;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.PodReadinessGateBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Mirrors printers_test.go TestPrintPod, TestPrintPodWithRestartableInitContainer, TestPrintPodwide, ... */
class PodPrinterTest {

    private final PodPrinter printer = new PodPrinter();

    // ---- builders ----

    private static List<Container> containers(int n) {
        List<Container> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(new Container());
        }
        return l;
    }

    private static Container sidecar(String name) {
        return new ContainerBuilder().withName(name).withRestartPolicy("Always").build();
    }

    private static ContainerState running() {
        return new ContainerStateBuilder().withNewRunning().endRunning().build();
    }

    private static ContainerState waiting(String reason) {
        return new ContainerStateBuilder().withNewWaiting().withReason(reason).endWaiting().build();
    }

    private static ContainerState terminated(String reason, int exitCode) {
        return new ContainerStateBuilder().withNewTerminated().withReason(reason).withExitCode(exitCode).endTerminated().build();
    }

    private static ContainerState terminatedSignal(int exitCode, int signal) {
        return new ContainerStateBuilder().withNewTerminated().withExitCode(exitCode).withSignal(signal).endTerminated().build();
    }

    private static ContainerState lastTerminatedAgo(Duration d) {
        return new ContainerStateBuilder().withNewTerminated().withFinishedAt(ago(d)).endTerminated().build();
    }

    private static PodReadinessGate gate(String conditionType) {
        return new PodReadinessGateBuilder().withConditionType(conditionType).build();
    }

    private static PodIP ip(String ip) {
        return new PodIPBuilder().withIp(ip).build();
    }

    private static ContainerStatusBuilder cs() {
        return new ContainerStatusBuilder();
    }

    private static PodCondition cond(String type, String status) {
        return new PodConditionBuilder().withType(type).withStatus(status).build();
    }

    private static PodBuilder pod(String name, int containers, String phase, ContainerStatus... statuses) {
        return new PodBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withContainers(containers(containers)).endSpec()
                .withNewStatus().withPhase(phase).withContainerStatuses(statuses).endStatus();
    }

    private List<Object> basic(Pod p) {
        return printer.cells(p, NOW).subList(0, 5);
    }

    // ---- TestPrintPod ----

    @Test
    void nameContainersRestartsReadiness() {
        Pod p = pod("test1", 2, "podPhase",
                cs().withReady(true).withRestartCount(3).withState(running()).build(),
                cs().withRestartCount(3).build()).build();
        assertEquals(List.of("test1", "1/2", "podPhase", "6", "<unknown>"), basic(p));
    }

    @Test
    void containerWaitingReasonOverwritesPhase() {
        Pod p = pod("test2", 2, "podPhase",
                cs().withReady(true).withRestartCount(3).withState(running()).build(),
                cs().withState(waiting("ContainerWaitingReason")).withRestartCount(3).build()).build();
        assertEquals(List.of("test2", "1/2", "ContainerWaitingReason", "6", "<unknown>"), basic(p));
    }

    @Test
    void firstContainerOverwritesTheRest() {
        Pod p = pod("test3", 2, "podPhase",
                cs().withState(waiting("ContainerWaitingReason")).withRestartCount(3).build(),
                cs().withState(terminated("ContainerTerminatedReason", 0)).withRestartCount(3).build()).build();
        assertEquals(List.of("test3", "0/2", "ContainerWaitingReason", "6", "<unknown>"), basic(p));
    }

    @Test
    void readyIsNotEnoughForRunning() {
        Pod p = pod("test4", 2, "podPhase",
                cs().withReady(true).withRestartCount(3).withState(running()).build(),
                cs().withReady(true).withRestartCount(3).build()).build();
        assertEquals(List.of("test4", "1/2", "podPhase", "6", "<unknown>"), basic(p));
    }

    @Test
    void podReasonOverridesPhase() {
        Pod p = pod("test5", 2, "podPhase",
                cs().withReady(true).withRestartCount(3).withState(running()).build(),
                cs().withReady(true).withRestartCount(3).build()).editStatus().withReason("podReason").endStatus().build();
        assertEquals(List.of("test5", "1/2", "podReason", "6", "<unknown>"), basic(p));
    }

    @Test
    void completedPlusRunningWithoutReadyConditionIsNotReady() {
        Pod p = pod("test6", 2, "Running",
                cs().withReady(true).withRestartCount(3).withState(terminated("Completed", 0)).build(),
                cs().withReady(true).withRestartCount(3).withState(running()).build()).build();
        assertEquals(List.of("test6", "1/2", "NotReady", "6", "<unknown>"), basic(p));
    }

    @Test
    void completedPlusRunningWithReadyConditionIsRunning() {
        Pod p = pod("test6", 2, "Running",
                cs().withReady(true).withRestartCount(3).withState(terminated("Completed", 0)).build(),
                cs().withReady(true).withRestartCount(3).withState(running()).build())
                .editStatus().withConditions(cond("Ready", "True")).endStatus().build();
        assertEquals(List.of("test6", "1/2", "Running", "6", "<unknown>"), basic(p));
    }

    @Test
    void initContainerRestartingAndContainerNotRunning() {
        Pod p = new PodBuilder().withNewMetadata().withName("test7").endMetadata()
                .withNewSpec().withInitContainers(containers(1)).withContainers(containers(1)).endSpec()
                .withNewStatus().withPhase("podPhase")
                .withInitContainerStatuses(cs().withReady(false).withRestartCount(3).withState(running())
                        .withLastState(lastTerminatedAgo(Duration.ofSeconds(10))).build())
                .withContainerStatuses(cs().withReady(false).withRestartCount(0)
                        .withState(new ContainerStateBuilder().withNewWaiting().endWaiting().build()).build())
                .endStatus().build();
        assertEquals(List.of("test7", "0/1", "Init:0/1", "3 (10s ago)", "<unknown>"), basic(p));
    }

    @Test
    void twoInitContainersOneRestartingOneNotRunning() {
        Pod p = new PodBuilder().withNewMetadata().withName("test8").endMetadata()
                .withNewSpec().withInitContainers(containers(2)).withContainers(containers(1)).endSpec()
                .withNewStatus().withPhase("podPhase")
                .withInitContainerStatuses(
                        cs().withReady(false).withRestartCount(3).withState(running())
                                .withLastState(lastTerminatedAgo(Duration.ofSeconds(10))).build(),
                        cs().withReady(false).withState(new ContainerStateBuilder().withNewWaiting().endWaiting().build()).build())
                .withContainerStatuses(cs().withReady(false)
                        .withState(new ContainerStateBuilder().withNewWaiting().endWaiting().build()).build())
                .endStatus().build();
        assertEquals(List.of("test8", "0/1", "Init:0/2", "3 (10s ago)", "<unknown>"), basic(p));
    }

    @Test
    void twoInitContainersOneCompletedOneRestarting() {
        Pod p = new PodBuilder().withNewMetadata().withName("test9").endMetadata()
                .withNewSpec().withInitContainers(containers(2)).withContainers(containers(1)).endSpec()
                .withNewStatus().withPhase("podPhase")
                .withInitContainerStatuses(
                        cs().withReady(false).withState(new ContainerStateBuilder().withNewTerminated().endTerminated().build()).build(),
                        cs().withReady(false).withRestartCount(3).withState(running())
                                .withLastState(lastTerminatedAgo(Duration.ofSeconds(10))).build())
                .withContainerStatuses(cs().withReady(false)
                        .withState(new ContainerStateBuilder().withNewWaiting().endWaiting().build()).build())
                .endStatus().build();
        assertEquals(List.of("test9", "0/1", "Init:1/2", "3 (10s ago)", "<unknown>"), basic(p));
    }

    @Test
    void twoInitContainersOneCompletedWithRestartsOneRestarting() {
        Pod p = new PodBuilder().withNewMetadata().withName("test10").endMetadata()
                .withNewSpec().withInitContainers(containers(2)).withContainers(containers(1)).endSpec()
                .withNewStatus().withPhase("podPhase")
                .withInitContainerStatuses(
                        cs().withReady(false).withRestartCount(2)
                                .withState(new ContainerStateBuilder().withNewTerminated().endTerminated().build())
                                .withLastState(lastTerminatedAgo(Duration.ofMinutes(2))).build(),
                        cs().withReady(false).withRestartCount(3).withState(running())
                                .withLastState(lastTerminatedAgo(Duration.ofSeconds(10))).build())
                .withContainerStatuses(cs().withReady(false)
                        .withState(new ContainerStateBuilder().withNewWaiting().endWaiting().build()).build())
                .endStatus().build();
        assertEquals(List.of("test10", "0/1", "Init:1/2", "5 (10s ago)", "<unknown>"), basic(p));
    }

    @Test
    void initCompletedWithRestartsAndContainerRestarting() {
        Pod p = new PodBuilder().withNewMetadata().withName("test11").endMetadata()
                .withNewSpec().withInitContainers(containers(1)).withContainers(containers(1)).endSpec()
                .withNewStatus().withPhase("Running")
                .withInitContainerStatuses(cs().withReady(false).withRestartCount(2)
                        .withState(new ContainerStateBuilder().withNewTerminated().endTerminated().build())
                        .withLastState(lastTerminatedAgo(Duration.ofMinutes(2))).build())
                .withContainerStatuses(cs().withReady(false).withRestartCount(4).withState(running())
                        .withLastState(lastTerminatedAgo(Duration.ofSeconds(20))).build())
                .endStatus().build();
        assertEquals(List.of("test11", "0/1", "Running", "4 (20s ago)", "<unknown>"), basic(p));
    }

    @Test
    void containerRestarted5dAgo() {
        Pod p = pod("test12", 1, "Running", cs().withReady(true).withRestartCount(3).withState(running())
                .withLastState(lastTerminatedAgo(Duration.ofDays(5))).build()).build();
        assertEquals(List.of("test12", "1/1", "Running", "3 (5d ago)", "<unknown>"), basic(p));
    }

    @Test
    void oneContainerNeverRestartedOtherRestarted10dAgo() {
        Pod p = pod("test13", 2, "Running",
                cs().withReady(true).withRestartCount(0).withState(running()).build(),
                cs().withReady(true).withRestartCount(3).withState(running())
                        .withLastState(lastTerminatedAgo(Duration.ofDays(10))).build()).build();
        assertEquals(List.of("test13", "2/2", "Running", "3 (10d ago)", "<unknown>"), basic(p));
    }

    @Test
    void mostRecentRestartWins() {
        Pod p = pod("test14", 2, "Running",
                cs().withReady(true).withRestartCount(6).withState(running())
                        .withLastState(lastTerminatedAgo(Duration.ofDays(5))).build(),
                cs().withReady(true).withRestartCount(3).withState(running())
                        .withLastState(lastTerminatedAgo(Duration.ofDays(20))).build()).build();
        assertEquals(List.of("test14", "2/2", "Running", "9 (5d ago)", "<unknown>"), basic(p));
    }

    @Test
    void schedulingGated() {
        Pod p = pod("test15", 2, "podPhase").editStatus()
                .withConditions(new PodConditionBuilder().withType("PodScheduled").withStatus("False")
                        .withReason("SchedulingGated").build())
                .endStatus().build();
        assertEquals(List.of("test15", "0/2", "SchedulingGated", "0", "<unknown>"), basic(p));
    }

    @Test
    void succeededPodIsCompletedWithSuccessRowCondition() {
        Pod p = pod("test16", 1, "Succeeded",
                cs().withReady(false).withRestartCount(0).withState(terminated("Completed", 0)).build()).build();
        assertEquals(List.of("test16", "0/1", "Completed", "0", "<unknown>"), basic(p));
        assertEquals(PodPrinter.POD_SUCCESS_CONDITIONS, printer.rowConditions(p));
    }

    @Test
    void failedPodShowsErrorWithFailedRowCondition() {
        Pod p = pod("test17", 1, "Failed",
                cs().withReady(false).withRestartCount(0).withState(terminated("Error", 1)).build()).build();
        assertEquals(List.of("test17", "0/1", "Error", "0", "<unknown>"), basic(p));
        assertEquals(List.of(new TableRowCondition("Completed", "True", "Failed", "The pod failed.")), printer.rowConditions(p));
    }

    @Test
    void succeededPodBeingDeletedStaysCompleted() {
        Pod p = pod("test18", 1, "Succeeded",
                cs().withReady(false).withRestartCount(0).withState(terminated("Completed", 0)).build())
                .editMetadata().withDeletionTimestamp(ago(Duration.ofSeconds(10))).endMetadata().build();
        assertEquals(List.of("test18", "0/1", "Completed", "0", "<unknown>"), basic(p));
    }

    @Test
    void runningPodBeingDeletedIsTerminating() {
        Pod p = pod("test19", 1, "Running",
                cs().withReady(false).withRestartCount(0).withState(running()).build())
                .editMetadata().withDeletionTimestamp(ago(Duration.ofSeconds(10))).endMetadata().build();
        assertEquals(List.of("test19", "0/1", "Terminating", "0", "<unknown>"), basic(p));
        assertEquals(List.of(), printer.rowConditions(p));
    }

    @Test
    void pendingPodBeingDeletedIsTerminating() {
        Pod p = pod("test20", 1, "Pending")
                .editMetadata().withDeletionTimestamp(ago(Duration.ofSeconds(10))).endMetadata().build();
        assertEquals(List.of("test20", "0/1", "Terminating", "0", "<unknown>"), basic(p));
    }

    // ---- TestPrintPodWithRestartableInitContainer ----

    @Nested
    class RestartableInitContainers {

        private PodBuilder sidecarPod(String name, String phase) {
            return new PodBuilder().withNewMetadata().withName(name).endMetadata()
                    .withNewSpec().withInitContainers(sidecar("restartable-init-1"), sidecar("restartable-init-2"))
                    .withContainers(containers(1)).endSpec()
                    .withNewStatus().withPhase(phase).endStatus();
        }

        @Test
        void firstRunningButNotStarted() {
            Pod p = sidecarPod("test1", "Pending").editStatus()
                    .withInitContainerStatuses(
                            cs().withName("restartable-init-1").withReady(false).withRestartCount(3).withState(running())
                                    .withStarted(false).withLastState(lastTerminatedAgo(Duration.ofSeconds(10))).build(),
                            cs().withName("restartable-init-2").withReady(false)
                                    .withState(new ContainerStateBuilder().withNewWaiting().endWaiting().build()).withStarted(false).build())
                    .withContainerStatuses(cs().withReady(false).withRestartCount(0)
                            .withState(new ContainerStateBuilder().withNewWaiting().endWaiting().build()).build())
                    .withConditions(cond("Initialized", "False"))
                    .endStatus().build();
            assertEquals(List.of("test1", "0/3", "Init:0/2", "3 (10s ago)", "<unknown>"), basic(p));
        }

        @Test
        void firstStartedSecondRunningButNotStarted() {
            Pod p = sidecarPod("test1", "Pending").editStatus()
                    .withInitContainerStatuses(
                            cs().withName("restartable-init-1").withReady(false).withRestartCount(3).withState(running())
                                    .withStarted(true).withLastState(lastTerminatedAgo(Duration.ofSeconds(10))).build(),
                            cs().withName("restartable-init-2").withReady(false).withState(running()).withStarted(false).build())
                    .withContainerStatuses(cs().withReady(false).withRestartCount(0)
                            .withState(new ContainerStateBuilder().withNewWaiting().endWaiting().build()).build())
                    .withConditions(cond("Initialized", "False"))
                    .endStatus().build();
            assertEquals(List.of("test1", "0/3", "Init:1/2", "3 (10s ago)", "<unknown>"), basic(p));
        }

        @Test
        void bothStartedAndContainerRunning() {
            Pod p = sidecarPod("test2", "Running").editStatus()
                    .withInitContainerStatuses(
                            cs().withName("restartable-init-1").withReady(false).withRestartCount(3).withState(running())
                                    .withStarted(true).withLastState(lastTerminatedAgo(Duration.ofSeconds(10))).build(),
                            cs().withName("restartable-init-2").withReady(false).withState(running()).withStarted(true).build())
                    .withContainerStatuses(cs().withReady(true).withRestartCount(4).withState(running())
                            .withLastState(lastTerminatedAgo(Duration.ofSeconds(20))).build())
                    .withConditions(cond("Initialized", "True"))
                    .endStatus().build();
            assertEquals(List.of("test2", "1/3", "Running", "7 (10s ago)", "<unknown>"), basic(p));
        }

        @Test
        void readySidecarsCountAsReady() {
            Pod p = sidecarPod("test2b", "Running").editStatus()
                    .withInitContainerStatuses(
                            cs().withName("restartable-init-1").withReady(true).withState(running()).withStarted(true).build(),
                            cs().withName("restartable-init-2").withReady(true).withState(running()).withStarted(true).build())
                    .withContainerStatuses(cs().withReady(true).withState(running()).build())
                    .withConditions(cond("Initialized", "True"), cond("Ready", "True"))
                    .endStatus().build();
            assertEquals(List.of("test2b", "3/3", "Running", "0", "<unknown>"), basic(p));
        }

        @Test
        void sidecarsTerminatedWithErrorAndContainerCompleted() {
            Pod p = sidecarPod("test3", "Succeeded").editStatus()
                    .withInitContainerStatuses(
                            cs().withName("restartable-init-1").withReady(false).withRestartCount(3)
                                    .withState(terminated("Error", 137)).withStarted(false)
                                    .withLastState(lastTerminatedAgo(Duration.ofSeconds(10))).build(),
                            cs().withName("restartable-init-2").withReady(false)
                                    .withState(terminated("Error", 137)).withStarted(false).build())
                    .withContainerStatuses(cs().withReady(false).withRestartCount(4).withState(terminated("Completed", 0))
                            .withLastState(lastTerminatedAgo(Duration.ofSeconds(20))).build())
                    .withConditions(cond("Initialized", "True"))
                    .endStatus().build();
            assertEquals(List.of("test3", "0/3", "Completed", "7 (10s ago)", "<unknown>"), basic(p));
            assertEquals(List.of(new TableRowCondition("Completed", "True", "Succeeded", "The pod has completed successfully.")),
                    printer.rowConditions(p));
        }

        @Test
        void statusesForNonExistentContainers() {
            Pod p = new PodBuilder().withNewMetadata().withName("test4").endMetadata()
                    .withNewSpec()
                    .withInitContainers(new ContainerBuilder().withName("init1").withImage("initimage").build(),
                            new ContainerBuilder().withName("sidecar1").withImage("sidecarimage").withRestartPolicy("Always").build())
                    .withContainers(new ContainerBuilder().withName("container1").withImage("containerimage").build())
                    .endSpec()
                    .withNewStatus().withPhase("Running")
                    .withInitContainerStatuses(cs().withName("initinvalid").build(), cs().withName("init1").build(),
                            cs().withName("sidecar1").build())
                    .withContainerStatuses(cs().withName("containerinvalid").build(), cs().withName("container1").build())
                    .endStatus().build();
            assertEquals(List.of("test4", "0/2", "Init:0/2", "0", "<unknown>"), basic(p));
        }
    }

    // ---- TestPrintPodwide ----

    @Test
    void wideColumnsWithNodeIpNominatedNodeAndReadinessGates() {
        Pod p = new PodBuilder().withNewMetadata().withName("test1").endMetadata()
                .withNewSpec().withContainers(containers(2)).withNodeName("test1")
                .addToReadinessGates(gate("condition1")).addToReadinessGates(gate("condition2")).addToReadinessGates(gate("condition3"))
                .endSpec()
                .withNewStatus()
                .withConditions(cond("condition1", "False"), cond("condition2", "True"))
                .withPhase("podPhase")
                .addToPodIPs(ip("1.1.1.1"))
                .withContainerStatuses(cs().withReady(true).withRestartCount(3).withState(running()).build(),
                        cs().withRestartCount(3).build())
                .withNominatedNodeName("node1")
                .endStatus().build();
        assertEquals(List.of("test1", "1/2", "podPhase", "6", "<unknown>", "1.1.1.1", "test1", "node1", "1/3"),
                printer.cells(p, NOW));
    }

    @Test
    void wideShowsFirstOfDualStackPodIPs() {
        Pod p = new PodBuilder().withNewMetadata().withName("test1").endMetadata()
                .withNewSpec().withContainers(containers(2)).withNodeName("test1")
                .addToReadinessGates(gate("condition1")).addToReadinessGates(gate("condition2")).addToReadinessGates(gate("condition3"))
                .endSpec()
                .withNewStatus()
                .withConditions(cond("condition1", "False"), cond("condition2", "True"))
                .withPhase("podPhase")
                .addToPodIPs(ip("1.1.1.1")).addToPodIPs(ip("2001:db8::"))
                .withContainerStatuses(cs().withReady(true).withRestartCount(3).withState(running()).build(),
                        cs().withRestartCount(3).build())
                .withNominatedNodeName("node1")
                .endStatus().build();
        assertEquals(List.of("test1", "1/2", "podPhase", "6", "<unknown>", "1.1.1.1", "test1", "node1", "1/3"),
                printer.cells(p, NOW));
    }

    @Test
    void wideColumnsDefaultToNone() {
        Pod p = pod("test2", 2, "podPhase",
                cs().withReady(true).withRestartCount(3).withState(running()).build(),
                cs().withState(waiting("ContainerWaitingReason")).withRestartCount(3).build()).build();
        assertEquals(List.of("test2", "1/2", "ContainerWaitingReason", "6", "<unknown>", "<none>", "<none>", "<none>", "<none>"),
                printer.cells(p, NOW));
    }

    @Test
    void podIPIsAuthoritativeOverPodIPsAsInV1Conversion() {
        Pod onlyPodIP = pod("a", 1, "Running").editStatus().withPodIP("10.0.0.7").endStatus().build();
        Pod disagreeing = pod("b", 1, "Running").editStatus().withPodIP("10.0.0.8").addToPodIPs(ip("10.0.0.9")).endStatus().build();
        assertEquals("10.0.0.7", printer.cells(onlyPodIP, NOW).get(5));
        assertEquals("10.0.0.8", printer.cells(disagreeing, NOW).get(5));
    }

    // ---- TestPrintPodConditions / TestPrintNonTerminatedPod ----

    @Test
    void phasesArePrintedVerbatim() {
        for (String phase : List.of("Running", "Pending", "Unknown", "Succeeded", "Failed")) {
            Pod p = pod("test", 2, phase,
                    cs().withReady(true).withRestartCount(3).withState(running()).build(),
                    cs().withRestartCount(3).build()).build();
            assertEquals(List.of("test", "1/2", phase, "6", "<unknown>"), basic(p), phase);
        }
    }

    // ---- STATUS values kubelet produces ----

    @Test
    void waitingReasonsOfAppContainers() {
        for (String reason : List.of("ContainerCreating", "CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull",
                "CreateContainerConfigError")) {
            Pod p = pod("w", 1, "Pending", cs().withState(waiting(reason)).build()).build();
            assertEquals(reason, basic(p).get(2));
        }
    }

    @Test
    void terminatedReasonsAndCodesOfAppContainers() {
        assertEquals("OOMKilled", basic(pod("t", 1, "Running", cs().withState(terminated("OOMKilled", 137)).build()).build()).get(2));
        assertEquals("Completed", basic(pod("t", 1, "Succeeded", cs().withState(terminated("Completed", 0)).build()).build()).get(2));
        assertEquals("Signal:9", basic(pod("t", 1, "Failed", cs().withState(terminatedSignal(137, 9)).build()).build()).get(2));
        assertEquals("ExitCode:2", basic(pod("t", 1, "Failed", cs().withState(terminatedSignal(2, 0)).build()).build()).get(2));
    }

    @Test
    void crashLoopWithRestartAge() {
        Pod p = pod("crash", 1, "Running", cs().withRestartCount(5).withState(waiting("CrashLoopBackOff"))
                .withLastState(lastTerminatedAgo(Duration.ofSeconds(179))).build()).build();
        assertEquals(List.of("crash", "0/1", "CrashLoopBackOff", "5 (2m59s ago)", "<unknown>"), basic(p));
    }

    @Test
    void initContainerFailures() {
        PodBuilder base = new PodBuilder().withNewMetadata().withName("i").endMetadata()
                .withNewSpec().withInitContainers(containers(2)).withContainers(containers(1)).endSpec();
        Pod reason = new PodBuilder(base.build()).withNewStatus().withPhase("Pending")
                .withInitContainerStatuses(cs().withState(terminated("Error", 1)).build()).endStatus().build();
        Pod signal = new PodBuilder(base.build()).withNewStatus().withPhase("Pending")
                .withInitContainerStatuses(cs().withState(terminatedSignal(137, 9)).build()).endStatus().build();
        Pod exitCode = new PodBuilder(base.build()).withNewStatus().withPhase("Pending")
                .withInitContainerStatuses(cs().withState(terminatedSignal(3, 0)).build()).endStatus().build();
        Pod crashLoop = new PodBuilder(base.build()).withNewStatus().withPhase("Pending")
                .withInitContainerStatuses(cs().withState(terminated("Completed", 0)).build(),
                        cs().withRestartCount(2).withState(waiting("CrashLoopBackOff")).build()).endStatus().build();
        Pod podInitializing = new PodBuilder(base.build()).withNewStatus().withPhase("Pending")
                .withInitContainerStatuses(cs().withState(terminated("Completed", 0)).build(),
                        cs().withState(waiting("PodInitializing")).build()).endStatus().build();
        assertEquals("Init:Error", basic(reason).get(2));
        assertEquals("Init:Signal:9", basic(signal).get(2));
        assertEquals("Init:ExitCode:3", basic(exitCode).get(2));
        assertEquals("Init:CrashLoopBackOff", basic(crashLoop).get(2));
        assertEquals("2", basic(crashLoop).get(3)); // no last termination time: no "(... ago)"
        assertEquals("Init:1/2", basic(podInitializing).get(2));
    }

    @Test
    void podInitializingAfterInitContainersFinished() {
        Pod p = new PodBuilder().withNewMetadata().withName("pi").endMetadata()
                .withNewSpec().withInitContainers(containers(1)).withContainers(containers(1)).endSpec()
                .withNewStatus().withPhase("Pending")
                .withInitContainerStatuses(cs().withState(terminated("Completed", 0)).build())
                .withContainerStatuses(cs().withState(waiting("PodInitializing")).build())
                .endStatus().build();
        assertEquals(List.of("pi", "0/1", "PodInitializing", "0", "<unknown>"), basic(p));
    }

    @Test
    void nodeLostWithDeletionIsUnknown() {
        Pod p = pod("lost", 1, "Running", cs().withReady(true).withState(running()).build())
                .editMetadata().withDeletionTimestamp(ago(Duration.ofMinutes(1))).endMetadata()
                .editStatus().withReason("NodeLost").endStatus().build();
        assertEquals("Unknown", basic(p).get(2));
        Pod notDeleted = pod("lost", 1, "Running", cs().withReady(true).withState(running()).build())
                .editStatus().withReason("NodeLost").endStatus().build();
        // without a deletionTimestamp status.reason is shown like any other reason
        assertEquals("NodeLost", basic(notDeleted).get(2));
    }

    @Test
    void statusReasonOverridesPhase() {
        Pod evicted = pod("ev", 1, "Failed").editStatus().withReason("Evicted").endStatus().build();
        Pod deadline = pod("dl", 1, "Failed").editStatus().withReason("DeadlineExceeded").endStatus().build();
        assertEquals(List.of("ev", "0/1", "Evicted", "0", "<unknown>"), basic(evicted));
        assertEquals("DeadlineExceeded", basic(deadline).get(2));
    }

    @Test
    void ageFromCreationTimestamp() {
        Pod p = pod("aged", 1, "Pending").editMetadata().withCreationTimestamp(ago(Duration.ofMinutes(5).plusSeconds(30)))
                .endMetadata().build();
        assertEquals("5m30s", basic(p).get(4));
    }

    @Test
    void columnDefinitions() {
        assertEquals(List.of("Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"),
                PodPrinter.COLUMNS.stream().map(TableColumn::name).toList());
        assertEquals(List.of(0, 0, 0, 0, 0, 1, 1, 1, 1), PodPrinter.COLUMNS.stream().map(TableColumn::priority).toList());
        assertEquals("name", PodPrinter.COLUMNS.get(0).format());
        assertEquals("string", PodPrinter.COLUMNS.get(3).type());
        assertEquals("The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
                PodPrinter.COLUMNS.get(3).description());
    }
}
