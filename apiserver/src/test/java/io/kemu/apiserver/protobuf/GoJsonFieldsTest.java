package io.kemu.apiserver.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.kubernetes.client.proto.V1;
import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** go-json-fields.txt against the descriptors of the client-java-proto jar it was made for. */
class GoJsonFieldsTest {

    /** runtime.Unknown is the envelope KubeProtobuf reads itself; no API object has a field of that type. */
    private static final String ENVELOPE = "k8s.io.apimachinery.pkg.runtime.Unknown";

    private static final Map<String, Descriptor> MESSAGES = new HashMap<>();
    private static GoJsonFields fields;

    @BeforeAll
    static void loadEveryGeneratedFile() throws Exception {
        File jar = new File(V1.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> outers = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar)) {
            zip.stream().map(ZipEntry::getName)
                    .filter(n -> n.startsWith("io/kubernetes/client/proto/") && n.endsWith(".class") && !n.contains("$"))
                    .forEach(n -> outers.add(n.substring(0, n.length() - ".class".length()).replace('/', '.')));
        }
        for (String outer : outers) {
            FileDescriptor file = (FileDescriptor) Class.forName(outer).getMethod("getDescriptor").invoke(null);
            for (Descriptor message : file.getMessageTypes()) {
                MESSAGES.put(message.getFullName(), message);
            }
        }
        assertTrue(MESSAGES.size() > 900, "found only " + MESSAGES.size() + " messages in " + jar);
        fields = GoJsonFields.load();
    }

    @Test
    void everyListedFieldExistsAndItsFlagsFitItsType() {
        for (Map.Entry<String, Map<String, GoJsonFields.Field>> message : fields.messages().entrySet()) {
            Descriptor descriptor = MESSAGES.get(message.getKey());
            assertNotNull(descriptor, "no message " + message.getKey() + " in client-java-proto");
            for (Map.Entry<String, GoJsonFields.Field> entry : message.getValue().entrySet()) {
                FieldDescriptor field = descriptor.findFieldByName(entry.getKey());
                String where = message.getKey() + "." + entry.getKey();
                assertNotNull(field, "no field " + where);
                GoJsonFields.Field go = entry.getValue();
                if (go.inline()) {
                    assertTrue(field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isRepeated(), where);
                    assertFalse(go.pointer() || go.always(), where);
                }
                if (go.pointer()) {
                    assertFalse(field.isRepeated(), "a repeated field cannot be a pointer: " + where);
                }
            }
        }
    }

    @Test
    void everyMessageOfTheJarIsListedWithAllItsFields() {
        List<String> missing = new ArrayList<>();
        for (Descriptor message : MESSAGES.values()) {
            if (ProtoToJson.hasOwnJsonForm(message) || message.getFullName().equals(ENVELOPE)) {
                continue;
            }
            Map<String, GoJsonFields.Field> listed = fields.messages().get(message.getFullName());
            if (listed == null) {
                missing.add(message.getFullName());
                continue;
            }
            for (FieldDescriptor field : message.getFields()) {
                if (!listed.containsKey(field.getName())) {
                    missing.add(message.getFullName() + "." + field.getName());
                }
            }
        }
        assertEquals(List.of(), missing, "go-json-fields.txt is older than client-java-proto");
    }

    @Test
    void messagesWithTheirOwnJsonFormAreNotListed() {
        for (String name : fields.messages().keySet()) {
            assertFalse(ProtoToJson.hasOwnJsonForm(MESSAGES.get(name)), name);
        }
        for (String name : List.of("k8s.io.apimachinery.pkg.apis.meta.v1.Time",
                "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime", "k8s.io.apimachinery.pkg.apis.meta.v1.Duration",
                "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1", "k8s.io.apimachinery.pkg.apis.meta.v1.Verbs",
                "k8s.io.apimachinery.pkg.api.resource.Quantity", "k8s.io.apimachinery.pkg.util.intstr.IntOrString",
                "k8s.io.apimachinery.pkg.runtime.RawExtension", "k8s.io.api.authentication.v1.ExtraValue",
                "k8s.io.api.authorization.v1.ExtraValue", "k8s.io.api.certificates.v1.ExtraValue",
                "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSON",
                "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool")) {
            assertTrue(ProtoToJson.hasOwnJsonForm(MESSAGES.get(name)), name);
        }
    }

    @Test
    void knownGoShapes() {
        Map<String, GoJsonFields.Field> deploymentSpec = fields.messages().get("k8s.io.api.apps.v1.DeploymentSpec");
        assertEquals(new GoJsonFields.Field("replicas", true, false, false), deploymentSpec.get("replicas"));
        assertEquals(new GoJsonFields.Field("paused", false, false, false), deploymentSpec.get("paused"));
        Map<String, GoJsonFields.Field> probe = fields.messages().get("k8s.io.api.core.v1.Probe");
        assertTrue(probe.get("handler").inline());
        Map<String, GoJsonFields.Field> schema =
                fields.messages().get("k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps");
        assertEquals("$ref", schema.get("ref").jsonName());
        assertEquals("x-kubernetes-preserve-unknown-fields", schema.get("xKubernetesPreserveUnknownFields").jsonName());
        assertTrue(fields.messages().get("k8s.io.api.authorization.v1.SubjectAccessReviewStatus").get("allowed").always());
    }

    @Test
    void malformedLinesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> GoJsonFields.parse(List.of("a.B x:q")));
        assertThrows(IllegalArgumentException.class, () -> GoJsonFields.parse(List.of("a.B x=")));
        assertThrows(IllegalArgumentException.class, () -> GoJsonFields.parse(List.of("a.B x", "a.B y")));
        assertEquals(new GoJsonFields.Field("$ref", true, true, false),
                GoJsonFields.parse(List.of("a.B ref:pa=$ref")).messages().get("a.B").get("ref"));
    }
}
