package io.kemu.apiserver.printers;

import static io.kemu.apiserver.printers.Formats.i32;
import static io.kemu.apiserver.printers.Formats.list;
import static io.kemu.apiserver.printers.Formats.str;
import static io.kemu.apiserver.printers.TableColumn.ageColumn;
import static io.kemu.apiserver.printers.TableColumn.col;
import static io.kemu.apiserver.printers.TableColumn.nameColumn;
import static io.kemu.apiserver.printers.TableColumn.wide;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code printService}: NAME, TYPE, CLUSTER-IP, EXTERNAL-IP, PORT(S), AGE; wide SELECTOR.
 *
 * <p>Cells are computed as kube-apiserver computes them, i.e. with {@code Wide: true}: the load-balancer
 * address list in EXTERNAL-IP is never clipped to 16 characters (the clipping only happens client-side
 * printing paths that pass {@code wide=false}).
 */
public final class ServicePrinter implements TablePrinter<Service> {

    public static final List<TableColumn> COLUMNS = List.of(
            nameColumn(),
            col("Type", "string", Descriptions.SERVICE_SPEC_TYPE),
            col("Cluster-IP", "string", Descriptions.SERVICE_SPEC_CLUSTER_IP),
            col("External-IP", "string", Descriptions.SERVICE_SPEC_EXTERNAL_IPS),
            col("Port(s)", "string", Descriptions.SERVICE_SPEC_PORTS),
            ageColumn(),
            wide("Selector", "string", Descriptions.SERVICE_SPEC_SELECTOR));

    /** {@code loadBalancerWidth}. */
    static final int LOAD_BALANCER_WIDTH = 16;

    @Override
    public String kind() {
        return "Service";
    }

    @Override
    public Class<Service> type() {
        return Service.class;
    }

    @Override
    public List<TableColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(Service svc, Instant now) {
        ServiceSpec spec = svc.getSpec() == null ? new ServiceSpec() : svc.getSpec();
        List<String> clusterIPs = list(spec.getClusterIPs());
        String internalIP = clusterIPs.isEmpty() ? Formats.NONE : str(clusterIPs.get(0));
        String svcPorts = makePortString(list(spec.getPorts()));
        if (svcPorts.isEmpty()) {
            svcPorts = Formats.NONE;
        }
        return List.of(
                Formats.name(svc),
                str(spec.getType()),
                internalIP,
                externalIP(svc, true),
                svcPorts,
                Formats.age(svc, now),
                Formats.formatLabels(spec.getSelector()));
    }

    /** {@code getServiceExternalIP}. */
    static String externalIP(Service svc, boolean wide) {
        ServiceSpec spec = svc.getSpec() == null ? new ServiceSpec() : svc.getSpec();
        List<String> externalIPs = list(spec.getExternalIPs());
        switch (str(spec.getType())) {
            case "ClusterIP":
            case "NodePort":
                return externalIPs.isEmpty() ? Formats.NONE : String.join(",", externalIPs);
            case "LoadBalancer":
                List<LoadBalancerIngress> ingress = svc.getStatus() == null || svc.getStatus().getLoadBalancer() == null
                        ? List.of() : list(svc.getStatus().getLoadBalancer().getIngress());
                String lbIps = loadBalancerStatusStringer(ingress, wide);
                if (!externalIPs.isEmpty()) {
                    List<String> results = new ArrayList<>();
                    if (!lbIps.isEmpty()) {
                        results.addAll(List.of(lbIps.split(",", -1)));
                    }
                    results.addAll(externalIPs);
                    return String.join(",", results);
                }
                if (!lbIps.isEmpty()) {
                    return lbIps;
                }
                return "<pending>";
            case "ExternalName":
                return str(spec.getExternalName());
            default:
                return "<unknown>";
        }
    }

    /**
     * {@code loadBalancerStatusStringer}: sorted unique ingress IPs (or hostnames when there is no IP), comma
     * separated, clipped to 13 characters plus {@code ...} when longer than 16 and not wide.
     */
    static String loadBalancerStatusStringer(List<LoadBalancerIngress> ingress, boolean wide) {
        TreeSet<String> result = new TreeSet<>();
        for (LoadBalancerIngress i : ingress) {
            if (!str(i.getIp()).isEmpty()) {
                result.add(i.getIp());
            } else if (!str(i.getHostname()).isEmpty()) {
                result.add(i.getHostname());
            }
        }
        String r = String.join(",", result);
        if (!wide && r.length() > LOAD_BALANCER_WIDTH) {
            r = r.substring(0, LOAD_BALANCER_WIDTH - 3) + "...";
        }
        return r;
    }

    /** {@code makePortString}: {@code port/protocol} or {@code port:nodePort/protocol}, comma separated. */
    static String makePortString(List<ServicePort> ports) {
        List<String> pieces = new ArrayList<>(ports.size());
        for (ServicePort p : ports) {
            if (i32(p.getNodePort()) > 0) {
                pieces.add(i32(p.getPort()) + ":" + i32(p.getNodePort()) + "/" + str(p.getProtocol()));
            } else {
                pieces.add(i32(p.getPort()) + "/" + str(p.getProtocol()));
            }
        }
        return String.join(",", pieces);
    }
}
