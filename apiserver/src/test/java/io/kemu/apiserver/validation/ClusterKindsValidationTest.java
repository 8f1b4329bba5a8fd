package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.Errors.assertMessages;
import static io.kemu.apiserver.validation.Errors.assertNone;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mirrors rbac, scheduling, discovery, policy and coordination validation_test.go cases. */
class ClusterKindsValidationTest {

    @Test
    void roles() {
        RoleBuilder role = new RoleBuilder().withNewMetadata().withName("reader").withNamespace("default").endMetadata();
        assertNone(RbacValidation.validateRole(role.withRules(new PolicyRuleBuilder().withApiGroups("").withResources("pods")
                .withVerbs("get").build()).build()));
        assertMessages(RbacValidation.validateRole(new RoleBuilder(role.build()).withRules(new PolicyRuleBuilder().build()).build()),
                "rules[0].verbs: Required value: verbs must contain at least one value",
                "rules[0].apiGroups: Required value: resource rules must supply at least one api group",
                "rules[0].resources: Required value: resource rules must supply at least one resource");
        assertMessages(RbacValidation.validateRole(new RoleBuilder(role.build()).withRules(new PolicyRuleBuilder().withVerbs("get")
                        .withNonResourceURLs("/healthz").build()).build()),
                "rules[0].nonResourceURLs: Invalid value: []string{\"/healthz\"}: namespaced rules cannot apply to non-resource URLs");
        assertMessages(RbacValidation.validateRole(new RoleBuilder().withNewMetadata().withName("a/b").withNamespace("default")
                .endMetadata().build()), "metadata.name: Invalid value: \"a/b\": may not contain '/'");
    }

    @Test
    void clusterRoles() {
        ClusterRoleBuilder cr = new ClusterRoleBuilder().withNewMetadata().withName("system:reader").endMetadata();
        assertNone(RbacValidation.validateClusterRole(cr.withRules(new PolicyRuleBuilder().withVerbs("get")
                .withNonResourceURLs("/healthz").build()).build()));
        assertMessages(RbacValidation.validateClusterRole(new ClusterRoleBuilder(cr.build()).withRules().withNewAggregationRule()
                        .endAggregationRule().build()),
                "aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil");
    }

    @Test
    void bindings() {
        RoleBinding ok = new RoleBindingBuilder().withNewMetadata().withName("b").withNamespace("default").withResourceVersion("1").endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("reader").endRoleRef()
                .withSubjects(new SubjectBuilder().withKind("User").withApiGroup("rbac.authorization.k8s.io").withName("alice").build(),
                        new SubjectBuilder().withKind("ServiceAccount").withName("default").build()).build();
        assertNone(RbacValidation.validateRoleBinding(ok));
        RoleBinding bad = new RoleBindingBuilder(ok).withNewRoleRef().withApiGroup("x").withKind("Foo").endRoleRef()
                .withSubjects(new SubjectBuilder().withKind("Robot").withName("r").build(),
                        new SubjectBuilder().withKind("ServiceAccount").withApiGroup("v1").withName("Bad_Name").build()).build();
        assertMessages(RbacValidation.validateRoleBinding(bad),
                "roleRef.apiGroup: Unsupported value: \"x\": supported values: \"rbac.authorization.k8s.io\"",
                "roleRef.kind: Unsupported value: \"Foo\": supported values: \"Role\", \"ClusterRole\"",
                "roleRef.name: Required value",
                "subjects[0].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\"",
                "subjects[1].name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                        + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
                        + "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
                "subjects[1].apiGroup: Unsupported value: \"v1\": supported values: \"\"");
        RoleBinding moved = new RoleBindingBuilder(ok).editRoleRef().withName("writer").endRoleRef().build();
        assertMessages(RbacValidation.validateRoleBindingUpdate(moved, ok),
                "roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"Role\", Name:\"writer\"}: cannot change roleRef");
        assertMessages(RbacValidation.validateClusterRoleBinding(new ClusterRoleBindingBuilder().withNewMetadata().withName("crb").endMetadata()
                        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("r").endRoleRef()
                        .withSubjects(new SubjectBuilder().withKind("ServiceAccount").withName("sa").build()).build()),
                "roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"",
                "subjects[0].namespace: Required value");
    }

    static PriorityClass pc(String name, int value) {
        return new PriorityClassBuilder().withNewMetadata().withName(name).withResourceVersion("1").endMetadata().withValue(value)
                .withPreemptionPolicy("PreemptLowerPriority").build();
    }

    @Test
    void priorityClasses() {
        assertNone(PriorityClassValidation.validateCreate(pc("high", 1000)));
        assertNone(PriorityClassValidation.validateCreate(pc("system-node-critical", 2000001000)));
        assertMessages(PriorityClassValidation.validateCreate(pc("system-foo", 1)),
                "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. "
                        + "error: system-foo is not a known system priority class");
        assertMessages(PriorityClassValidation.validateCreate(pc("system-cluster-critical", 1)),
                "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. "
                        + "error: value of system-cluster-critical PriorityClass must be 2000000000");
        assertMessages(PriorityClassValidation.validateCreate(pc("huge", 1_000_000_001)),
                "value: Forbidden: maximum allowed value of a user defined priority is 1000000000");
        PriorityClass never = new PriorityClassBuilder(pc("high", 1000)).withPreemptionPolicy("Sometimes").build();
        assertMessages(PriorityClassValidation.validateCreate(never),
                "preemptionPolicy: Unsupported value: \"Sometimes\": supported values: \"PreemptLowerPriority\", \"Never\"");
        assertMessages(PriorityClassValidation.validateUpdate(new PriorityClassBuilder(pc("high", 2000)).withPreemptionPolicy("Never").build(),
                        pc("high", 1000)),
                "value: Forbidden: may not be changed in an update.",
                "preemptionPolicy: Invalid value: \"Never\": field is immutable");
    }

    static EndpointSliceBuilder slice(String type) {
        return new EndpointSliceBuilder().withNewMetadata().withName("web-abc").withNamespace("default").endMetadata().withAddressType(type);
    }

    @Test
    void endpointSlices() {
        assertNone(EndpointSliceValidation.validateCreate(slice("IPv4").withEndpoints(new EndpointBuilder().withAddresses("10.1.2.3").build())
                .withPorts(new EndpointPortBuilder().withName("").withProtocol("TCP").withPort(80).build()).build()));
        assertMessages(EndpointSliceValidation.validateCreate(slice("IPv5").build()),
                "addressType: Unsupported value: \"IPv5\": supported values: \"FQDN\", \"IPv4\", \"IPv6\"");
        assertMessages(EndpointSliceValidation.validateCreate(slice("IPv4").withEndpoints(new EndpointBuilder().build(),
                        new EndpointBuilder().withAddresses("fd00::1").build()).build()),
                "endpoints[0].addresses: Required value: must contain at least 1 address",
                "endpoints[1].addresses[0]: Invalid value: \"fd00::1\": must be a valid IPv4 address");
        assertMessages(EndpointSliceValidation.validateCreate(slice("FQDN").withEndpoints(new EndpointBuilder().withAddresses("localhost").build())
                        .withPorts(new EndpointPortBuilder().withName("a").withProtocol("TCP").build(),
                                new EndpointPortBuilder().withName("a").build()).build()),
                "endpoints[0].addresses[0]: Invalid value: \"localhost\": should be a domain with at least two segments separated by dots",
                "ports[1].name: Duplicate value: \"a\"",
                "ports[1].protocol: Required value");
        EndpointSlice old = slice("IPv4").build();
        assertMessages(EndpointSliceValidation.validateUpdate(slice("IPv6").build(), old),
                "addressType: Invalid value: \"IPv6\": field is immutable");
    }

    static PodDisruptionBudgetBuilder pdb() {
        return new PodDisruptionBudgetBuilder().withNewMetadata().withName("web").withNamespace("default").withResourceVersion("1").endMetadata()
                .withNewSpec().withMinAvailable(new IntOrString(1)).withNewSelector().withMatchLabels(Map.of("app", "web"))
                .endSelector().endSpec();
    }

    @Test
    void podDisruptionBudgets() {
        assertNone(PodDisruptionBudgetValidation.validateCreate(pdb().build()));
        assertMessages(PodDisruptionBudgetValidation.validateCreate(pdb().editSpec().withMinAvailable(new IntOrString("120%"))
                        .withUnhealthyPodEvictionPolicy("Never").endSpec().build()),
                "spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"120%\"}: must not be greater than 100%",
                "spec.unhealthyPodEvictionPolicy: Unsupported value: \"Never\": supported values: \"AlwaysAllow\", \"IfHealthyBudget\"");
        assertMessages(PodDisruptionBudgetValidation.validateCreate(pdb().editSpec().withMinAvailable(new IntOrString(-1)).endSpec().build()),
                "spec.minAvailable: Invalid value: -1: must be greater than or equal to 0");
        // metadata is only checked (generically) once the spec passed
        assertMessages(PodDisruptionBudgetValidation.validateCreate(pdb().editMetadata().withName("a%b").endMetadata().build()),
                "metadata.name: Invalid value: \"a%b\": may not contain '%'");
        PodDisruptionBudget old = pdb().build();
        Condition c = new ConditionBuilder().withType("DisruptionAllowed").withStatus("Maybe").withReason("ok")
                .withLastTransitionTime("2025-01-01T00:00:00Z").build();
        PodDisruptionBudget status = pdb().withNewStatus().withDisruptionsAllowed(-1).withConditions(c).endStatus().build();
        assertMessages(PodDisruptionBudgetValidation.validateStatusUpdate(status, old),
                "status.conditions[0].status: Unsupported value: \"Maybe\": supported values: \"False\", \"True\", \"Unknown\"",
                "status.disruptionsAllowed: Invalid value: -1: must be greater than or equal to 0");
        assertNone(PodDisruptionBudgetValidation.validateStatusUpdate(pdb().withNewStatus().withDisruptionsAllowed(1).endStatus().build(), old));
    }

    static LeaseBuilder lease() {
        return new LeaseBuilder().withNewMetadata().withName("node-1").withNamespace("kube-node-lease").withResourceVersion("1").endMetadata()
                .withNewSpec().withHolderIdentity("node-1").withLeaseDurationSeconds(40).endSpec();
    }

    @Test
    void leases() {
        assertNone(LeaseValidation.validateCreate(lease().build()));
        assertMessages(LeaseValidation.validateCreate(lease().editSpec().withLeaseDurationSeconds(0).withLeaseTransitions(-1).endSpec().build()),
                "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0",
                "spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0");
        assertMessages(LeaseValidation.validateCreate(lease().editSpec().withStrategy("Newest").endSpec().build()),
                "spec.strategy.strategy: Unsupported value: \"Newest\": supported values: \"OldestEmulationVersion\"");
        assertMessages(LeaseValidation.validateCreate(lease().editSpec().withPreferredHolder("node-2").endSpec().build()),
                "spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined");
        Lease old = lease().build();
        assertMessages(LeaseValidation.validateUpdate(lease().editMetadata().withNamespace("default").endMetadata().build(), old),
                "metadata.namespace: Invalid value: \"default\": field is immutable");
        assertNone(LeaseValidation.validateUpdate(lease().editSpec().withLeaseTransitions(3).endSpec().build(), old));
    }
}
