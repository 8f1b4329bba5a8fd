package io.kemu.apiserver.defaults;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceSpec;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Namespace defaulting. {@link #apply} mirrors {@code SetObjectDefaults_Namespace} (pkg/apis/core/v1): the
 * {@code kubernetes.io/metadata.name} label and {@code status.phase: Active}. {@link #prepareForCreate} mirrors the
 * namespace registry strategy's {@code PrepareForCreate} (pkg/registry/core/namespace/strategy.go), which is where the
 * {@code kubernetes} finalizer comes from; upstream deliberately keeps it out of defaulting because the finalizer is
 * removed over the namespace's life.
 */
public final class NamespaceDefaults {
    private NamespaceDefaults() {
    }

    public static final String LABEL_METADATA_NAME = "kubernetes.io/metadata.name";
    public static final String FINALIZER_KUBERNETES = "kubernetes";

    /** SetDefaults_Namespace + SetDefaults_NamespaceStatus. Mutates and returns {@code ns}. */
    public static Namespace apply(Namespace ns) {
        String name = ns.getMetadata() == null ? null : ns.getMetadata().getName();
        if (name != null && !name.isEmpty()) {
            Map<String, String> labels = ns.getMetadata().getLabels() == null
                    ? new LinkedHashMap<>() : new LinkedHashMap<>(ns.getMetadata().getLabels());
            labels.put(LABEL_METADATA_NAME, name);
            ns.getMetadata().setLabels(labels);
        }
        if (ns.getStatus() == null) {
            ns.setStatus(new NamespaceStatus());
        }
        if (ns.getStatus().getPhase() == null || ns.getStatus().getPhase().isEmpty()) {
            ns.getStatus().setPhase("Active");
        }
        return ns;
    }

    /** Strategy PrepareForCreate: status reset to Active, the {@code kubernetes} finalizer ensured. */
    public static Namespace prepareForCreate(Namespace ns) {
        NamespaceStatus status = new NamespaceStatus();
        status.setPhase("Active");
        ns.setStatus(status);
        if (ns.getSpec() == null) {
            ns.setSpec(new NamespaceSpec());
        }
        List<String> finalizers = ns.getSpec().getFinalizers() == null
                ? new ArrayList<>() : new ArrayList<>(ns.getSpec().getFinalizers());
        if (!finalizers.contains(FINALIZER_KUBERNETES)) {
            finalizers.add(FINALIZER_KUBERNETES);
        }
        ns.getSpec().setFinalizers(finalizers);
        return ns;
    }
}
