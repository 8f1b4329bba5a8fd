package io.kemu.apiserver.protobuf;

import static io.kemu.apiserver.protobuf.Bodies.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import io.kubernetes.client.proto.Meta;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Go JSON rules on a synthetic message, one flag at a time: kemu.test.Holder has a field for each kind
 * of Go field.
 */
class ProtoToJsonTest {

    private static final Descriptor HOLDER;
    private static final Descriptor CHILD;

    static {
        FieldDescriptorProto.Type string = FieldDescriptorProto.Type.TYPE_STRING;
        FileDescriptorProto file = FileDescriptorProto.newBuilder()
                .setName("kemu/test/holder.proto")
                .setPackage("kemu.test")
                .addDependency(Meta.getDescriptor().getName())
                .addMessageType(DescriptorProto.newBuilder().setName("Child")
                        .addField(scalar("value", 1, string)))
                .addMessageType(DescriptorProto.newBuilder().setName("Holder")
                        .addField(scalar("name", 1, string))
                        .addField(scalar("count", 2, FieldDescriptorProto.Type.TYPE_INT32))
                        .addField(scalar("flag", 3, FieldDescriptorProto.Type.TYPE_BOOL))
                        .addField(scalar("items", 4, string).setLabel(FieldDescriptorProto.Label.LABEL_REPEATED))
                        .addField(message("child", 5, ".kemu.test.Child"))
                        .addField(message("ptrChild", 6, ".kemu.test.Child"))
                        .addField(message("nullChild", 7, ".kemu.test.Child"))
                        .addField(scalar("data", 8, FieldDescriptorProto.Type.TYPE_BYTES))
                        .addField(scalar("renamed", 9, string))
                        .addField(message("embedded", 10, ".kemu.test.Child"))
                        .addField(message("timeout", 11, ".k8s.io.apimachinery.pkg.apis.meta.v1.Duration"))
                        .addField(scalar("ptrName", 12, string)))
                .build();
        try {
            FileDescriptor descriptor = FileDescriptor.buildFrom(file, new FileDescriptor[] {Meta.getDescriptor()});
            HOLDER = descriptor.findMessageTypeByName("Holder");
            CHILD = descriptor.findMessageTypeByName("Child");
        } catch (DescriptorValidationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** timeout is deliberately not listed: it falls back to proto2 presence. */
    private static final GoJsonFields RULES = GoJsonFields.parse(List.of(
            "# test table",
            "kemu.test.Holder name count:p flag:a items:a child ptrChild:p nullChild:pa data:a renamed=x-renamed"
                    + " embedded:i ptrName:p",
            "kemu.test.Child value"));

    private static ObjectNode convert(GoJsonFields rules, Message message) {
        ObjectNode target = JsonNodeFactory.instance.objectNode();
        new ProtoToJson(rules).writeFields(message, target, raw -> {
            throw new AssertionError("no nested protobuf here");
        });
        return target;
    }

    private static DynamicMessage.Builder holder() {
        return DynamicMessage.newBuilder(HOLDER);
    }

    private static DynamicMessage.Builder set(DynamicMessage.Builder b, String field, Object value) {
        return b.setField(HOLDER.findFieldByName(field), value);
    }

    private static DynamicMessage child(String value) {
        return DynamicMessage.newBuilder(CHILD).setField(CHILD.findFieldByName("value"), value).build();
    }

    @Test
    void absentFieldsAreWrittenOnlyWhereGoAlwaysWritesThem() {
        assertEquals(json("""
                {"flag":false,"items":null,"child":{},"nullChild":null,"data":null}"""),
                convert(RULES, holder().build()));
    }

    @Test
    void presentZeroValuesAreDroppedOnlyForNonPointerOmitemptyFields() {
        DynamicMessage.Builder b = holder();
        set(b, "name", "");
        set(b, "count", 0);
        set(b, "flag", false);
        set(b, "data", ByteString.EMPTY);
        set(b, "renamed", "");
        set(b, "ptrName", "");

        assertEquals(json("""
                {"count":0,"flag":false,"items":null,"child":{},"nullChild":null,"data":"","ptrName":""}"""),
                convert(RULES, b.build()));
    }

    @Test
    void valuesRenamesInlineFieldsAndDurations() {
        DynamicMessage.Builder b = holder();
        set(b, "name", "n");
        b.addRepeatedField(HOLDER.findFieldByName("items"), "a");
        b.addRepeatedField(HOLDER.findFieldByName("items"), "");
        set(b, "ptrChild", child("p"));
        set(b, "nullChild", child(""));
        set(b, "data", ByteString.copyFromUtf8("hi"));
        set(b, "renamed", "r");
        set(b, "embedded", child("e"));
        set(b, "timeout", Meta.Duration.newBuilder().setDuration(90_000_000_000L).build());

        assertEquals(json("""
                {"name":"n","flag":false,"items":["a",""],"child":{},"ptrChild":{"value":"p"},"nullChild":{},
                 "data":"aGk=","x-renamed":"r","value":"e","timeout":"1m30s"}"""),
                convert(RULES, b.build()));
    }

    @Test
    void messagesUnknownToTheTableFollowProto2Presence() {
        GoJsonFields none = GoJsonFields.parse(List.of());
        DynamicMessage.Builder b = holder();
        set(b, "name", "");
        set(b, "count", 0);
        set(b, "data", ByteString.EMPTY);
        set(b, "embedded", child("e"));

        assertEquals(json("""
                {"name":"","count":0,"data":"","embedded":{"value":"e"}}"""),
                convert(none, b.build()));
        assertEquals(json("{}"), convert(none, holder().build()));
    }

    private static FieldDescriptorProto.Builder scalar(String name, int number, FieldDescriptorProto.Type type) {
        return FieldDescriptorProto.newBuilder()
                .setName(name).setNumber(number).setType(type).setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL);
    }

    private static FieldDescriptorProto.Builder message(String name, int number, String typeName) {
        return scalar(name, number, FieldDescriptorProto.Type.TYPE_MESSAGE).setTypeName(typeName);
    }
}
