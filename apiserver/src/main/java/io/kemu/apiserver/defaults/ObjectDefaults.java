package io.kemu.apiserver.defaults;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;

/**
 * The {@code SetObjectDefaults_*} dispatcher: applies the defaults kube-apiserver 1.32 applies on decode for every kind
 * the server serves, in place. Kinds without defaults (ConfigMap, ServiceAccount, Role, ClusterRole, Lease,
 * PodDisruptionBudget, Event, ...) and unknown kinds are returned untouched. Registry-time mutations (service IP
 * families, job selector generation, namespace finalizer) are separate calls, as upstream.
 */
public final class ObjectDefaults {
    private ObjectDefaults() {
    }

    public static <T extends HasMetadata> T apply(T obj) {
        if (obj instanceof Pod p) {
            PodDefaults.apply(p);
        } else if (obj instanceof Node n) {
            NodeDefaults.apply(n);
        } else if (obj instanceof Namespace ns) {
            NamespaceDefaults.apply(ns);
        } else if (obj instanceof Service s) {
            ServiceDefaults.apply(s);
        } else if (obj instanceof Endpoints e) {
            CoreDefaults.apply(e);
        } else if (obj instanceof Secret s) {
            CoreDefaults.apply(s);
        } else if (obj instanceof LimitRange lr) {
            CoreDefaults.apply(lr);
        } else if (obj instanceof ResourceQuota rq) {
            CoreDefaults.apply(rq);
        } else if (obj instanceof Deployment d) {
            AppsDefaults.apply(d);
        } else if (obj instanceof ReplicaSet rs) {
            AppsDefaults.apply(rs);
        } else if (obj instanceof Job j) {
            BatchDefaults.apply(j);
        } else if (obj instanceof RoleBinding rb) {
            MiscDefaults.apply(rb);
        } else if (obj instanceof ClusterRoleBinding crb) {
            MiscDefaults.apply(crb);
        } else if (obj instanceof PriorityClass pc) {
            MiscDefaults.apply(pc);
        } else if (obj instanceof EndpointSlice es) {
            MiscDefaults.apply(es);
        }
        return obj;
    }
}
