package io.kemu.apiserver.protobuf;

import static io.kemu.apiserver.protobuf.Bodies.wrap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.kemu.apiserver.protobuf.ProtobufDecodingException.Reason;
import io.kubernetes.client.proto.IntStr;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Resource;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Bodies that cannot be decoded: each must fail with the right reason and a message that says why. */
class KubeProtobufErrorsTest {

    private static final V1.Namespace NAMESPACE = V1.Namespace.newBuilder()
            .setMetadata(Meta.ObjectMeta.newBuilder().setName("foo"))
            .build();

    private static ProtobufDecodingException failure(byte[] body, Reason reason, String messagePart) {
        ProtobufDecodingException e = assertThrows(ProtobufDecodingException.class, () -> KubeProtobuf.decode(body));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
        return e;
    }

    @Test
    void jsonBodyHasNoMagicPrefix() {
        ProtobufDecodingException e = failure("{\"kind\":\"Namespace\",\"apiVersion\":\"v1\"}".getBytes(StandardCharsets.UTF_8),
                Reason.NOT_PROTOBUF, "expected prefix [107, 56, 115, 0]");
        assertEquals(400, e.httpStatus());
    }

    @Test
    void emptyBodiesAreRefused() {
        failure(new byte[0], Reason.MALFORMED, "empty body");
        failure(new byte[] {'k', '8', 's', 0}, Reason.MALFORMED, "empty body");
        assertEquals(Reason.MALFORMED,
                assertThrows(ProtobufDecodingException.class, () -> KubeProtobuf.decode(null)).reason());
    }

    @Test
    void otherEncodingStyleByteIsNotProtobuf() {
        byte[] body = wrap("v1", "Namespace", NAMESPACE);
        body[3] = 1;
        failure(body, Reason.NOT_PROTOBUF, "does not appear to be a protobuf message");
    }

    @Test
    void garbageAfterThePrefixIsAMalformedEnvelope() {
        // field 1 (typeMeta) announces 16 bytes, then the body ends
        failure(Bodies.prefixed(new byte[] {0x0a, 0x10, 0x01}), Reason.MALFORMED, "malformed runtime.Unknown envelope");
        failure(Bodies.prefixed(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}), Reason.MALFORMED,
                "malformed runtime.Unknown envelope");
    }

    @Test
    void envelopeWithoutKindOrApiVersion() {
        failure(wrap("v1", "", NAMESPACE), Reason.MALFORMED, "'Kind' is missing");
        failure(wrap("", "Namespace", NAMESPACE), Reason.MALFORMED, "'apiVersion' is missing");
    }

    @Test
    void unknownKindsAndGroups() {
        failure(wrap("v1", "Frobnicator", NAMESPACE), Reason.UNKNOWN_KIND, "no kind \"Frobnicator\" is known for version \"v1\"");
        failure(wrap("example.com/v1", "Widget", NAMESPACE), Reason.UNKNOWN_KIND, "example.com/v1");
        // a custom group must not land on the built-in group with the same first label
        failure(wrap("apps.example.com/v1", "Deployment", NAMESPACE), Reason.UNKNOWN_KIND, "apps.example.com/v1");
        failure(wrap("apps/v7", "Deployment", NAMESPACE), Reason.UNKNOWN_KIND, "apps/v7");
        failure(wrap("v1", "namespace", NAMESPACE), Reason.UNKNOWN_KIND, "\"namespace\"");
        failure(wrap("apps/v1/x", "Deployment", NAMESPACE), Reason.UNKNOWN_KIND, "apps/v1/x");
    }

    @Test
    void contentEncodingAndContentTypeThatCannotBeHandled() {
        ProtobufDecodingException e = failure(wrap("v1", "Namespace", NAMESPACE.toByteString(), "gzip", ""),
                Reason.UNSUPPORTED_ENCODING, "contentEncoding \"gzip\"");
        assertEquals(415, e.httpStatus());
        failure(wrap("v1", "Namespace", ByteString.copyFromUtf8("{}"), "", "application/json"),
                Reason.UNSUPPORTED_ENCODING, "contentType \"application/json\"");
    }

    @Test
    void rawBytesThatAreNotTheObject() {
        // field 1 (metadata) announces 5 bytes, one follows
        failure(wrap("v1", "Namespace", ByteString.copyFrom(new byte[] {0x0a, 0x05, 'a'}), "", ""),
                Reason.MALFORMED, "cannot parse Namespace (v1)");
    }

    @Test
    void quantityGoCannotParse() {
        V1.ResourceQuota quota = V1.ResourceQuota.newBuilder()
                .setSpec(V1.ResourceQuotaSpec.newBuilder()
                        .putHard("cpu", Resource.Quantity.newBuilder().setString("lots").build()))
                .build();
        failure(wrap("v1", "ResourceQuota", quota), Reason.MALFORMED, "at spec.hard[cpu]: quantities must match");

        V1.ResourceQuota empty = V1.ResourceQuota.newBuilder()
                .setSpec(V1.ResourceQuotaSpec.newBuilder()
                        .putHard("pods", Resource.Quantity.newBuilder().setString("").build()))
                .build();
        failure(wrap("v1", "ResourceQuota", empty), Reason.MALFORMED, "spec.hard[pods]");
    }

    @Test
    void intOrStringOfAnImpossibleType() {
        V1.Service service = V1.Service.newBuilder()
                .setSpec(V1.ServiceSpec.newBuilder().addPorts(V1.ServicePort.newBuilder()
                        .setPort(80)
                        .setTargetPort(IntStr.IntOrString.newBuilder().setType(2).setIntVal(8080))))
                .build();
        failure(wrap("v1", "Service", service), Reason.MALFORMED, "at spec.ports[0].targetPort: impossible IntOrString.Type 2");
    }

    @Test
    void rawExtensionThatIsNeitherJsonNorProtobuf() {
        failure(controllerRevision(new byte[] {(byte) 0xd9, (byte) 0xd9, (byte) 0xf7, (byte) 0xa0}),
                Reason.UNSUPPORTED_ENCODING, "at data: RawExtension holds neither JSON nor Kubernetes protobuf");
        failure(controllerRevision("{\"spec\":".getBytes(StandardCharsets.UTF_8)),
                Reason.MALFORMED, "at data: RawExtension does not hold valid JSON");
        failure(controllerRevision("{} {}".getBytes(StandardCharsets.UTF_8)),
                Reason.MALFORMED, "at data: RawExtension does not hold valid JSON");
    }

    @Test
    void embeddedProtobufThatCannotBeDecodedFailsTheWhole() {
        byte[] inner = wrap("v1", "Frobnicator", NAMESPACE);
        failure(controllerRevision(inner), Reason.UNKNOWN_KIND, "at data: embedded object: no kind \"Frobnicator\"");
    }

    @Test
    void embeddedObjectsCannotNestWithoutBound() {
        byte[] body = wrap("v1", "Namespace", NAMESPACE);
        for (int i = 0; i <= KubeProtobuf.MAX_NESTING; i++) {
            body = wrap("v1", "WatchEvent", Meta.WatchEvent.newBuilder()
                    .setType("ADDED")
                    .setObject(Runtime.RawExtension.newBuilder().setRaw(ByteString.copyFrom(body)))
                    .build());
        }
        failure(body, Reason.MALFORMED, "nest deeper than " + KubeProtobuf.MAX_NESTING);
    }

    @Test
    void nestingWithinTheBoundIsFine() {
        byte[] body = wrap("v1", "Namespace", NAMESPACE);
        for (int i = 0; i < KubeProtobuf.MAX_NESTING; i++) {
            body = wrap("v1", "WatchEvent", Meta.WatchEvent.newBuilder()
                    .setType("ADDED")
                    .setObject(Runtime.RawExtension.newBuilder().setRaw(ByteString.copyFrom(body)))
                    .build());
        }
        assertEquals("WatchEvent", KubeProtobuf.decode(body).get("kind").textValue());
    }

    private static byte[] controllerRevision(byte[] raw) {
        return wrap("apps/v1", "ControllerRevision", V1Apps.ControllerRevision.newBuilder()
                .setData(Runtime.RawExtension.newBuilder().setRaw(ByteString.copyFrom(raw)))
                .setRevision(1)
                .build());
    }
}
