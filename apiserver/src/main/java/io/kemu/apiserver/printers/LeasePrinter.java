package io.kemu.apiserver.printers;

import static io.kemu.apiserver.printers.Formats.str;
import static io.kemu.apiserver.printers.TableColumn.ageColumn;
import static io.kemu.apiserver.printers.TableColumn.col;
import static io.kemu.apiserver.printers.TableColumn.nameColumn;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Instant;
import java.util.List;

/** {@code printLease}: NAME, HOLDER (spec.holderIdentity, empty when unset), AGE. */
public final class LeasePrinter implements TablePrinter<Lease> {

    public static final List<TableColumn> COLUMNS = List.of(
            nameColumn(),
            col("Holder", "string", Descriptions.LEASE_SPEC_HOLDER_IDENTITY),
            ageColumn());

    @Override
    public String kind() {
        return "Lease";
    }

    @Override
    public Class<Lease> type() {
        return Lease.class;
    }

    @Override
    public List<TableColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(Lease lease, Instant now) {
        String holder = lease.getSpec() == null ? "" : str(lease.getSpec().getHolderIdentity());
        return List.of(Formats.name(lease), holder, Formats.age(lease, now));
    }
}
