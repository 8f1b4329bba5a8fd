package io.kemu.apiserver.printers;

import static io.kemu.apiserver.printers.TableColumn.ageColumn;
import static io.kemu.apiserver.printers.TableColumn.col;
import static io.kemu.apiserver.printers.TableColumn.nameColumn;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.time.Instant;
import java.util.List;

/**
 * {@code printPodDisruptionBudget}: NAME, MIN AVAILABLE, MAX UNAVAILABLE (N/A when unset), ALLOWED
 * DISRUPTIONS (status.disruptionsAllowed), AGE.
 */
public final class PodDisruptionBudgetPrinter implements TablePrinter<PodDisruptionBudget> {

    public static final List<TableColumn> COLUMNS = List.of(
            nameColumn(),
            col("Min Available", "string", Descriptions.PDB_MIN_AVAILABLE),
            col("Max Unavailable", "string", Descriptions.PDB_MAX_UNAVAILABLE),
            col("Allowed Disruptions", "integer", Descriptions.PDB_ALLOWED_DISRUPTIONS),
            ageColumn());

    @Override
    public String kind() {
        return "PodDisruptionBudget";
    }

    @Override
    public Class<PodDisruptionBudget> type() {
        return PodDisruptionBudget.class;
    }

    @Override
    public List<TableColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(PodDisruptionBudget pdb, Instant now) {
        IntOrString min = pdb.getSpec() == null ? null : pdb.getSpec().getMinAvailable();
        IntOrString max = pdb.getSpec() == null ? null : pdb.getSpec().getMaxUnavailable();
        long allowed = pdb.getStatus() == null ? 0L : Formats.i32(pdb.getStatus().getDisruptionsAllowed());
        return List.of(Formats.name(pdb), intOrString(min), intOrString(max), allowed, Formats.age(pdb, now));
    }

    /** {@code intstr.IntOrString.String()}, or N/A for an unset field. */
    static String intOrString(IntOrString v) {
        if (v == null || (v.getIntVal() == null && v.getStrVal() == null)) {
            return "N/A";
        }
        return v.getIntVal() != null ? Integer.toString(v.getIntVal()) : v.getStrVal();
    }
}
