package io.kemu.apiserver.printers;

import static io.kemu.apiserver.printers.TableColumn.ageColumn;
import static io.kemu.apiserver.printers.TableColumn.col;
import static io.kemu.apiserver.printers.TableColumn.nameColumn;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.kemu.apiserver.validation.GoQuantity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code printResourceQuota}: NAME, REQUEST, LIMIT, AGE. Every resource of status.hard, sorted by name, as
 * {@code name: used/hard}; those named {@code limits.*} go to LIMIT, the others to REQUEST.
 */
public final class ResourceQuotaPrinter implements TablePrinter<ResourceQuota> {

    public static final List<TableColumn> COLUMNS = List.of(
            nameColumn(),
            col("Request", "string", Descriptions.RESOURCE_QUOTA_REQUEST),
            col("Limit", "string", Descriptions.RESOURCE_QUOTA_LIMIT),
            ageColumn());

    @Override
    public String kind() {
        return "ResourceQuota";
    }

    @Override
    public Class<ResourceQuota> type() {
        return ResourceQuota.class;
    }

    @Override
    public List<TableColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(ResourceQuota quota, Instant now) {
        Map<String, Quantity> hard = quota.getStatus() == null ? Map.of() : Formats.map(quota.getStatus().getHard());
        Map<String, Quantity> used = quota.getStatus() == null ? Map.of() : Formats.map(quota.getStatus().getUsed());
        StringBuilder request = new StringBuilder();
        StringBuilder limit = new StringBuilder();
        for (Map.Entry<String, Quantity> e : new TreeMap<>(hard).entrySet()) {
            String[] pieces = e.getKey().split("\\.", -1);
            StringBuilder w = pieces.length > 1 && pieces[0].equals("limits") ? limit : request;
            w.append(e.getKey()).append(": ").append(quantity(used.get(e.getKey()))).append('/')
                    .append(quantity(e.getValue())).append(", ");
        }
        return List.of(Formats.name(quota), trimComma(request), trimComma(limit), Formats.age(quota, now));
    }

    /** {@code resource.Quantity.String()}: canonical form; the zero quantity prints {@code 0}. */
    static String quantity(Quantity q) {
        if (q == null) {
            return "0";
        }
        GoQuantity parsed = GoQuantity.tryParse(GoQuantity.text(q));
        return parsed == null ? GoQuantity.text(q) : parsed.toString();
    }

    private static String trimComma(StringBuilder sb) {
        String s = sb.toString();
        return s.endsWith(", ") ? s.substring(0, s.length() - 2) : s;
    }
}
