package io.kemu.apiserver.printers;

import static io.kemu.apiserver.printers.Fixtures.NOW;
import static io.kemu.apiserver.printers.Fixtures.ago;
import static io.kemu.apiserver.printers.Fixtures.in;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mirrors printers_test.go TestPrintNamespace, TestPrintSecret, TestPrintServiceAccount, TestPrintConfigMap, TestPrint(Cluster)RoleBinding. */
class SimplePrintersTest {

    private static final String ALMOST_NOW = in(Duration.ofMillis(1900));

    @Test
    void namespace() {
        Namespace ns1 = new NamespaceBuilder().withNewMetadata().withName("namespace1").withCreationTimestamp(ALMOST_NOW).endMetadata()
                .withNewStatus().withPhase("FooStatus").endStatus().build();
        Namespace ns2 = new NamespaceBuilder().withNewMetadata().withName("namespace2").endMetadata().build();
        Namespace active = new NamespaceBuilder().withNewMetadata().withName("default").withCreationTimestamp(ago(Duration.ofDays(12)))
                .endMetadata().withNewStatus().withPhase("Active").endStatus().build();
        NamespacePrinter p = new NamespacePrinter();
        assertEquals(List.of("namespace1", "FooStatus", "0s"), p.cells(ns1, NOW));
        assertEquals(List.of("namespace2", "", "<unknown>"), p.cells(ns2, NOW));
        assertEquals(List.of("default", "Active", "12d"), p.cells(active, NOW));
    }

    @Test
    void secret() {
        SecretPrinter p = new SecretPrinter();
        Secret withData = new SecretBuilder().withNewMetadata().withName("secret1").withCreationTimestamp(ALMOST_NOW).endMetadata()
                .withType("kubernetes.io/service-account-token").withData(Map.of("token", "c2VjcmV0IGRhdGE=")).build();
        Secret noData = new SecretBuilder().withNewMetadata().withName("secret1").withCreationTimestamp(ALMOST_NOW).endMetadata()
                .withType("kubernetes.io/service-account-token").build();
        assertEquals(List.of("secret1", "kubernetes.io/service-account-token", 1L, "0s"), p.cells(withData, NOW));
        assertEquals(List.of("secret1", "kubernetes.io/service-account-token", 0L, "0s"), p.cells(noData, NOW));
        // stringData is merged into data by the v1 -> internal conversion
        Secret stringData = new SecretBuilder().withNewMetadata().withName("s").endMetadata().withType("Opaque")
                .withData(Map.of("a", "YQ==", "b", "Yg==")).withStringData(Map.of("b", "x", "c", "y")).build();
        assertEquals(3L, p.cells(stringData, NOW).get(2));
    }

    @Test
    void serviceAccount() {
        ServiceAccountPrinter p = new ServiceAccountPrinter();
        ServiceAccount none = new ServiceAccountBuilder().withNewMetadata().withName("sa1").withCreationTimestamp(ALMOST_NOW).endMetadata()
                .withSecrets(List.of()).build();
        ServiceAccount two = new ServiceAccountBuilder().withNewMetadata().withName("sa1").withCreationTimestamp(ALMOST_NOW).endMetadata()
                .withSecrets(new ObjectReferenceBuilder().withName("Secret1").build(),
                        new ObjectReferenceBuilder().withName("Secret2").build()).build();
        assertEquals(List.of("sa1", 0L, "0s"), p.cells(none, NOW));
        assertEquals(List.of("sa1", 2L, "0s"), p.cells(two, NOW));
    }

    @Test
    void configMap() {
        ConfigMapPrinter p = new ConfigMapPrinter();
        ConfigMap empty = new ConfigMapBuilder().withNewMetadata().withName("configmap1").withCreationTimestamp(ALMOST_NOW).endMetadata().build();
        ConfigMap one = new ConfigMapBuilder().withNewMetadata().withName("configmap2").withCreationTimestamp(ALMOST_NOW).endMetadata()
                .withData(Map.of("foo", "bar")).build();
        ConfigMap withBinary = new ConfigMapBuilder().withNewMetadata().withName("configmap3").withCreationTimestamp(ALMOST_NOW).endMetadata()
                .withData(Map.of("foo", "bar")).withBinaryData(Map.of("bin", "YmluYXJ5IGRhdGE=")).build();
        assertEquals(List.of("configmap1", 0L, "0s"), p.cells(empty, NOW));
        assertEquals(List.of("configmap2", 1L, "0s"), p.cells(one, NOW));
        assertEquals(List.of("configmap3", 2L, "0s"), p.cells(withBinary, NOW));
    }

    @Test
    void lease() {
        LeasePrinter p = new LeasePrinter();
        Lease held = new LeaseBuilder().withNewMetadata().withName("kube-scheduler").withCreationTimestamp(ago(Duration.ofHours(3)))
                .endMetadata().withNewSpec().withHolderIdentity("node-1_1234").endSpec().build();
        Lease free = new LeaseBuilder().withNewMetadata().withName("l").endMetadata().build();
        assertEquals(List.of("kube-scheduler", "node-1_1234", "3h"), p.cells(held, NOW));
        assertEquals(List.of("l", "", "<unknown>"), p.cells(free, NOW));
    }

    private static Subject subject(String kind, String name, String namespace) {
        return new SubjectBuilder().withKind(kind).withName(name).withNamespace(namespace).build();
    }

    @Test
    void roleBinding() {
        RoleBindingPrinter p = new RoleBindingPrinter();
        RoleBinding b1 = new RoleBindingBuilder().withNewMetadata().withName("binding1").withCreationTimestamp(ALMOST_NOW).endMetadata()
                .withSubjects(subject("User", "system:kube-controller-manager", null))
                .withNewRoleRef().withKind("Role").withName("extension-apiserver-authentication-reader").endRoleRef().build();
        assertEquals(List.of("binding1", "Role/extension-apiserver-authentication-reader", "0s"), p.cells(b1, NOW).subList(0, 3));
        RoleBinding b2 = new RoleBindingBuilder().withNewMetadata().withName("binding2").withCreationTimestamp(ALMOST_NOW).endMetadata()
                .withSubjects(subject("User", "user-name", null), subject("Group", "group-name", null),
                        subject("ServiceAccount", "service-account-name", "service-account-namespace"))
                .withNewRoleRef().withKind("Role").withName("role-name").endRoleRef().build();
        assertEquals(List.of("binding2", "Role/role-name", "0s", "user-name", "group-name",
                "service-account-namespace/service-account-name"), p.cells(b2, NOW));
        RoleBinding multi = new RoleBindingBuilder().withNewMetadata().withName("m").endMetadata()
                .withSubjects(subject("User", "a", null), subject("User", "b", null), subject("Other", "x", "y"))
                .withNewRoleRef().withKind("ClusterRole").withName("view").endRoleRef().build();
        assertEquals(List.of("m", "ClusterRole/view", "<unknown>", "a, b", "", ""), p.cells(multi, NOW));
    }

    @Test
    void clusterRoleBinding() {
        ClusterRoleBindingPrinter p = new ClusterRoleBindingPrinter();
        ClusterRoleBinding b2 = new ClusterRoleBindingBuilder().withNewMetadata().withName("binding2").withCreationTimestamp(ALMOST_NOW)
                .endMetadata()
                .withSubjects(subject("User", "user-name", null), subject("Group", "group-name", null),
                        subject("ServiceAccount", "service-account-name", "service-account-namespace"))
                .withNewRoleRef().withKind("Role").withName("role-name").endRoleRef().build();
        assertEquals(List.of("binding2", "Role/role-name", "0s", "user-name", "group-name",
                "service-account-namespace/service-account-name"), p.cells(b2, NOW));
        assertEquals("Users in the clusterRoleBinding", ClusterRoleBindingPrinter.COLUMNS.get(3).description());
        assertEquals("Users in the roleBinding", RoleBindingPrinter.COLUMNS.get(3).description());
    }
}
