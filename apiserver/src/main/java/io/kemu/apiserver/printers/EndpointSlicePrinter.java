package io.kemu.apiserver.printers;

import static io.kemu.apiserver.printers.TableColumn.ageColumn;
import static io.kemu.apiserver.printers.TableColumn.col;
import static io.kemu.apiserver.printers.TableColumn.nameColumn;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code printEndpointSlice}: NAME, ADDRESSTYPE, PORTS, ENDPOINTS, AGE; at most three ports and three
 * addresses, then {@code + N more...}, and {@code <unset>} for an empty list ({@code listWithMoreString}).
 */
public final class EndpointSlicePrinter implements TablePrinter<EndpointSlice> {

    private static final int MAX = 3;

    public static final List<TableColumn> COLUMNS = List.of(
            nameColumn(),
            col("AddressType", "string", Descriptions.ENDPOINT_SLICE_ADDRESS_TYPE),
            col("Ports", "string", Descriptions.ENDPOINT_SLICE_PORTS),
            col("Endpoints", "string", Descriptions.ENDPOINT_SLICE_ENDPOINTS),
            ageColumn());

    @Override
    public String kind() {
        return "EndpointSlice";
    }

    @Override
    public Class<EndpointSlice> type() {
        return EndpointSlice.class;
    }

    @Override
    public List<TableColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(EndpointSlice slice, Instant now) {
        return List.of(Formats.name(slice), Formats.str(slice.getAddressType()), ports(slice.getPorts()),
                endpoints(slice.getEndpoints()), Formats.age(slice, now));
    }

    static String ports(List<EndpointPort> ports) {
        List<String> list = new ArrayList<>();
        int count = 0;
        for (EndpointPort port : Formats.list(ports)) {
            if (list.size() < MAX) {
                String num = "*";
                if (port.getPort() != null) {
                    num = Integer.toString(port.getPort());
                } else if (port.getName() != null) {
                    num = port.getName();
                }
                list.add(num);
            }
            count++;
        }
        return listWithMore(list, count);
    }

    static String endpoints(List<Endpoint> endpoints) {
        List<String> list = new ArrayList<>();
        int count = 0;
        for (Endpoint endpoint : Formats.list(endpoints)) {
            for (String address : Formats.list(endpoint.getAddresses())) {
                if (list.size() < MAX) {
                    list.add(address);
                }
                count++;
            }
        }
        return listWithMore(list, count);
    }

    private static String listWithMore(List<String> list, int count) {
        String ret = String.join(",", list);
        if (count > MAX) {
            return ret + " + " + (count - MAX) + " more...";
        }
        return ret.isEmpty() ? "<unset>" : ret;
    }
}
