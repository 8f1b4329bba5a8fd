package io.kemu.apiserver.printers;

import static io.kemu.apiserver.printers.Formats.i32;
import static io.kemu.apiserver.printers.TableColumn.ageColumn;
import static io.kemu.apiserver.printers.TableColumn.col;
import static io.kemu.apiserver.printers.TableColumn.nameColumn;
import static io.kemu.apiserver.printers.TableColumn.wide;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.time.Instant;
import java.util.List;

/**
 * {@code printDeployment}: NAME, READY ("ready/desired"), UP-TO-DATE, AVAILABLE, AGE; wide CONTAINERS,
 * IMAGES, SELECTOR. UP-TO-DATE and AVAILABLE are integer cells although their columns are typed string,
 * exactly as upstream. The selector cell is {@code selector.String()} (empty for a nil or empty selector,
 * {@code <invalid>} for an invalid one), not {@code FormatLabelSelector}.
 */
public final class DeploymentPrinter implements TablePrinter<Deployment> {

    public static final List<TableColumn> COLUMNS = List.of(
            nameColumn(),
            col("Ready", "string", "Number of the pod with ready state"),
            col("Up-to-date", "string", Descriptions.EXT_DEPLOYMENT_STATUS_UPDATED_REPLICAS),
            col("Available", "string", Descriptions.EXT_DEPLOYMENT_STATUS_AVAILABLE_REPLICAS),
            ageColumn(),
            wide("Containers", "string", "Names of each container in the template."),
            wide("Images", "string", "Images referenced by each container in the template."),
            wide("Selector", "string", Descriptions.EXT_DEPLOYMENT_SPEC_SELECTOR));

    @Override
    public String kind() {
        return "Deployment";
    }

    @Override
    public Class<Deployment> type() {
        return Deployment.class;
    }

    @Override
    public List<TableColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(Deployment d, Instant now) {
        DeploymentSpec spec = d.getSpec() == null ? new DeploymentSpec() : d.getSpec();
        DeploymentStatus status = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        String selector;
        try {
            selector = Formats.selectorString(spec.getSelector());
        } catch (IllegalArgumentException invalid) {
            selector = "<invalid>";
        }
        String[] containers = Formats.layoutContainerCells(templateContainers(spec));
        return List.of(
                Formats.name(d),
                i32(status.getReadyReplicas()) + "/" + i32(spec.getReplicas()),
                (long) i32(status.getUpdatedReplicas()),
                (long) i32(status.getAvailableReplicas()),
                Formats.age(d, now),
                containers[0],
                containers[1],
                selector);
    }

    private static List<Container> templateContainers(DeploymentSpec spec) {
        if (spec.getTemplate() == null || spec.getTemplate().getSpec() == null) {
            return List.of();
        }
        return spec.getTemplate().getSpec().getContainers();
    }
}
