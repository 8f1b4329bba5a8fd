package io.kemu.apiserver.printers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.util.List;

/**
 * Server-side table printer for one kind, the Java counterpart of a {@code TableHandler} registered in
 * {@code pkg/printers/internalversion/printers.go}.
 *
 * <p>kube-apiserver always generates tables with {@code GenerateOptions{Wide: true}} (see
 * {@code pkg/printers/storage}), so {@link #cells} returns one cell per column of {@link #columns},
 * priority-1 columns included; kubectl drops priority-1 columns itself unless {@code -o wide}.
 *
 * <p>Cells are {@link String} or {@link Long} (Go {@code int64}) exactly where upstream puts strings and integers.
 */
public interface TablePrinter<T extends HasMetadata> {

    /** The kind this printer renders, e.g. {@code Pod}. */
    String kind();

    /** The fabric8 model class this printer renders. */
    Class<T> type();

    /** Column definitions, in order. */
    List<TableColumn> columns();

    /** Cells of the object's row, one per column; {@code now} is the reference time for ages and durations. */
    List<Object> cells(T obj, Instant now);

    /** Row conditions ({@code TableRow.conditions}); empty for every kind but Pod. */
    default List<TableRowCondition> rowConditions(T obj) {
        return List.of();
    }
}
