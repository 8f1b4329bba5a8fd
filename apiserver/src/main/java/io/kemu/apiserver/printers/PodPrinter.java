package io.kemu.apiserver.printers;

import static io.kemu.apiserver.printers.Formats.bool;
import static io.kemu.apiserver.printers.Formats.i32;
import static io.kemu.apiserver.printers.Formats.list;
import static io.kemu.apiserver.printers.Formats.str;
import static io.kemu.apiserver.printers.TableColumn.ageColumn;
import static io.kemu.apiserver.printers.TableColumn.col;
import static io.kemu.apiserver.printers.TableColumn.nameColumn;
import static io.kemu.apiserver.printers.TableColumn.wide;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code printPod}: NAME, READY, STATUS, RESTARTS, AGE; wide IP, NODE, NOMINATED NODE, READINESS GATES. */
public final class PodPrinter implements TablePrinter<Pod> {

    public static final List<TableColumn> COLUMNS = List.of(
            nameColumn(),
            col("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
            col("Status", "string", "The aggregate status of the containers in this pod."),
            col("Restarts", "string", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
            ageColumn(),
            wide("IP", "string", Descriptions.POD_STATUS_POD_IP),
            wide("Node", "string", Descriptions.POD_SPEC_NODE_NAME),
            wide("Nominated Node", "string", Descriptions.POD_STATUS_NOMINATED_NODE_NAME),
            wide("Readiness Gates", "string", Descriptions.POD_SPEC_READINESS_GATES));

    /** {@code podSuccessConditions}. */
    public static final List<TableRowCondition> POD_SUCCESS_CONDITIONS =
            List.of(new TableRowCondition("Completed", "True", "Succeeded", "The pod has completed successfully."));
    /** {@code podFailedConditions}. */
    public static final List<TableRowCondition> POD_FAILED_CONDITIONS =
            List.of(new TableRowCondition("Completed", "True", "Failed", "The pod failed."));

    /** {@code node.NodeUnreachablePodReason}. */
    static final String NODE_UNREACHABLE_POD_REASON = "NodeLost";

    @Override
    public String kind() {
        return "Pod";
    }

    @Override
    public Class<Pod> type() {
        return Pod.class;
    }

    @Override
    public List<TableColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<TableRowCondition> rowConditions(Pod pod) {
        String phase = pod.getStatus() == null ? "" : str(pod.getStatus().getPhase());
        switch (phase) {
            case "Succeeded":
                return POD_SUCCESS_CONDITIONS;
            case "Failed":
                return POD_FAILED_CONDITIONS;
            default:
                return List.of();
        }
    }

    @Override
    public List<Object> cells(Pod pod, Instant now) {
        ObjectMeta meta = pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata();
        PodSpec spec = pod.getSpec() == null ? new PodSpec() : pod.getSpec();
        PodStatus status = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        List<Container> specInitContainers = list(spec.getInitContainers());
        List<ContainerStatus> initStatuses = list(status.getInitContainerStatuses());
        List<ContainerStatus> containerStatuses = list(status.getContainerStatuses());
        List<PodCondition> conditions = list(status.getConditions());

        int restarts = 0;
        int restartableInitContainerRestarts = 0;
        int totalContainers = list(spec.getContainers()).size();
        int readyContainers = 0;
        Instant lastRestartDate = Timestamps.ZERO;
        Instant lastRestartableInitContainerRestartDate = Timestamps.ZERO;

        String podPhase = str(status.getPhase());
        String reason = podPhase;
        if (!str(status.getReason()).isEmpty()) {
            reason = status.getReason();
        }

        // If the Pod carries {type:PodScheduled, reason:SchedulingGated}, set reason to 'SchedulingGated'.
        for (PodCondition condition : conditions) {
            if ("PodScheduled".equals(condition.getType()) && "SchedulingGated".equals(condition.getReason())) {
                reason = "SchedulingGated";
            }
        }

        Map<String, Container> initContainers = new HashMap<>();
        for (Container c : specInitContainers) {
            initContainers.put(str(c.getName()), c);
            if (isRestartableInitContainer(c)) {
                totalContainers++;
            }
        }

        boolean initializing = false;
        for (int i = 0; i < initStatuses.size(); i++) {
            ContainerStatus container = initStatuses.get(i);
            ContainerState state = state(container);
            ContainerStateTerminated terminated = state.getTerminated();
            ContainerStateWaiting waiting = state.getWaiting();
            boolean restartable = isRestartableInitContainer(initContainers.get(str(container.getName())));

            restarts += i32(container.getRestartCount());
            Instant lastTerminated = lastTerminationFinishedAt(container);
            if (lastTerminated != null && lastRestartDate.isBefore(lastTerminated)) {
                lastRestartDate = lastTerminated;
            }
            if (restartable) {
                restartableInitContainerRestarts += i32(container.getRestartCount());
                if (lastTerminated != null && lastRestartableInitContainerRestartDate.isBefore(lastTerminated)) {
                    lastRestartableInitContainerRestartDate = lastTerminated;
                }
            }
            if (terminated != null && i32(terminated.getExitCode()) == 0) {
                continue;
            } else if (restartable && bool(container.getStarted())) {
                if (bool(container.getReady())) {
                    readyContainers++;
                }
                continue;
            } else if (terminated != null) {
                // initialization is failed
                if (str(terminated.getReason()).isEmpty()) {
                    if (i32(terminated.getSignal()) != 0) {
                        reason = "Init:Signal:" + i32(terminated.getSignal());
                    } else {
                        reason = "Init:ExitCode:" + i32(terminated.getExitCode());
                    }
                } else {
                    reason = "Init:" + terminated.getReason();
                }
                initializing = true;
            } else if (waiting != null && !str(waiting.getReason()).isEmpty()
                    && !"PodInitializing".equals(waiting.getReason())) {
                reason = "Init:" + waiting.getReason();
                initializing = true;
            } else {
                reason = "Init:" + i + "/" + specInitContainers.size();
                initializing = true;
            }
            break;
        }

        if (!initializing || isPodInitializedConditionTrue(conditions)) {
            restarts = restartableInitContainerRestarts;
            lastRestartDate = lastRestartableInitContainerRestartDate;
            boolean hasRunning = false;
            for (int i = containerStatuses.size() - 1; i >= 0; i--) {
                ContainerStatus container = containerStatuses.get(i);
                ContainerState state = state(container);
                ContainerStateTerminated terminated = state.getTerminated();
                ContainerStateWaiting waiting = state.getWaiting();

                restarts += i32(container.getRestartCount());
                Instant lastTerminated = lastTerminationFinishedAt(container);
                if (lastTerminated != null && lastRestartDate.isBefore(lastTerminated)) {
                    lastRestartDate = lastTerminated;
                }
                if (waiting != null && !str(waiting.getReason()).isEmpty()) {
                    reason = waiting.getReason();
                } else if (terminated != null && !str(terminated.getReason()).isEmpty()) {
                    reason = terminated.getReason();
                } else if (terminated != null) {
                    if (i32(terminated.getSignal()) != 0) {
                        reason = "Signal:" + i32(terminated.getSignal());
                    } else {
                        reason = "ExitCode:" + i32(terminated.getExitCode());
                    }
                } else if (bool(container.getReady()) && state.getRunning() != null) {
                    hasRunning = true;
                    readyContainers++;
                }
            }

            // change pod status back to "Running" if there is at least one container still reporting as "Running" status
            if ("Completed".equals(reason) && hasRunning) {
                reason = hasPodReadyCondition(conditions) ? "Running" : "NotReady";
            }
        }

        boolean deleting = Timestamps.isSet(meta.getDeletionTimestamp());
        if (deleting && NODE_UNREACHABLE_POD_REASON.equals(status.getReason())) {
            reason = "Unknown";
        } else if (deleting && !isPodPhaseTerminal(podPhase)) {
            reason = "Terminating";
        }

        String restartsStr = Integer.toString(restarts);
        if (restarts != 0 && !Timestamps.isZero(lastRestartDate)) {
            restartsStr = restarts + " (" + HumanDuration.since(lastRestartDate, now) + " ago)";
        }

        String nodeName = Formats.orNone(spec.getNodeName());
        String nominatedNodeName = Formats.orNone(status.getNominatedNodeName());
        String podIP = Formats.orNone(podIP(status));

        String readinessGates = Formats.NONE;
        List<PodReadinessGate> gates = list(spec.getReadinessGates());
        if (!gates.isEmpty()) {
            int trueConditions = 0;
            for (PodReadinessGate gate : gates) {
                String conditionType = str(gate.getConditionType());
                for (PodCondition condition : conditions) {
                    if (conditionType.equals(str(condition.getType()))) {
                        if ("True".equals(condition.getStatus())) {
                            trueConditions++;
                        }
                        break;
                    }
                }
            }
            readinessGates = trueConditions + "/" + gates.size();
        }

        return List.of(
                str(meta.getName()),
                readyContainers + "/" + totalContainers,
                reason,
                restartsStr,
                HumanDuration.translateTimestampSince(meta.getCreationTimestamp(), now),
                podIP,
                nodeName,
                nominatedNodeName,
                readinessGates);
    }

    /**
     * The first pod IP as the internal type sees it: {@code Convert_v1_PodStatus_To_core_PodStatus} makes
     * {@code status.podIP} authoritative when it is set and {@code podIPs} is empty or starts elsewhere.
     */
    static String podIP(PodStatus status) {
        String podIP = str(status.getPodIP());
        List<PodIP> podIPs = list(status.getPodIPs());
        if (!podIP.isEmpty()) {
            return podIP;
        }
        if (!podIPs.isEmpty() && podIPs.get(0) != null) {
            return str(podIPs.get(0).getIp());
        }
        return "";
    }

    /** {@code podutil.IsRestartableInitContainer}: a sidecar, i.e. an init container with restartPolicy Always. */
    static boolean isRestartableInitContainer(Container initContainer) {
        return initContainer != null && "Always".equals(initContainer.getRestartPolicy());
    }

    static boolean isPodPhaseTerminal(String phase) {
        return "Failed".equals(phase) || "Succeeded".equals(phase);
    }

    /** {@code hasPodReadyCondition}: any condition Ready=True. */
    static boolean hasPodReadyCondition(List<PodCondition> conditions) {
        for (PodCondition c : conditions) {
            if ("Ready".equals(c.getType()) && "True".equals(c.getStatus())) {
                return true;
            }
        }
        return false;
    }

    /** {@code isPodInitializedConditionTrue}: the first Initialized condition decides. */
    static boolean isPodInitializedConditionTrue(List<PodCondition> conditions) {
        for (PodCondition c : conditions) {
            if (!"Initialized".equals(c.getType())) {
                continue;
            }
            return "True".equals(c.getStatus());
        }
        return false;
    }

    private static ContainerState state(ContainerStatus status) {
        return status.getState() == null ? new ContainerState() : status.getState();
    }

    /** {@code lastState.terminated.finishedAt}, or null when there is no last termination. */
    private static Instant lastTerminationFinishedAt(ContainerStatus status) {
        if (status.getLastState() == null || status.getLastState().getTerminated() == null) {
            return null;
        }
        return Timestamps.parse(status.getLastState().getTerminated().getFinishedAt());
    }
}
