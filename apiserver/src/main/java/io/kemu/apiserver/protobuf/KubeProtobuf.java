package io.kemu.apiserver.protobuf;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.kemu.apiserver.protobuf.ProtobufDecodingException.Reason;
import io.kubernetes.client.proto.Runtime;
import java.util.Arrays;
import java.util.Locale;

/**
 * Turns a request body in Kubernetes protobuf ({@code application/vnd.kubernetes.protobuf}) into the
 * Kubernetes JSON of the same object.
 *
 * <p>The wire form (apimachinery {@code runtime/serializer/protobuf}) is the magic prefix {@code k8s\0}
 * followed by a {@code runtime.Unknown}: typeMeta {apiVersion, kind}, raw (the object's message),
 * contentEncoding and contentType. The object message is looked up from apiVersion and kind among the
 * generated classes of client-java-proto and rendered as Go's encoding/json would write the object, so
 * the result equals what a Go client (kubectl) sends when it speaks JSON.
 */
public final class KubeProtobuf {

    /** The media type of Kubernetes protobuf. */
    public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

    /** The 4-byte prefix of every Kubernetes protobuf body: "k8s" and encoding style 0 (runtime.Unknown). */
    static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};

    private static final Descriptor UNKNOWN = Runtime.Unknown.getDescriptor();
    private static final Descriptor TYPE_META = Runtime.TypeMeta.getDescriptor();

    private static final KindRegistry KINDS = new KindRegistry();
    private static final ProtoToJson CONVERTER = new ProtoToJson(GoJsonFields.load());

    /** How deep RawExtensions holding Kubernetes protobuf may nest inside each other. */
    static final int MAX_NESTING = 16;

    private KubeProtobuf() {}

    /** Whether a Content-Type header value names Kubernetes protobuf (parameters and case ignored). */
    public static boolean isProtobufMediaType(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return mediaType.toLowerCase(Locale.ROOT).equals(MEDIA_TYPE);
    }

    /** Whether the body starts with the Kubernetes protobuf magic prefix. */
    public static boolean hasMagicPrefix(byte[] body) {
        return body != null && body.length >= MAGIC.length
                && Arrays.equals(body, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /**
     * Decodes a Kubernetes protobuf body into the object's JSON, with {@code kind} and {@code apiVersion}
     * taken from the envelope.
     *
     * @throws ProtobufDecodingException if the body is not Kubernetes protobuf, is malformed, names a kind
     *     that is not known, or announces an encoding of the object that cannot be handled
     */
    public static ObjectNode decode(byte[] body) {
        return decode(body, null, null);
    }

    /**
     * Like {@link #decode(byte[])}, but an envelope without kind or apiVersion takes them from the
     * defaults (the kind the endpoint expects), as the Kubernetes API server does. A default apiVersion
     * is only used when the envelope has no apiVersion.
     *
     * @param defaultApiVersion apiVersion to use if the envelope has none, or null
     * @param defaultKind kind to use if the envelope has none, or null
     */
    public static ObjectNode decode(byte[] body, String defaultApiVersion, String defaultKind) {
        return decode(body, defaultApiVersion, defaultKind, 0);
    }

    private static ObjectNode decode(byte[] body, String defaultApiVersion, String defaultKind, int nesting) {
        if (nesting > MAX_NESTING) {
            throw new ProtobufDecodingException(Reason.MALFORMED,
                    "embedded objects nest deeper than " + MAX_NESTING + " levels");
        }
        if (body == null || body.length == 0) {
            throw new ProtobufDecodingException(Reason.MALFORMED, "empty body");
        }
        if (!hasMagicPrefix(body)) {
            throw new ProtobufDecodingException(Reason.NOT_PROTOBUF,
                    "provided data does not appear to be a protobuf message, expected prefix "
                            + Arrays.toString(MAGIC));
        }
        if (body.length == MAGIC.length) {
            throw new ProtobufDecodingException(Reason.MALFORMED, "empty body");
        }
        Envelope unknown = Envelope.parse(body, MAGIC.length);
        String kind = unknown.kind();
        String apiVersion = unknown.apiVersion();
        if (kind.isEmpty() && defaultKind != null) {
            kind = defaultKind;
        }
        if (apiVersion.isEmpty() && defaultApiVersion != null) {
            apiVersion = defaultApiVersion;
        }
        if (kind.isEmpty()) {
            throw new ProtobufDecodingException(Reason.MALFORMED, "Object 'Kind' is missing in the protobuf envelope");
        }
        if (apiVersion.isEmpty()) {
            throw new ProtobufDecodingException(Reason.MALFORMED,
                    "Object 'apiVersion' is missing in the protobuf envelope");
        }
        if (!unknown.contentEncoding().isEmpty()) {
            throw new ProtobufDecodingException(Reason.UNSUPPORTED_ENCODING,
                    "unsupported contentEncoding \"" + unknown.contentEncoding() + "\" in the protobuf envelope");
        }
        String contentType = unknown.contentType();
        if (!contentType.isEmpty() && !isProtobufMediaType(contentType)) {
            throw new ProtobufDecodingException(Reason.UNSUPPORTED_ENCODING,
                    "unsupported contentType \"" + contentType + "\" in the protobuf envelope");
        }

        String gvk = kind + " (" + apiVersion + ")";
        String missing = "no kind \"" + kind + "\" is known for version \"" + apiVersion + "\" in protobuf";
        KindRegistry.MessageType type = KINDS.lookup(apiVersion, kind)
                .orElseThrow(() -> new ProtobufDecodingException(Reason.UNKNOWN_KIND, missing));
        Message object;
        try {
            object = type.parser().parseFrom(unknown.raw());
        } catch (InvalidProtocolBufferException e) {
            throw new ProtobufDecodingException(Reason.MALFORMED, "cannot parse " + gvk + ": " + e.getMessage(), e);
        }

        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("kind", kind);
        json.put("apiVersion", apiVersion);
        try {
            CONVERTER.writeFields(object, json, raw -> decode(raw, null, null, nesting + 1));
        } catch (ProtoToJson.ConversionException e) {
            throw new ProtobufDecodingException(e.reason(),
                    "cannot convert " + gvk + " at " + e.path() + ": " + e.getMessage(), e);
        }
        return json;
    }

    /** The runtime.Unknown envelope, parsed with DynamicMessage (see {@link KindRegistry.MessageType}). */
    private record Envelope(String apiVersion, String kind, ByteString raw, String contentEncoding,
            String contentType) {

        static Envelope parse(byte[] body, int offset) {
            DynamicMessage unknown;
            try {
                unknown = DynamicMessage.getDefaultInstance(UNKNOWN).getParserForType()
                        .parseFrom(body, offset, body.length - offset);
            } catch (InvalidProtocolBufferException e) {
                throw new ProtobufDecodingException(Reason.MALFORMED,
                        "malformed runtime.Unknown envelope: " + e.getMessage(), e);
            }
            Message typeMeta = (Message) unknown.getField(UNKNOWN.findFieldByName("typeMeta"));
            return new Envelope(
                    (String) typeMeta.getField(TYPE_META.findFieldByName("apiVersion")),
                    (String) typeMeta.getField(TYPE_META.findFieldByName("kind")),
                    (ByteString) unknown.getField(UNKNOWN.findFieldByName("raw")),
                    (String) unknown.getField(UNKNOWN.findFieldByName("contentEncoding")),
                    (String) unknown.getField(UNKNOWN.findFieldByName("contentType")));
        }
    }
}
