package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.Errors.assertMessages;
import static io.kemu.apiserver.validation.Errors.assertNone;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mirrors TestValidateNamespace*, TestValidateNode*, and events_test.go (legacy cases). */
class NamespaceNodeEventValidationTest {

    @Test
    void namespaces() {
        assertNone(NamespaceValidation.validateCreate(new NamespaceBuilder().withNewMetadata().withName("team-a").endMetadata().build()));
        assertMessages(NamespaceValidation.validateCreate(new NamespaceBuilder().withNewMetadata().withName("team.a").endMetadata().build()),
                "metadata.name: Invalid value: \"team.a\": must not contain dots");
        assertMessages(NamespaceValidation.validateCreate(new NamespaceBuilder().withNewMetadata().withName("a").withNamespace("b")
                .endMetadata().build()), "metadata.namespace: Forbidden: not allowed on this type");
        assertMessages(NamespaceValidation.validateCreate(new NamespaceBuilder().withNewMetadata().withName("a").endMetadata()
                        .withNewSpec().withFinalizers("kubernetes", "custom").endSpec().build()),
                "spec.finalizers: Invalid value: \"custom\": name is neither a standard finalizer name nor is it fully qualified");
    }

    @Test
    void namespaceUpdates() {
        Namespace old = new NamespaceBuilder().withNewMetadata().withName("a").withResourceVersion("1").endMetadata().build();
        Namespace renamed = new NamespaceBuilder(old).editMetadata().withName("b").endMetadata().build();
        assertMessages(NamespaceValidation.validateUpdate(renamed, old), "metadata.name: Invalid value: \"b\": field is immutable");
        Namespace terminating = new NamespaceBuilder(old).withNewStatus().withPhase("Terminating").endStatus().build();
        assertMessages(NamespaceValidation.validateStatusUpdate(terminating, old),
                "status.Phase: Invalid value: \"Terminating\": may only be 'Active' if `deletionTimestamp` is empty");
        Namespace active = new NamespaceBuilder(old).withNewStatus().withPhase("Active").endStatus().build();
        assertNone(NamespaceValidation.validateStatusUpdate(active, old));
    }

    static NodeBuilder node() {
        return new NodeBuilder().withNewMetadata().withName("node-1").endMetadata();
    }

    @Test
    void nodes() {
        assertNone(NodeValidation.validateCreate(node().withNewSpec().withPodCIDRs("10.244.0.0/24", "fd00::/64").endSpec().build()));
        assertMessages(NodeValidation.validateCreate(node().withNewSpec().withPodCIDRs("10.244.0.0/33").endSpec().build()),
                "spec.podCIDRs[0]: Invalid value: \"10.244.0.0/33\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
        assertMessages(NodeValidation.validateCreate(node().withNewSpec().withPodCIDRs("10.244.0.0/24", "10.245.0.0/24").endSpec().build()),
                "spec.podCIDRs: Invalid value: []string{\"10.244.0.0/24\", \"10.245.0.0/24\"}: may specify no more than one CIDR for each IP family");
        assertMessages(NodeValidation.validateCreate(node().withNewMetadata().withName("Node_1").endMetadata().build()).subList(0, 1),
                "metadata.name: Invalid value: \"Node_1\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                        + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
                        + "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
        assertMessages(NodeValidation.validateCreate(node().withNewStatus().withCapacity(new java.util.TreeMap<>(Map.of("cpu", new Quantity("-1"),
                        "pods", new Quantity("1.5")))).endStatus().build()),
                "status.capacity.cpu: Invalid value: \"-1\": must be greater than or equal to 0",
                "status.capacity.pods: Invalid value: 1500m: must be an integer");
    }

    @Test
    void nodeTaints() {
        Node n = node().withNewSpec().withTaints(
                new TaintBuilder().withKey("a").withValue("x").withEffect("NoSchedule").build(),
                new TaintBuilder().withKey("a").withValue("y").withEffect("NoSchedule").build(),
                new TaintBuilder().withKey("b").build(),
                new TaintBuilder().withKey("c").withEffect("Sometimes").build()).endSpec().build();
        assertMessages(NodeValidation.validateCreate(n),
                "metadata.taints[1]: Duplicate value: core.Taint{Key:\"a\", Value:\"y\", Effect:\"NoSchedule\", "
                        + "TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair",
                "metadata.taints[2].effect: Required value",
                "metadata.taints[3].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"");
        Node ok = node().withNewSpec().withTaints(new TaintBuilder().withKey("a").withEffect("NoSchedule").build(),
                new TaintBuilder().withKey("a").withEffect("NoExecute").build()).endSpec().build();
        assertNone(NodeValidation.validateCreate(ok));
    }

    @Test
    void nodeUpdates() {
        Node old = node().editMetadata().withResourceVersion("1").endMetadata().withNewSpec().withPodCIDRs("10.244.0.0/24")
                .withProviderID("kemu://node-1").endSpec().build();
        Node same = new NodeBuilder(old).build();
        assertNone(NodeValidation.validateUpdate(same, old));
        Node cidr = new NodeBuilder(old).editSpec().withPodCIDRs("10.244.1.0/24").withProviderID("other").endSpec().build();
        assertMessages(NodeValidation.validateUpdate(cidr, old),
                "spec.podCIDRs: Forbidden: node updates may not change podCIDR except from \"\" to valid",
                "spec.providerID: Forbidden: node updates may not change providerID except from \"\" to valid");
        Node fresh = node().editMetadata().withResourceVersion("1").endMetadata().build();
        Node assigned = new NodeBuilder(fresh).withNewSpec().withPodCIDRs("10.244.2.0/24").endSpec().build();
        assertNone(NodeValidation.validateUpdate(assigned, fresh));
        Node dupAddr = new NodeBuilder(fresh).withNewStatus().addNewAddress("1.2.3.4", "InternalIP")
                .addNewAddress("1.2.3.4", "InternalIP").endStatus().build();
        assertMessages(NodeValidation.validateUpdate(dupAddr, fresh),
                "status.addresses[1]: Duplicate value: core.NodeAddress{Type:\"InternalIP\", Address:\"1.2.3.4\"}");
    }

    static EventBuilder event() {
        return new EventBuilder().withNewMetadata().withName("e.1").withNamespace("ns").endMetadata()
                .withNewInvolvedObject().withKind("Pod").withName("p").withNamespace("ns").endInvolvedObject()
                .withReason("Started").withType("Normal");
    }

    @Test
    void legacyEvents() {
        assertNone(EventValidation.validateCreate(event().build()));
        assertMessages(EventValidation.validateCreate(event().editInvolvedObject().withNamespace("other").endInvolvedObject().build()),
                "involvedObject.namespace: Invalid value: \"other\": does not match event.namespace");
        Event clusterScoped = event().editMetadata().withNamespace("default").endMetadata()
                .editInvolvedObject().withNamespace(null).withKind("Node").endInvolvedObject().build();
        assertNone(EventValidation.validateCreate(clusterScoped));
        Event clusterScopedElsewhere = event().editInvolvedObject().withNamespace(null).endInvolvedObject().build();
        assertMessages(EventValidation.validateCreate(clusterScopedElsewhere),
                "involvedObject.namespace: Invalid value: \"\": does not match event.namespace");
    }

    @Test
    void eventsWithEventTimeNeedReportingFields() {
        Event e = event().withEventTime(new MicroTime("2024-01-01T00:00:00.000000Z")).withReason(null).build();
        assertMessages(EventValidation.validateCreate(e),
                "reportingController: Required value",
                "reportingController: Invalid value: \"\": name part must be non-empty",
                "reportingController: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', "
                        + "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
                        + "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
                "reportingInstance: Required value",
                "action: Required value",
                "reason: Required value");
        Event ok = event().withEventTime(new MicroTime("2024-01-01T00:00:00.000000Z")).withReportingComponent("kemu/kubelet")
                .withReportingInstance("node-1").withAction("Start").build();
        assertNone(EventValidation.validateCreate(ok));
        Event tooLong = new EventBuilder(ok).withAction("a".repeat(129)).withMessage("m".repeat(1025)).build();
        assertMessages(EventValidation.validateCreate(tooLong),
                "action: Invalid value: \"\": can have at most 128 characters",
                "message: Invalid value: \"\": can have at most 1024 characters");
    }

    @Test
    void genericMetaNamesArePathSegments() {
        assertMessages(EventValidation.validateGenericMeta(event().editMetadata().withName("a/b").endMetadata().build()),
                "metadata.name: Invalid value: \"a/b\": may not contain '/'");
        assertNone(EventValidation.validateGenericMeta(event().build()));
        assertMessages(EventValidation.validateCreate(event().editMetadata().withNamespace("Bad").endMetadata()
                        .editInvolvedObject().withNamespace("Bad").endInvolvedObject().build()),
                "namespace: Invalid value: \"Bad\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                        + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
                        + "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
        List<FieldError> none = EventValidation.validateUpdate(event().build(), event().build());
        assertNone(none);
    }
}
