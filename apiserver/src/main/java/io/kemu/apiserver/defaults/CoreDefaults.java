package io.kemu.apiserver.defaults;

import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeItem;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.kemu.apiserver.validation.GoQuantity;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The remaining core/v1 defaults of pkg/apis/core/v1 (1.32): {@code SetDefaults_Endpoints} (port protocol TCP),
 * {@code SetDefaults_Secret} (type Opaque), {@code SetDefaults_LimitRangeItem} and {@code SetDefaults_ResourceList} on
 * limit ranges and quotas. {@code SetDefaults_ConfigMap} (data = {} when nil) has no visible effect (the empty map is
 * omitted when serialised) and is not applied.
 */
public final class CoreDefaults {
    private CoreDefaults() {
    }

    public static Endpoints apply(Endpoints ep) {
        for (EndpointSubset ss : PodDefaults.nn(ep.getSubsets())) {
            for (EndpointPort p : PodDefaults.nn(ss.getPorts())) {
                if (PodDefaults.isEmpty(p.getProtocol())) {
                    p.setProtocol("TCP");
                }
            }
        }
        return ep;
    }

    /**
     * {@code SetDefaults_Secret}, then the v1-to-internal conversion's merge of {@code stringData} into {@code data}
     * (stringData wins; it is never stored).
     */
    public static Secret apply(Secret secret) {
        if (PodDefaults.isEmpty(secret.getType())) {
            secret.setType("Opaque");
        }
        if (secret.getStringData() != null && !secret.getStringData().isEmpty()) {
            Map<String, String> data = secret.getData() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(secret.getData());
            for (Map.Entry<String, String> e : secret.getStringData().entrySet()) {
                String v = e.getValue() == null ? "" : e.getValue();
                data.put(e.getKey(), Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)));
            }
            secret.setData(data);
        }
        secret.setStringData(null);
        return secret;
    }

    /** {@code SetDefaults_LimitRangeItem} for each item, and milli rounding of every list. */
    public static LimitRange apply(LimitRange lr) {
        if (lr.getSpec() == null) {
            return lr;
        }
        for (LimitRangeItem item : PodDefaults.nn(lr.getSpec().getLimits())) {
            if ("Container".equals(item.getType())) {
                Map<String, Quantity> def = item.getDefault() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(item.getDefault());
                Map<String, Quantity> defReq = item.getDefaultRequest() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(item.getDefaultRequest());
                copyMissing(item.getMax(), def);
                copyMissing(def, defReq);
                copyMissing(item.getMin(), defReq);
                item.setDefault(def);
                item.setDefaultRequest(defReq);
            }
            item.setMax(PodDefaults.roundResourceList(item.getMax()));
            item.setMin(PodDefaults.roundResourceList(item.getMin()));
            item.setDefault(PodDefaults.roundResourceList(item.getDefault()));
            item.setDefaultRequest(PodDefaults.roundResourceList(item.getDefaultRequest()));
            item.setMaxLimitRequestRatio(PodDefaults.roundResourceList(item.getMaxLimitRequestRatio()));
        }
        return lr;
    }

    /** {@code SetDefaults_ResourceList} on spec.hard, status.hard and status.used. */
    public static ResourceQuota apply(ResourceQuota rq) {
        if (rq.getSpec() != null) {
            rq.getSpec().setHard(PodDefaults.roundResourceList(rq.getSpec().getHard()));
        }
        if (rq.getStatus() != null) {
            rq.getStatus().setHard(PodDefaults.roundResourceList(rq.getStatus().getHard()));
            rq.getStatus().setUsed(PodDefaults.roundResourceList(rq.getStatus().getUsed()));
        }
        return rq;
    }

    private static void copyMissing(Map<String, Quantity> from, Map<String, Quantity> to) {
        if (from == null) {
            return;
        }
        for (Map.Entry<String, Quantity> e : from.entrySet()) {
            to.putIfAbsent(e.getKey(), new Quantity(GoQuantity.text(e.getValue())));
        }
    }
}
