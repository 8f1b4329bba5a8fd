package io.kemu.apiserver.printers;

import static io.kemu.apiserver.printers.Fixtures.NOW;
import static io.kemu.apiserver.printers.Fixtures.ago;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrintersTest {

    private static final List<HasMetadata> EMPTY_OBJECTS = List.of(
            new PodBuilder().build(), new NodeBuilder().build(), new NamespaceBuilder().build(), new EventBuilder().build(),
            new io.fabric8.kubernetes.api.model.events.v1.EventBuilder().build(), new ServiceBuilder().build(),
            new EndpointsBuilder().build(), new ConfigMapBuilder().build(), new SecretBuilder().build(),
            new ServiceAccountBuilder().build(), new DeploymentBuilder().build(), new ReplicaSetBuilder().build(),
            new JobBuilder().build(), new LeaseBuilder().build(), new RoleBindingBuilder().build(),
            new ClusterRoleBindingBuilder().build(), new RoleBuilder().build(), new ClusterRoleBuilder().build());

    @Test
    void everyPrinterGivesOneStringOrLongCellPerColumnEvenForEmptyObjects() {
        for (HasMetadata obj : EMPTY_OBJECTS) {
            List<TableColumn> columns = Printers.columns(obj);
            List<Object> cells = Printers.cells(obj, NOW);
            assertEquals(columns.size(), cells.size(), obj.getClass().getName());
            for (Object cell : cells) {
                assertTrue(cell instanceof String || cell instanceof Long, obj.getClass() + ": " + cell);
            }
            assertEquals("Event".equals(obj.getKind()) ? "Last Seen" : "Name", columns.get(0).name());
        }
    }

    @Test
    void columnsByKind() {
        assertEquals(PodPrinter.COLUMNS, Printers.columns("Pod"));
        assertEquals(NodePrinter.COLUMNS, Printers.columns("Node"));
        assertEquals(EventPrinter.COLUMNS, Printers.columns("Event"));
        assertEquals(LeasePrinter.COLUMNS, Printers.columns("Lease"));
        assertEquals(JobPrinter.COLUMNS, Printers.columns("Job"));
        assertEquals(DefaultTablePrinter.COLUMNS, Printers.columns("Role"));
        assertEquals(DefaultTablePrinter.COLUMNS, Printers.columns("ClusterRole"));
        assertEquals(DefaultTablePrinter.COLUMNS, Printers.columns("SomeCustomKind"));
        assertTrue(Printers.hasPrinter("RoleBinding"));
        assertFalse(Printers.hasPrinter("Role"));
    }

    @Test
    void dispatchByClass() {
        assertInstanceOf(PodPrinter.class, Printers.printerFor(new PodBuilder().build()));
        assertInstanceOf(EventsV1EventPrinter.class,
                Printers.printerFor(new io.fabric8.kubernetes.api.model.events.v1.EventBuilder().build()));
        assertInstanceOf(DefaultTablePrinter.class, Printers.printerFor(new RoleBuilder().build()));
        assertEquals(PodPrinter.POD_FAILED_CONDITIONS,
                Printers.rowConditions(new PodBuilder().withNewStatus().withPhase("Failed").endStatus().build()));
        assertEquals(List.of(), Printers.rowConditions(new RoleBuilder().build()));
    }

    @Test
    void defaultConvertorForRolesAndClusterRoles() {
        Role role = new RoleBuilder().withNewMetadata().withName("pod-reader").withNamespace("default")
                .withCreationTimestamp("2024-05-06T07:08:09Z").endMetadata().build();
        ClusterRole cr = new ClusterRoleBuilder().withNewMetadata().withName("view")
                .withCreationTimestamp("2024-05-06T09:08:09.123+02:00").endMetadata().build();
        assertEquals(List.of("pod-reader", "2024-05-06T07:08:09Z"), Printers.cells(role, NOW));
        assertEquals(List.of("view", "2024-05-06T07:08:09Z"), Printers.cells(cr, NOW));
        assertEquals(List.of("", "0001-01-01T00:00:00Z"), Printers.cells(new RoleBuilder().build(), NOW));
        assertEquals(List.of(new TableColumn("Name", "string", "name", Descriptions.OBJECT_META_NAME, 0),
                new TableColumn("Created At", "date", "", Descriptions.OBJECT_META_CREATION_TIMESTAMP, 0)), Printers.columns(role));
    }

    @Test
    void genericResourcesUseTheDefaultConvertor() {
        HasMetadata generic = new GenericKubernetesResourceBuilder().withKind("Widget").withApiVersion("example.com/v1")
                .withNewMetadata().withName("w1").withCreationTimestamp(ago(Duration.ofDays(1))).endMetadata().build();
        assertEquals(List.of("w1", "2025-02-28T12:00:00Z"), Printers.cells(generic, NOW));
    }

    @Test
    void nameAndAgeColumnsMatchUpstream() {
        TableColumn name = PodPrinter.COLUMNS.get(0);
        assertEquals(new TableColumn("Name", "string", "name", Descriptions.OBJECT_META_NAME, 0), name);
        assertTrue(name.description().startsWith("Name must be unique within a namespace."));
        TableColumn age = PodPrinter.COLUMNS.get(4);
        assertEquals("Age", age.name());
        assertEquals("string", age.type());
        assertEquals("", age.format());
        assertTrue(age.description().contains("It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system."));
    }
}
