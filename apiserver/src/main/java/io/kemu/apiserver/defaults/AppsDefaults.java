package io.kemu.apiserver.defaults;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;

/**
 * apps/v1 defaults (pkg/apis/apps/v1/defaults.go and zz_generated.defaults.go, 1.32): {@code SetDefaults_Deployment},
 * {@code SetDefaults_ReplicaSet}, and the pod-template defaults ({@link PodDefaults#applyToTemplate}).
 */
public final class AppsDefaults {
    private AppsDefaults() {
    }

    public static Deployment apply(Deployment d) {
        if (d.getSpec() == null) {
            d.setSpec(new DeploymentSpec());
        }
        DeploymentSpec spec = d.getSpec();
        if (spec.getReplicas() == null) {
            spec.setReplicas(1);
        }
        if (spec.getStrategy() == null) {
            spec.setStrategy(new DeploymentStrategy());
        }
        DeploymentStrategy strategy = spec.getStrategy();
        if (PodDefaults.isEmpty(strategy.getType())) {
            strategy.setType("RollingUpdate");
        }
        if (strategy.getType().equals("RollingUpdate")) {
            if (strategy.getRollingUpdate() == null) {
                strategy.setRollingUpdate(new RollingUpdateDeployment());
            }
            if (strategy.getRollingUpdate().getMaxUnavailable() == null) {
                strategy.getRollingUpdate().setMaxUnavailable(new IntOrString("25%"));
            }
            if (strategy.getRollingUpdate().getMaxSurge() == null) {
                strategy.getRollingUpdate().setMaxSurge(new IntOrString("25%"));
            }
        }
        if (spec.getRevisionHistoryLimit() == null) {
            spec.setRevisionHistoryLimit(10);
        }
        if (spec.getProgressDeadlineSeconds() == null) {
            spec.setProgressDeadlineSeconds(600);
        }
        spec.setTemplate(template(spec.getTemplate()));
        return d;
    }

    public static ReplicaSet apply(ReplicaSet rs) {
        if (rs.getSpec() == null) {
            rs.setSpec(new ReplicaSetSpec());
        }
        if (rs.getSpec().getReplicas() == null) {
            rs.getSpec().setReplicas(1);
        }
        rs.getSpec().setTemplate(template(rs.getSpec().getTemplate()));
        return rs;
    }

    static PodTemplateSpec template(PodTemplateSpec t) {
        return PodDefaults.applyToTemplate(t == null ? new PodTemplateSpec() : t);
    }
}
