package io.kemu.apiserver.printers;

import static io.kemu.apiserver.printers.Formats.i32;
import static io.kemu.apiserver.printers.Formats.list;
import static io.kemu.apiserver.printers.Formats.str;
import static io.kemu.apiserver.printers.TableColumn.ageColumn;
import static io.kemu.apiserver.printers.TableColumn.col;
import static io.kemu.apiserver.printers.TableColumn.nameColumn;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code printEndpoints}: NAME, ENDPOINTS ({@code formatEndpoints(obj, nil)}), AGE. */
public final class EndpointsPrinter implements TablePrinter<Endpoints> {

    public static final List<TableColumn> COLUMNS = List.of(
            nameColumn(),
            col("Endpoints", "string", Descriptions.ENDPOINTS_SUBSETS),
            ageColumn());

    @Override
    public String kind() {
        return "Endpoints";
    }

    @Override
    public Class<Endpoints> type() {
        return Endpoints.class;
    }

    @Override
    public List<TableColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(Endpoints ep, Instant now) {
        return List.of(Formats.name(ep), formatEndpoints(list(ep.getSubsets())), Formats.age(ep, now));
    }

    /**
     * {@code formatEndpoints} with all ports: at most three {@code ip:port} (or bare ip for port-less subsets)
     * entries of ready addresses, then {@code " + N more..."}; {@code <none>} without subsets.
     */
    static String formatEndpoints(List<EndpointSubset> subsets) {
        if (subsets.isEmpty()) {
            return Formats.NONE;
        }
        List<String> list = new ArrayList<>();
        int max = 3;
        boolean more = false;
        int count = 0;
        for (EndpointSubset ss : subsets) {
            List<EndpointAddress> addresses = list(ss.getAddresses());
            List<EndpointPort> ports = list(ss.getPorts());
            if (ports.isEmpty()) {
                // It's possible to have headless services with no ports.
                count += addresses.size();
                for (EndpointAddress addr : addresses) {
                    if (list.size() == max) {
                        more = true;
                        break;
                    }
                    list.add(str(addr.getIp()));
                }
                continue;
            }
            // "Normal" services with ports defined.
            for (EndpointPort port : ports) {
                count += addresses.size();
                for (EndpointAddress addr : addresses) {
                    if (list.size() == max) {
                        more = true;
                        break;
                    }
                    list.add(joinHostPort(str(addr.getIp()), Integer.toString(i32(port.getPort()))));
                }
            }
        }
        String ret = String.join(",", list);
        if (more) {
            return ret + " + " + (count - max) + " more...";
        }
        return ret;
    }

    /** Go's {@code net.JoinHostPort}. */
    static String joinHostPort(String host, String port) {
        if (host.indexOf(':') >= 0) {
            return "[" + host + "]:" + port;
        }
        return host + ":" + port;
    }
}
