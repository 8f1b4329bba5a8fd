package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.Errors.assertMessages;
import static io.kemu.apiserver.validation.Errors.assertNone;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mirrors apimachinery pkg/api/validation/objectmeta_test.go. */
class ObjectMetaValidationTest {
    static final FieldPath META = FieldPath.root("metadata");
    static final NameValidation.NameValidator SUBDOMAIN = NameValidation::nameIsDNSSubdomain;

    static ObjectMeta meta() {
        return new ObjectMetaBuilder().withName("test").withNamespace("ns").build();
    }

    @Test
    void validMetaPasses() {
        assertNone(ObjectMetaValidation.validateObjectMeta(meta(), true, SUBDOMAIN, META));
    }

    @Test
    void nameOrGenerateNameRequired() {
        ObjectMeta m = new ObjectMetaBuilder().withNamespace("ns").build();
        assertMessages(ObjectMetaValidation.validateObjectMeta(m, true, SUBDOMAIN, META),
                "metadata.name: Required value: name or generateName is required");
    }

    @Test
    void invalidGenerateName() {
        ObjectMeta m = new ObjectMetaBuilder().withName("ok").withGenerateName("Bad-").withNamespace("ns").build();
        assertMessages(ObjectMetaValidation.validateObjectMeta(m, true, SUBDOMAIN, META),
                "metadata.generateName: Invalid value: \"Bad-\": a lowercase RFC 1123 subdomain must consist of lower case "
                        + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
                        + "'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
    }

    @Test
    void namespaceRequiredOrForbidden() {
        ObjectMeta noNs = new ObjectMetaBuilder().withName("n").build();
        assertMessages(ObjectMetaValidation.validateObjectMeta(noNs, true, SUBDOMAIN, META), "metadata.namespace: Required value");
        assertMessages(ObjectMetaValidation.validateObjectMeta(meta(), false, SUBDOMAIN, META),
                "metadata.namespace: Forbidden: not allowed on this type");
        assertNone(ObjectMetaValidation.validateObjectMeta(noNs, false, SUBDOMAIN, META));
        ObjectMeta badNs = new ObjectMetaBuilder().withName("n").withNamespace("a.b").build();
        assertMessages(ObjectMetaValidation.validateObjectMeta(badNs, true, SUBDOMAIN, META),
                "metadata.namespace: Invalid value: \"a.b\": must not contain dots");
    }

    @Test
    void negativeGeneration() {
        ObjectMeta m = meta();
        m.setGeneration(-1L);
        assertMessages(ObjectMetaValidation.validateObjectMeta(m, true, SUBDOMAIN, META),
                "metadata.generation: Invalid value: -1: must be greater than or equal to 0");
    }

    @Test
    void labelsAreReportedOnTheMapPath() {
        ObjectMeta m = meta();
        m.setLabels(Map.of("app", "-bad"));
        assertMessages(ObjectMetaValidation.validateObjectMeta(m, true, SUBDOMAIN, META),
                "metadata.labels: Invalid value: \"-bad\": a valid label must be an empty string or consist of alphanumeric "
                        + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
                        + "'MyValue',  or 'my_value',  or '12345', regex used for validation is "
                        + "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
        m.setLabels(Map.of("a/b/c", "ok"));
        assertMessages(ObjectMetaValidation.validateObjectMeta(m, true, SUBDOMAIN, META),
                "metadata.labels: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, "
                        + "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or "
                        + "'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') "
                        + "with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
    }

    @Test
    void annotationKeysAreCaseInsensitiveAndSizeIsCapped() {
        ObjectMeta m = meta();
        m.setAnnotations(Map.of("Example.COM/Key", "v"));
        assertNone(ObjectMetaValidation.validateObjectMeta(m, true, SUBDOMAIN, META));
        m.setAnnotations(Map.of("a", "x".repeat(256 * 1024)));
        assertMessages(ObjectMetaValidation.validateObjectMeta(m, true, SUBDOMAIN, META),
                "metadata.annotations: Too long: may not be more than 262144 bytes");
        m.setAnnotations(Map.of("a", "x".repeat(256 * 1024 - 1)));
        assertNone(ObjectMetaValidation.validateObjectMeta(m, true, SUBDOMAIN, META));
    }

    @Test
    void ownerReferences() {
        ObjectMeta m = meta();
        m.setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("").withKind("").withName("").withUid("").build()));
        assertMessages(ObjectMetaValidation.validateObjectMeta(m, true, SUBDOMAIN, META),
                "metadata.ownerReferences.apiVersion: Invalid value: \"\": version must not be empty",
                "metadata.ownerReferences.kind: Invalid value: \"\": kind must not be empty",
                "metadata.ownerReferences.name: Invalid value: \"\": name must not be empty",
                "metadata.ownerReferences.uid: Invalid value: \"\": uid must not be empty");
        m.setOwnerReferences(List.of(
                new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet").withName("a").withUid("1").withController(true).build(),
                new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet").withName("b").withUid("2").withController(true).build()));
        List<FieldError> errs = ObjectMetaValidation.validateObjectMeta(m, true, SUBDOMAIN, META);
        org.junit.jupiter.api.Assertions.assertEquals(1, errs.size());
        org.junit.jupiter.api.Assertions.assertTrue(errs.get(0).message().endsWith(
                ": Only one reference can have Controller set to true. Found \"true\" in references for ReplicaSet/a and ReplicaSet/b"));
        m.setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Event").withName("e").withUid("1").build()));
        errs = ObjectMetaValidation.validateObjectMeta(m, true, SUBDOMAIN, META);
        org.junit.jupiter.api.Assertions.assertTrue(errs.get(0).message().endsWith(": /v1, Kind=Event is disallowed from being an owner"),
                errs.get(0).message());
    }

    @Test
    void finalizers() {
        ObjectMeta m = meta();
        m.setFinalizers(List.of("example.com/ok", "kubernetes", "foregroundDeletion"));
        assertNone(ObjectMetaValidation.validateObjectMeta(m, true, SUBDOMAIN, META));
        m.setFinalizers(List.of("custom"));
        assertMessages(ObjectMetaValidation.validateObjectMeta(m, true, SUBDOMAIN, META),
                "metadata.finalizers[0]: Invalid value: \"custom\": name is neither a standard finalizer name nor is it fully qualified");
        m.setFinalizers(List.of("orphan", "foregroundDeletion"));
        assertMessages(ObjectMetaValidation.validateObjectMeta(m, true, SUBDOMAIN, META),
                "metadata.finalizers: Invalid value: []string{\"orphan\", \"foregroundDeletion\"}: finalizer orphan and foregroundDeletion cannot be both set");
    }

    @Test
    void updateRules() {
        ObjectMeta old = new ObjectMetaBuilder().withName("a").withNamespace("ns").withUid("u1").withResourceVersion("1")
                .withGeneration(2L).withCreationTimestamp("2024-01-02T03:04:05Z").build();
        ObjectMeta same = new ObjectMetaBuilder(old).build();
        assertNone(ObjectMetaValidation.validateObjectMetaUpdate(same, old, META));

        ObjectMeta changed = new ObjectMetaBuilder(old).withName("b").withNamespace("other").withUid("u2")
                .withResourceVersion("").withGeneration(1L).withCreationTimestamp("2025-01-02T03:04:05Z").build();
        assertMessages(ObjectMetaValidation.validateObjectMetaUpdate(changed, old, META),
                "metadata.resourceVersion: Invalid value: \"\": must be specified for an update",
                "metadata.generation: Invalid value: 1: must not be decremented",
                "metadata.name: Invalid value: \"b\": field is immutable",
                "metadata.namespace: Invalid value: \"other\": field is immutable",
                "metadata.uid: Invalid value: \"u2\": field is immutable",
                "metadata.creationTimestamp: Invalid value: 2025-01-02 03:04:05 +0000 UTC: field is immutable");

        ObjectMeta deleting = new ObjectMetaBuilder(old).withDeletionTimestamp("2024-05-01T00:00:00Z")
                .withFinalizers("example.com/a").build();
        ObjectMeta addFinalizer = new ObjectMetaBuilder(deleting).withFinalizers("example.com/a", "example.com/b").build();
        assertMessages(ObjectMetaValidation.validateObjectMetaUpdate(addFinalizer, deleting, META),
                "metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new "
                        + "finalizers []string{\"example.com/b\"}");
        ObjectMeta undelete = new ObjectMetaBuilder(deleting).withDeletionTimestamp(null).build();
        assertMessages(ObjectMetaValidation.validateObjectMetaUpdate(undelete, deleting, META),
                "metadata.deletionTimestamp: Invalid value: \"null\": field is immutable");
    }
}
