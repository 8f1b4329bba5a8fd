package io.kemu.apiserver.request;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kemu.api.KubeJson;
import io.kemu.api.ResourceType;
import io.kemu.apiserver.errors.ApiException;
import io.kemu.apiserver.protobuf.KubeProtobuf;
import io.kemu.apiserver.protobuf.ProtobufDecodingException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a request body (JSON, YAML or Kubernetes protobuf) into the object it describes, the way kube-apiserver's
 * decoders do, including field validation: {@code fieldValidation=Strict} rejects unknown and duplicate fields
 * naming them; {@code Warn} (the default) accepts them with a warning; {@code Ignore} drops them silently.
 * Unknown fields are always dropped before the object is stored.
 */
public final class BodyDecoder {
  public enum FieldValidation { STRICT, WARN, IGNORE }

  public record Decoded(ObjectNode object, io.fabric8.kubernetes.api.model.HasMetadata typed, List<String> warnings) {}

  private static final ObjectMapper STRICT_JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final Map<JavaType, Map<String, JavaType>> PROPERTIES = new ConcurrentHashMap<>();
  private static final ObjectMapper TYPED = KubeJson.MAPPER.copy()
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private BodyDecoder() {}

  public static FieldValidation fieldValidation(String param) {
    if (param == null || param.isEmpty()) {
      return FieldValidation.WARN;
    }
    return switch (param) {
      case "Strict" -> FieldValidation.STRICT;
      case "Warn" -> FieldValidation.WARN;
      case "Ignore" -> FieldValidation.IGNORE;
      default -> throw ApiException.badRequest("fieldValidation: Invalid value: \"" + param
          + "\": fieldValidation must be one of \"Ignore\", \"Warn\", \"Strict\"");
    };
  }

  /** Parses a body without a schema (patches, DeleteOptions, Bindings...). */
  public static JsonNode parse(String contentType, byte[] body) {
    String base = MediaTypes.baseType(contentType);
    try {
      if (base.equals(MediaTypes.PROTOBUF)) {
        return KubeProtobuf.decode(body);
      }
      if (base.equals(MediaTypes.YAML)) {
        return YAML.readTree(body);
      }
      return STRICT_JSON.readTree(body);
    } catch (ProtobufDecodingException e) {
      throw new ApiException(e.httpStatus(), e.httpStatus() == 415 ? "UnsupportedMediaType" : "BadRequest",
          e.getMessage(), null, null, null, null, null);
    } catch (IOException e) {
      throw ApiException.badRequest(jsonError(e));
    }
  }

  /**
   * Decodes an object body for {@code type}: checks the media type, kind and apiVersion, and applies field
   * validation against the schema of the fabric8 class.
   */
  public static Decoded decodeObject(String contentType, byte[] body, ResourceType type, FieldValidation mode) {
    String base = MediaTypes.baseType(contentType);
    if (!base.equals(MediaTypes.JSON) && !base.equals(MediaTypes.YAML) && !base.equals(MediaTypes.PROTOBUF)) {
      throw ApiException.unsupportedMediaType(contentType);
    }
    String prefix = type.kind() + " in version \"" + type.version() + "\" cannot be handled as a " + type.kind() + ": ";
    JsonNode node;
    try {
      node = parse(contentType, body);
    } catch (ApiException e) {
      if (e.code() == 400 && !base.equals(MediaTypes.PROTOBUF)) {
        throw ApiException.badRequest(prefix + e.getMessage());
      }
      throw e;
    }
    if (node == null || !node.isObject()) {
      throw ApiException.badRequest(prefix + "json: cannot unmarshal " + jsonKind(node) + " into Go value of type "
          + "struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }");
    }
    ObjectNode obj = (ObjectNode) node;
    String kind = obj.path("kind").asText("");
    String apiVersion = obj.path("apiVersion").asText("");
    if (!kind.isEmpty() && !kind.equals(type.kind())) {
      throw ApiException.badRequest("the body of the request was in an unknown format - accepted media types "
          + "include: application/json, application/yaml, application/vnd.kubernetes.protobuf, or was of kind "
          + kind + " instead of " + type.kind());
    }
    if (!apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion())) {
      throw ApiException.badRequest("the API version in the data (" + apiVersion + ") does not match the expected "
          + "API version (" + type.apiVersion() + ")");
    }
    obj.put("apiVersion", type.apiVersion());
    obj.put("kind", type.kind());
    List<String> unknown = new ArrayList<>();
    strip(obj, KubeJson.MAPPER.constructType(type.type()), "", unknown);
    List<String> warnings = new ArrayList<>();
    if (!unknown.isEmpty()) {
      if (mode == FieldValidation.STRICT) {
        throw ApiException.badRequest(prefix + "strict decoding error: "
            + String.join(", ", unknown.stream().map(f -> "unknown field \"" + f + "\"").toList()));
      }
      if (mode == FieldValidation.WARN) {
        unknown.forEach(f -> warnings.add("unknown field \"" + f + "\""));
      }
    }
    // Type errors (a string where a number belongs...) surface now, with the field named.
    io.fabric8.kubernetes.api.model.HasMetadata typed;
    try {
      typed = TYPED.treeToValue(obj, type.type());
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(prefix + jsonError(e));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(prefix + e.getMessage());
    }
    return new Decoded(obj, typed, warnings);
  }

  /** Removes fields the schema does not have, recording their paths (spec.containers[0].foo). */
  static void strip(JsonNode node, JavaType type, String path, List<String> unknown) {
    if (node == null || type == null) {
      return;
    }
    if (node.isArray() && (type.isCollectionLikeType() || type.isArrayType())) {
      JavaType elem = type.getContentType();
      for (int i = 0; i < node.size(); i++) {
        strip(node.get(i), elem, path + "[" + i + "]", unknown);
      }
      return;
    }
    if (!node.isObject()) {
      return;
    }
    if (type.isMapLikeType()) {
      JavaType value = type.getContentType();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        strip(e.getValue(), value, path + "[" + e.getKey() + "]", unknown);
      }
      return;
    }
    Map<String, JavaType> props = properties(type);
    if (props == null) {
      return;
    }
    ObjectNode obj = (ObjectNode) node;
    List<String> remove = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      JavaType t = props.get(e.getKey());
      if (t == null) {
        unknown.add(child);
        remove.add(e.getKey());
      } else {
        strip(e.getValue(), t, child, unknown);
      }
    }
    obj.remove(remove);
  }

  /** The JSON properties of a fabric8 model bean, or null for types decoded by a custom deserializer. */
  private static Map<String, JavaType> properties(JavaType type) {
    Class<?> raw = type.getRawClass();
    if (!raw.getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return null;
    }
    if (raw == io.fabric8.kubernetes.api.model.FieldsV1.class) {
      return null; // managedFields' FieldsV1 is free-form JSON (metav1.FieldsV1.Raw)
    }
    JsonDeserialize custom = raw.getAnnotation(JsonDeserialize.class);
    if (custom != null && custom.using() != JsonDeserializer.None.class) {
      return null;
    }
    return PROPERTIES.computeIfAbsent(type, t -> {
      BeanDescription desc = KubeJson.MAPPER.getDeserializationConfig().introspect(t);
      Map<String, JavaType> m = new java.util.HashMap<>();
      for (BeanPropertyDefinition p : desc.findProperties()) {
        if (p.hasSetter() || p.hasField() || p.hasConstructorParameter()) {
          m.put(p.getName(), p.getPrimaryType());
        }
      }
      return m;
    });
  }

  /** Error text in the shape of Go's encoding/json errors, which kubectl users know. */
  static String jsonError(Exception e) {
    if (e instanceof InvalidFormatException ife) {
      return "json: cannot unmarshal " + jsonKind(ife.getValue()) + " into Go struct field "
          + fieldPath(ife) + " of type " + goType(ife.getTargetType());
    }
    if (e instanceof MismatchedInputException mie && mie.getTargetType() != null) {
      return "json: cannot unmarshal value into Go struct field " + fieldPath(mie) + " of type "
          + goType(mie.getTargetType());
    }
    if (e instanceof JsonProcessingException jpe) {
      String msg = jpe.getOriginalMessage();
      if (msg != null && msg.startsWith("Duplicate field")) {
        return "json: duplicate field " + msg.substring("Duplicate field ".length()).replace('\'', '"');
      }
      return "invalid character in JSON: " + (msg == null ? e.toString() : msg)
          + (jpe.getLocation() == null ? "" : " (line " + jpe.getLocation().getLineNr() + ", column "
          + jpe.getLocation().getColumnNr() + ")");
    }
    return e.getMessage();
  }

  private static String fieldPath(MismatchedInputException e) {
    StringBuilder sb = new StringBuilder();
    for (var ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(ref.getFieldName());
      }
    }
    return sb.toString();
  }

  private static String goType(Class<?> c) {
    if (c == null) {
      return "unknown";
    }
    if (c == Integer.class || c == int.class) {
      return "int32";
    }
    if (c == Long.class || c == long.class) {
      return "int64";
    }
    if (c == Boolean.class || c == boolean.class) {
      return "bool";
    }
    if (c == String.class) {
      return "string";
    }
    return c.getSimpleName();
  }

  private static String jsonKind(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof JsonNode n) {
      return n.isArray() ? "array" : n.isTextual() ? "string" : n.isNumber() ? "number" : n.isBoolean() ? "bool"
          : n.isObject() ? "object" : "null";
    }
    if (value instanceof String) {
      return "string";
    }
    if (value instanceof Number) {
      return "number";
    }
    if (value instanceof Boolean) {
      return "bool";
    }
    return "value";
  }
}
