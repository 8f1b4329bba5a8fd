package io.kemu.apiserver.printers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.util.List;

/**
 * The default table convertor of {@code k8s.io/apiserver/pkg/registry/rest/table.go}, used by kube-apiserver
 * for every resource without a dedicated printer (Role and ClusterRole among the built-ins, CRDs without
 * additionalPrinterColumns): NAME and CREATED AT, the latter a {@code date} column whose cell is the
 * creation timestamp in UTC RFC 3339 with second precision ({@code 0001-01-01T00:00:00Z} when unset).
 */
public final class DefaultTablePrinter implements TablePrinter<HasMetadata> {

    public static final List<TableColumn> COLUMNS = List.of(
            TableColumn.nameColumn(),
            new TableColumn("Created At", "date", "", Descriptions.OBJECT_META_CREATION_TIMESTAMP, 0));

    static final DefaultTablePrinter INSTANCE = new DefaultTablePrinter();

    @Override
    public String kind() {
        return "";
    }

    @Override
    public Class<HasMetadata> type() {
        return HasMetadata.class;
    }

    @Override
    public List<TableColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(HasMetadata obj, Instant now) {
        String created = obj.getMetadata() == null ? null : obj.getMetadata().getCreationTimestamp();
        return List.of(Formats.name(obj), Timestamps.formatRfc3339Utc(Timestamps.parse(created)));
    }
}
