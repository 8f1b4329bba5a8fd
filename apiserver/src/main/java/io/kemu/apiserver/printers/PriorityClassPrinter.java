package io.kemu.apiserver.printers;

import static io.kemu.apiserver.printers.TableColumn.ageColumn;
import static io.kemu.apiserver.printers.TableColumn.col;
import static io.kemu.apiserver.printers.TableColumn.nameColumn;

import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import java.time.Instant;
import java.util.List;

/**
 * {@code printPriorityClass}: NAME, VALUE, GLOBAL-DEFAULT, AGE, PREEMPTIONPOLICY. The last column has
 * priority 0 but its cell is only added for wide output, which the server always computes, so kubectl shows
 * it by default as it does against kube-apiserver.
 */
public final class PriorityClassPrinter implements TablePrinter<PriorityClass> {

    public static final List<TableColumn> COLUMNS = List.of(
            nameColumn(),
            col("Value", "integer", Descriptions.PRIORITY_CLASS_VALUE),
            col("Global-Default", "boolean", Descriptions.PRIORITY_CLASS_GLOBAL_DEFAULT),
            ageColumn(),
            col("PreemptionPolicy", "string", Descriptions.PRIORITY_CLASS_PREEMPTION_POLICY));

    @Override
    public String kind() {
        return "PriorityClass";
    }

    @Override
    public Class<PriorityClass> type() {
        return PriorityClass.class;
    }

    @Override
    public List<TableColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(PriorityClass pc, Instant now) {
        long value = pc.getValue() == null ? 0L : pc.getValue().longValue();
        return List.of(Formats.name(pc), value, Formats.bool(pc.getGlobalDefault()), Formats.age(pc, now),
                Formats.str(pc.getPreemptionPolicy()));
    }
}
