package io.kemu.apiserver.printers;

import static io.kemu.apiserver.printers.Formats.str;
import static io.kemu.apiserver.printers.TableColumn.ageColumn;
import static io.kemu.apiserver.printers.TableColumn.col;
import static io.kemu.apiserver.printers.TableColumn.nameColumn;

import io.fabric8.kubernetes.api.model.Namespace;
import java.time.Instant;
import java.util.List;

/** {@code printNamespace}: NAME, STATUS (status.phase verbatim), AGE. */
public final class NamespacePrinter implements TablePrinter<Namespace> {

    public static final List<TableColumn> COLUMNS = List.of(
            nameColumn(),
            col("Status", "string", "The status of the namespace"),
            ageColumn());

    @Override
    public String kind() {
        return "Namespace";
    }

    @Override
    public Class<Namespace> type() {
        return Namespace.class;
    }

    @Override
    public List<TableColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(Namespace ns, Instant now) {
        return List.of(
                Formats.name(ns),
                ns.getStatus() == null ? "" : str(ns.getStatus().getPhase()),
                Formats.age(ns, now));
    }
}
