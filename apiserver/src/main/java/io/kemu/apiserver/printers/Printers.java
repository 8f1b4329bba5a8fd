package io.kemu.apiserver.printers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point: the column definitions and row cells kube-apiserver 1.32 would put in a
 * {@code meta.k8s.io/v1 Table} for an object, dispatching to the kind's printer and falling back to the
 * default table convertor (NAME, CREATED AT) for kinds without one.
 *
 * <p>Rows are always computed the way the server computes them ({@code Wide: true}): one cell per column,
 * priority-1 columns included.
 */
public final class Printers {

    private static final List<TablePrinter<?>> PRINTERS = List.of(
            new PodPrinter(),
            new NodePrinter(),
            new NamespacePrinter(),
            new EventPrinter(),
            new EventsV1EventPrinter(),
            new ServicePrinter(),
            new EndpointsPrinter(),
            new ConfigMapPrinter(),
            new SecretPrinter(),
            new ServiceAccountPrinter(),
            new DeploymentPrinter(),
            new ReplicaSetPrinter(),
            new JobPrinter(),
            new LeasePrinter(),
            new RoleBindingPrinter(),
            new ClusterRoleBindingPrinter(),
            new PriorityClassPrinter(),
            new PodDisruptionBudgetPrinter(),
            new EndpointSlicePrinter(),
            new ResourceQuotaPrinter());

    private static final Map<Class<?>, TablePrinter<?>> BY_CLASS = new LinkedHashMap<>();
    private static final Map<String, TablePrinter<?>> BY_KIND = new LinkedHashMap<>();

    static {
        for (TablePrinter<?> p : PRINTERS) {
            BY_CLASS.put(p.type(), p);
            BY_KIND.putIfAbsent(p.kind(), p); // Event: core/v1 and events.k8s.io/v1 share the columns
        }
    }

    private Printers() {
    }

    /** Column definitions for a kind ({@code Pod}, {@code Node}, ...); the default convertor's for other kinds. */
    public static List<TableColumn> columns(String kind) {
        TablePrinter<?> p = BY_KIND.get(kind);
        return p == null ? DefaultTablePrinter.COLUMNS : p.columns();
    }

    /** Column definitions matching {@link #cells(HasMetadata, Instant)} for this object. */
    public static List<TableColumn> columns(HasMetadata obj) {
        return printerFor(obj).columns();
    }

    /** The object's row cells (Strings and Longs), one per column, with ages relative to {@code now}. */
    public static List<Object> cells(HasMetadata obj, Instant now) {
        return printerFor(obj).cells(obj, now);
    }

    /** The object's row conditions (only pods in phase Succeeded or Failed have one). */
    public static List<TableRowCondition> rowConditions(HasMetadata obj) {
        return printerFor(obj).rowConditions(obj);
    }

    /** Whether the kind has a dedicated printer (otherwise the default convertor is used). */
    public static boolean hasPrinter(String kind) {
        return BY_KIND.containsKey(kind);
    }

    /**
     * The printer for this object's fabric8 class; the default convertor for any other class (including
     * {@code GenericKubernetesResource}, whatever its kind).
     */
    @SuppressWarnings("unchecked")
    public static TablePrinter<HasMetadata> printerFor(HasMetadata obj) {
        TablePrinter<?> p = BY_CLASS.get(obj.getClass());
        if (p == null) {
            for (TablePrinter<?> candidate : PRINTERS) {
                if (candidate.type().isInstance(obj)) {
                    p = candidate;
                    break;
                }
            }
        }
        return (TablePrinter<HasMetadata>) (p == null ? DefaultTablePrinter.INSTANCE : p);
    }
}
