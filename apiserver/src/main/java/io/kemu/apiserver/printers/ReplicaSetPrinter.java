package io.kemu.apiserver.printers;

import static io.kemu.apiserver.printers.Formats.i32;
import static io.kemu.apiserver.printers.TableColumn.ageColumn;
import static io.kemu.apiserver.printers.TableColumn.col;
import static io.kemu.apiserver.printers.TableColumn.nameColumn;
import static io.kemu.apiserver.printers.TableColumn.wide;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import java.time.Instant;
import java.util.List;

/** {@code printReplicaSet}: NAME, DESIRED, CURRENT, READY (integers), AGE; wide CONTAINERS, IMAGES, SELECTOR. */
public final class ReplicaSetPrinter implements TablePrinter<ReplicaSet> {

    public static final List<TableColumn> COLUMNS = List.of(
            nameColumn(),
            col("Desired", "integer", Descriptions.EXT_REPLICA_SET_SPEC_REPLICAS),
            col("Current", "integer", Descriptions.EXT_REPLICA_SET_STATUS_REPLICAS),
            col("Ready", "integer", Descriptions.EXT_REPLICA_SET_STATUS_READY_REPLICAS),
            ageColumn(),
            wide("Containers", "string", "Names of each container in the template."),
            wide("Images", "string", "Images referenced by each container in the template."),
            wide("Selector", "string", Descriptions.EXT_REPLICA_SET_SPEC_SELECTOR));

    @Override
    public String kind() {
        return "ReplicaSet";
    }

    @Override
    public Class<ReplicaSet> type() {
        return ReplicaSet.class;
    }

    @Override
    public List<TableColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(ReplicaSet rs, Instant now) {
        ReplicaSetSpec spec = rs.getSpec() == null ? new ReplicaSetSpec() : rs.getSpec();
        ReplicaSetStatus status = rs.getStatus() == null ? new ReplicaSetStatus() : rs.getStatus();
        List<Container> containers = spec.getTemplate() == null || spec.getTemplate().getSpec() == null
                ? List.of() : spec.getTemplate().getSpec().getContainers();
        String[] layout = Formats.layoutContainerCells(containers);
        return List.of(
                Formats.name(rs),
                (long) i32(spec.getReplicas()),
                (long) i32(status.getReplicas()),
                (long) i32(status.getReadyReplicas()),
                Formats.age(rs, now),
                layout[0],
                layout[1],
                Formats.formatLabelSelector(spec.getSelector()));
    }
}
