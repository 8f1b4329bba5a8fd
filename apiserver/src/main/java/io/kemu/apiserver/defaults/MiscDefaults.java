package io.kemu.apiserver.defaults;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import java.util.List;

/**
 * Small group defaults of 1.32: rbac/v1 ({@code SetDefaults_RoleBinding}, {@code SetDefaults_ClusterRoleBinding},
 * {@code SetDefaults_Subject}), scheduling/v1 ({@code SetDefaults_PriorityClass}) and discovery/v1
 * ({@code SetDefaults_EndpointPort}). policy/v1 and coordination/v1 have no defaults.
 */
public final class MiscDefaults {
    private MiscDefaults() {
    }

    public static final String RBAC_GROUP = "rbac.authorization.k8s.io";

    public static RoleBinding apply(RoleBinding rb) {
        defaultRoleRef(rb.getRoleRef());
        defaultSubjects(rb.getSubjects());
        return rb;
    }

    public static ClusterRoleBinding apply(ClusterRoleBinding rb) {
        defaultRoleRef(rb.getRoleRef());
        defaultSubjects(rb.getSubjects());
        return rb;
    }

    public static PriorityClass apply(PriorityClass pc) {
        if (pc.getPreemptionPolicy() == null) {
            pc.setPreemptionPolicy("PreemptLowerPriority");
        }
        return pc;
    }

    public static EndpointSlice apply(EndpointSlice slice) {
        for (EndpointPort p : PodDefaults.nn(slice.getPorts())) {
            if (p.getName() == null) {
                p.setName("");
            }
            if (p.getProtocol() == null) {
                p.setProtocol("TCP");
            }
        }
        return slice;
    }

    private static void defaultRoleRef(RoleRef ref) {
        if (ref != null && PodDefaults.isEmpty(ref.getApiGroup())) {
            ref.setApiGroup(RBAC_GROUP);
        }
    }

    private static void defaultSubjects(List<Subject> subjects) {
        for (Subject s : PodDefaults.nn(subjects)) {
            if (PodDefaults.isEmpty(s.getApiGroup())) {
                switch (s.getKind() == null ? "" : s.getKind()) {
                    case "ServiceAccount" -> s.setApiGroup("");
                    case "User", "Group" -> s.setApiGroup(RBAC_GROUP);
                    default -> {
                    }
                }
            }
        }
    }
}
