package io.kemu.apiserver.protobuf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.kemu.apiserver.protobuf.ProtobufDecodingException.Reason;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Renders a Kubernetes protobuf message as the JSON Go's encoding/json writes for the same object, walking
 * the message with its descriptors.
 *
 * <p>Which fields appear follows Go, not proto2 presence alone: Go's protobuf marshaller writes every
 * non-pointer field, empty or not, while its JSON encoder drops the zero ones tagged omitempty. So for
 * each field {@link GoJsonFields} says whether the Go field is a pointer, has omitempty, is embedded
 * inline or has another JSON name:
 * <ul>
 *   <li>a present scalar is written unless it is zero on a non-pointer omitempty field;
 *   <li>an absent field is skipped, except that a non-pointer struct is written as its zero value
 *       (Go never omits structs) and a field without omitempty is written as null (pointer, slice, map,
 *       bytes) or as its zero value (scalar);
 *   <li>lists and maps are written when not empty;
 *   <li>an inline field's object is merged into its parent.
 * </ul>
 * Fields of messages not listed there follow proto2 presence. Types with a hand-written Go JSON form are
 * special-cased by message full name: Time, MicroTime, Duration, Quantity, IntOrString, RawExtension,
 * FieldsV1, Verbs/ExtraValue and the apiextensions JSON and JSONSchemaPropsOr* types.
 *
 * <p>Instances are thread-safe.
 */
final class ProtoToJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    /** Parses the JSON held by RawExtension, FieldsV1 and apiextensions JSON, keeping numbers exact. */
    private static final ObjectMapper RAW_JSON = JsonMapper.builder()
            .nodeFactory(NODES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The syntax Go's resource.ParseQuantity demands, as its error message states it. */
    private static final Pattern QUANTITY = Pattern.compile("^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$");

    private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";
    private static final String APIEXTENSIONS = "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.";

    private enum Special {
        NONE, TIME, MICRO_TIME, DURATION, QUANTITY, INT_OR_STRING, RAW_EXTENSION, FIELDS_V1, STRING_LIST,
        APIEXT_JSON, SCHEMA_OR_BOOL, SCHEMA_OR_ARRAY, SCHEMA_OR_STRING_ARRAY
    }

    private final GoJsonFields goFields;
    private final ConcurrentHashMap<Descriptor, Special> specials = new ConcurrentHashMap<>();

    ProtoToJson(GoJsonFields goFields) {
        this.goFields = goFields;
    }

    /**
     * Writes the fields of message into target.
     *
     * @param nestedDecoder decodes a RawExtension that holds a whole Kubernetes protobuf body
     *     (k8s\0 + runtime.Unknown)
     * @throws ConversionException if a value has no JSON form
     */
    void writeFields(Message message, ObjectNode target, Function<byte[], ObjectNode> nestedDecoder) {
        new Walk(nestedDecoder).fields(message, target);
    }

    /** A failure somewhere inside the message; the path is collected while unwinding. */
    static final class ConversionException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final Reason reason;
        private final Deque<String> path = new ArrayDeque<>();

        ConversionException(Reason reason, String message, Throwable cause) {
            super(message, cause);
            this.reason = reason;
        }

        ConversionException(Reason reason, String message) {
            this(reason, message, null);
        }

        Reason reason() {
            return reason;
        }

        String path() {
            StringBuilder b = new StringBuilder();
            for (String segment : path) {
                if (b.length() > 0 && !segment.startsWith("[")) {
                    b.append('.');
                }
                b.append(segment);
            }
            return b.toString();
        }

        ConversionException at(String segment) {
            path.addFirst(segment);
            return this;
        }
    }

    private final class Walk {

        private final Function<byte[], ObjectNode> nestedDecoder;

        Walk(Function<byte[], ObjectNode> nestedDecoder) {
            this.nestedDecoder = nestedDecoder;
        }

        void fields(Message message, ObjectNode target) {
            Descriptor type = message.getDescriptorForType();
            List<FieldDescriptor> fields = type.getFields();
            GoJsonFields.Field[] go = goFields.fieldsOf(type);
            for (int i = 0; i < fields.size(); i++) {
                FieldDescriptor field = fields.get(i);
                GoJsonFields.Field goField = i < go.length ? go[i] : null;
                String name = goField == null ? field.getName() : goField.jsonName();
                try {
                    field(message, field, goField, name, target);
                } catch (ConversionException e) {
                    throw e.at(name);
                }
            }
        }

        private void field(Message message, FieldDescriptor field, GoJsonFields.Field go, String name,
                ObjectNode target) {
            if (go != null && go.inline() && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                    && !field.isRepeated()) {
                JsonNode embedded = value(field, message.getField(field)); // the default instance if absent
                if (embedded instanceof ObjectNode object) {
                    target.setAll(object);
                }
                return;
            }
            if (field.isRepeated()) {
                int count = message.getRepeatedFieldCount(field);
                if (count > 0) {
                    target.set(name, field.isMapField() ? map(message, field, count) : list(message, field, count));
                } else if (go != null && go.always()) {
                    target.putNull(name);
                }
                return;
            }
            boolean scalar = field.getJavaType() != FieldDescriptor.JavaType.MESSAGE;
            if (message.hasField(field)) {
                Object value = message.getField(field);
                if (scalar && go != null && !go.pointer() && !go.always() && isZero(field, value)) {
                    return; // Go: omitempty drops the zero value of a non-pointer field
                }
                target.set(name, value(field, value));
                return;
            }
            if (go == null) {
                return; // unknown to the Go table: proto2 presence decides
            }
            if (go.pointer() || (scalar && field.getType() == FieldDescriptor.Type.BYTES)) {
                if (go.always()) {
                    target.putNull(name); // nil pointer or nil []byte without omitempty
                }
            } else if (!scalar) {
                target.set(name, value(field, message.getField(field))); // Go writes a zero struct
            } else if (go.always()) {
                target.set(name, value(field, message.getField(field))); // zero scalar without omitempty
            }
        }

        private ArrayNode list(Message message, FieldDescriptor field, int count) {
            ArrayNode array = NODES.arrayNode(count);
            for (int i = 0; i < count; i++) {
                try {
                    array.add(value(field, message.getRepeatedField(field, i)));
                } catch (ConversionException e) {
                    throw e.at("[" + i + "]");
                }
            }
            return array;
        }

        private ObjectNode map(Message message, FieldDescriptor field, int count) {
            FieldDescriptor keyField = field.getMessageType().findFieldByNumber(1);
            FieldDescriptor valueField = field.getMessageType().findFieldByNumber(2);
            TreeMap<String, JsonNode> entries = new TreeMap<>(); // Go writes map keys sorted
            for (int i = 0; i < count; i++) {
                Message entry = (Message) message.getRepeatedField(field, i);
                String key = String.valueOf(entry.getField(keyField));
                try {
                    entries.put(key, value(valueField, entry.getField(valueField)));
                } catch (ConversionException e) {
                    throw e.at("[" + key + "]");
                }
            }
            ObjectNode object = NODES.objectNode();
            object.setAll(entries);
            return object;
        }

        /** One value of the field: a message, or a scalar as Go's JSON writes it. */
        private JsonNode value(FieldDescriptor field, Object value) {
            switch (field.getType()) {
                case MESSAGE:
                case GROUP:
                    return message((Message) value);
                case STRING:
                    return NODES.textNode((String) value);
                case BYTES:
                    return NODES.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
                case BOOL:
                    return NODES.booleanNode((Boolean) value);
                case INT32:
                case SINT32:
                case SFIXED32:
                    return NODES.numberNode((Integer) value);
                case UINT32:
                case FIXED32:
                    return integer(Integer.toUnsignedLong((Integer) value));
                case INT64:
                case SINT64:
                case SFIXED64:
                    return integer((Long) value);
                case UINT64:
                case FIXED64: {
                    long v = (Long) value;
                    return v >= 0 ? integer(v) : NODES.numberNode(new BigInteger(Long.toUnsignedString(v)));
                }
                case DOUBLE:
                case FLOAT:
                    return floating(((Number) value).doubleValue());
                case ENUM:
                    return NODES.textNode(((EnumValueDescriptor) value).getName());
                default:
                    throw new ConversionException(Reason.MALFORMED, "unsupported field type " + field.getType());
            }
        }

        private JsonNode message(Message m) {
            switch (special(m.getDescriptorForType())) {
                case TIME:
                    return time(m, false);
                case MICRO_TIME:
                    return time(m, true);
                case DURATION:
                    return NODES.textNode(GoFormats.duration(longField(m, "duration")));
                case QUANTITY:
                    return quantity(m);
                case INT_OR_STRING:
                    return intOrString(m);
                case RAW_EXTENSION:
                    return rawExtension(bytesField(m, "raw"));
                case FIELDS_V1: {
                    ByteString raw = bytesField(m, "Raw");
                    return raw == null ? NODES.nullNode() : rawJson(raw, "FieldsV1");
                }
                case STRING_LIST: {
                    FieldDescriptor items = m.getDescriptorForType().findFieldByName("items");
                    return list(m, items, m.getRepeatedFieldCount(items));
                }
                case APIEXT_JSON: {
                    ByteString raw = bytesField(m, "raw");
                    return raw == null || raw.isEmpty() ? NODES.nullNode() : rawJson(raw, "JSON");
                }
                case SCHEMA_OR_BOOL: {
                    Message schema = messageField(m, "schema");
                    if (schema != null) {
                        return message(schema);
                    }
                    FieldDescriptor allows = m.getDescriptorForType().findFieldByName("allows");
                    return NODES.booleanNode((Boolean) m.getField(allows));
                }
                case SCHEMA_OR_ARRAY: {
                    FieldDescriptor schemas = m.getDescriptorForType().findFieldByName("jSONSchemas");
                    int count = m.getRepeatedFieldCount(schemas);
                    if (count > 0) {
                        return list(m, schemas, count);
                    }
                    Message schema = messageField(m, "schema");
                    return schema == null ? NODES.nullNode() : message(schema);
                }
                case SCHEMA_OR_STRING_ARRAY: {
                    FieldDescriptor property = m.getDescriptorForType().findFieldByName("property");
                    int count = m.getRepeatedFieldCount(property);
                    if (count > 0) {
                        return list(m, property, count);
                    }
                    Message schema = messageField(m, "schema");
                    return schema == null ? NODES.nullNode() : message(schema);
                }
                default: {
                    ObjectNode object = NODES.objectNode();
                    fields(m, object);
                    return object;
                }
            }
        }

        /** metav1.Time / MicroTime: an empty message is Go's zero time, written as null. */
        private JsonNode time(Message m, boolean micro) {
            if (m.getAllFields().isEmpty()) {
                return NODES.nullNode();
            }
            long seconds = longField(m, "seconds");
            // metav1.Time drops the nanoseconds when decoding; MicroTime truncates them to microseconds.
            long nanos = micro ? intField(m, "nanos") : 0;
            nanos -= nanos % 1000;
            seconds = Math.addExact(seconds, Math.floorDiv(nanos, 1_000_000_000L));
            nanos = Math.floorMod(nanos, 1_000_000_000L);
            if (seconds == GoFormats.GO_ZERO_TIME_SECONDS && nanos == 0) {
                return NODES.nullNode();
            }
            try {
                return NODES.textNode(GoFormats.rfc3339(seconds, (int) nanos, micro));
            } catch (DateTimeException e) {
                throw new ConversionException(Reason.MALFORMED, "time out of range: " + seconds + "s", e);
            }
        }

        /** resource.Quantity: its canonical string, as Go's ParseQuantity accepted it; absent means 0. */
        private JsonNode quantity(Message m) {
            FieldDescriptor string = m.getDescriptorForType().findFieldByName("string");
            if (!m.hasField(string)) {
                return NODES.textNode("0");
            }
            String value = (String) m.getField(string);
            if (!QUANTITY.matcher(value).matches()) {
                throw new ConversionException(Reason.MALFORMED, "quantities must match the regular expression '"
                        + QUANTITY.pattern() + "', got \"" + value + "\"");
            }
            return NODES.textNode(value);
        }

        private JsonNode intOrString(Message m) {
            long type = longField(m, "type");
            if (type == 0) {
                return NODES.numberNode((int) intField(m, "intVal"));
            }
            if (type == 1) {
                FieldDescriptor strVal = m.getDescriptorForType().findFieldByName("strVal");
                return NODES.textNode((String) m.getField(strVal));
            }
            throw new ConversionException(Reason.MALFORMED, "impossible IntOrString.Type " + type);
        }

        /** runtime.RawExtension: JSON written verbatim, nested Kubernetes protobuf decoded, absent is null. */
        private JsonNode rawExtension(ByteString raw) {
            if (raw == null || raw.isEmpty()) {
                return NODES.nullNode();
            }
            if (raw.startsWith(ByteString.copyFrom(KubeProtobuf.MAGIC))) {
                try {
                    return nestedDecoder.apply(raw.toByteArray());
                } catch (ProtobufDecodingException e) {
                    throw new ConversionException(e.reason(), "embedded object: " + e.getMessage(), e);
                }
            }
            if (!looksLikeJson(raw.byteAt(0))) {
                throw new ConversionException(Reason.UNSUPPORTED_ENCODING,
                        "RawExtension holds neither JSON nor Kubernetes protobuf");
            }
            return rawJson(raw, "RawExtension");
        }

        private JsonNode rawJson(ByteString raw, String what) {
            try {
                return RAW_JSON.readTree(raw.toByteArray());
            } catch (JsonProcessingException e) {
                throw new ConversionException(Reason.MALFORMED, what + " does not hold valid JSON: "
                        + e.getOriginalMessage(), e);
            } catch (java.io.IOException e) {
                throw new ConversionException(Reason.MALFORMED, what + " cannot be read: " + e.getMessage(), e);
            }
        }
    }

    /** The first bytes runtime.RawExtension takes for JSON (whitespace, object, array, literal, number). */
    private static boolean looksLikeJson(byte first) {
        return switch (first) {
            case '\t', '\r', '\n', ' ', '{', '[', 'n', 't', 'f', '"', '-',
                    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> true;
            default -> false;
        };
    }

    private Special special(Descriptor type) {
        return specials.computeIfAbsent(type, ProtoToJson::classify);
    }

    private static Special classify(Descriptor type) {
        String fullName = type.getFullName();
        String name = type.getName();
        switch (fullName) {
            case META + "Time":
                return Special.TIME;
            case META + "MicroTime":
                return Special.MICRO_TIME;
            case META + "Duration":
                return Special.DURATION;
            case META + "FieldsV1":
                return Special.FIELDS_V1;
            case META + "Verbs":
                return Special.STRING_LIST;
            case "k8s.io.apimachinery.pkg.api.resource.Quantity":
            case "k8s.io.apimachinery.pkg.api.resource.QuantityValue":
                return Special.QUANTITY;
            case "k8s.io.apimachinery.pkg.util.intstr.IntOrString":
                return Special.INT_OR_STRING;
            case "k8s.io.apimachinery.pkg.runtime.RawExtension":
                return Special.RAW_EXTENSION;
            default:
                break;
        }
        // authentication, authorization and certificates each declare `type ExtraValue []string`.
        if (name.equals("ExtraValue") && fullName.startsWith("k8s.io.api.")) {
            return Special.STRING_LIST;
        }
        if (fullName.startsWith(APIEXTENSIONS)) {
            switch (name) {
                case "JSON":
                    return Special.APIEXT_JSON;
                case "JSONSchemaPropsOrBool":
                    return Special.SCHEMA_OR_BOOL;
                case "JSONSchemaPropsOrArray":
                    return Special.SCHEMA_OR_ARRAY;
                case "JSONSchemaPropsOrStringArray":
                    return Special.SCHEMA_OR_STRING_ARRAY;
                default:
                    break;
            }
        }
        return Special.NONE;
    }

    private static boolean isZero(FieldDescriptor field, Object value) {
        return switch (field.getJavaType()) {
            case STRING -> ((String) value).isEmpty();
            case BYTE_STRING -> ((ByteString) value).isEmpty();
            case BOOLEAN -> !(Boolean) value;
            case INT -> (Integer) value == 0;
            case LONG -> (Long) value == 0L;
            case FLOAT, DOUBLE -> ((Number) value).doubleValue() == 0.0;
            case ENUM -> ((EnumValueDescriptor) value).getNumber() == 0;
            case MESSAGE -> false;
        };
    }

    /** Integers as Jackson's parser would read them: int when it fits, long otherwise. */
    private static JsonNode integer(long v) {
        return v == (int) v ? NODES.numberNode((int) v) : NODES.numberNode(v);
    }

    /** Go writes 3.0 as 3; keep integral values integral so the tree matches parsed JSON. */
    private static JsonNode floating(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new ConversionException(Reason.MALFORMED, "unsupported float value " + v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return integer((long) v);
        }
        return NODES.numberNode(v);
    }

    private static long longField(Message m, String name) {
        FieldDescriptor f = m.getDescriptorForType().findFieldByName(name);
        return ((Number) m.getField(f)).longValue();
    }

    private static long intField(Message m, String name) {
        return longField(m, name);
    }

    private static ByteString bytesField(Message m, String name) {
        FieldDescriptor f = m.getDescriptorForType().findFieldByName(name);
        return m.hasField(f) ? (ByteString) m.getField(f) : null;
    }

    private static Message messageField(Message m, String name) {
        FieldDescriptor f = m.getDescriptorForType().findFieldByName(name);
        return m.hasField(f) ? (Message) m.getField(f) : null;
    }

    /** Whether the message type has a hand-written Go JSON form (and so is not walked field by field). */
    static boolean hasOwnJsonForm(Descriptor type) {
        return classify(type) != Special.NONE;
    }
}
