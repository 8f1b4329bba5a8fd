package io.kemu.apiserver.errors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kemu.api.KubeJson;
import java.util.List;

/**
 * A failed API call, carried to the edge where it becomes a metav1.Status (k8s.io/apimachinery/pkg/api/errors).
 * The factory methods reproduce kube-apiserver's messages, which kubectl prints as
 * {@code Error from server (Reason): message}.
 */
public final class ApiException extends RuntimeException {
  public record Cause(String type, String message, String field) {}

  private final int code;
  private final String reason;
  private final String group;
  private final String kind;
  private final String name;
  private final List<Cause> causes;
  private final Integer retryAfterSeconds;

  public ApiException(int code, String reason, String message, String group, String kind, String name,
                      List<Cause> causes, Integer retryAfterSeconds) {
    super(message, null, false, false);
    this.code = code;
    this.reason = reason;
    this.group = group;
    this.kind = kind;
    this.name = name;
    this.causes = causes == null ? List.of() : causes;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  public List<Cause> causes() {
    return causes;
  }

  private static String qualified(String group, String resource) {
    return group == null || group.isEmpty() ? resource : resource + "." + group;
  }

  public static ApiException notFound(String group, String resource, String name) {
    return new ApiException(404, "NotFound", qualified(group, resource) + " \"" + name + "\" not found",
        group, resource, name, null, null);
  }

  public static ApiException alreadyExists(String group, String resource, String name) {
    return new ApiException(409, "AlreadyExists", qualified(group, resource) + " \"" + name + "\" already exists",
        group, resource, name, null, null);
  }

  /** The message of a failed optimistic-concurrency update, as kube-apiserver words it. */
  public static ApiException conflictOnUpdate(String group, String resource, String name) {
    return conflict(group, resource, name, "the object has been modified; please apply your changes to the "
        + "latest version and try again");
  }

  public static ApiException conflict(String group, String resource, String name, String why) {
    return new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + qualified(group, resource)
        + " \"" + name + "\": " + why, group, resource, name, null, null);
  }

  /** 422: {@code Pod "x" is invalid: [a, b]}; causes carry type, message and field. */
  public static ApiException invalid(String group, String kind, String name, String message, List<Cause> causes) {
    return new ApiException(422, "Invalid", message, group, kind, name, causes, null);
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, "BadRequest", message, null, null, null, null, null);
  }

  public static ApiException unauthorized() {
    return new ApiException(401, "Unauthorized", "Unauthorized", null, null, null, null, null);
  }

  public static ApiException forbidden(String group, String resource, String name, String message) {
    return new ApiException(403, "Forbidden", message, group, resource, name, null, null);
  }

  public static ApiException gone(String message) {
    return new ApiException(410, "Expired", message, null, null, null, null, null);
  }

  public static ApiException methodNotSupported(String group, String resource, String action) {
    return new ApiException(405, "MethodNotAllowed", action + " is not supported on resources of kind \""
        + qualified(group, resource) + "\"", group, resource, null, null, null);
  }

  public static ApiException unsupportedMediaType(String contentType) {
    return new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
        + "accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf",
        null, null, null, null, null);
  }

  public static ApiException notAcceptable(String accept) {
    return new ApiException(406, "NotAcceptable", "only the following media types are accepted: "
        + "application/json, application/yaml, application/vnd.kubernetes.protobuf", null, null, null, null, null);
  }

  public static ApiException tooLarge(long limit) {
    return new ApiException(413, "RequestEntityTooLarge", "Request entity too large: limit is " + limit,
        null, null, null, null, null);
  }

  public static ApiException tooManyRequests(int retryAfterSeconds) {
    return new ApiException(429, "TooManyRequests", "Too many requests, please try again later.",
        null, null, null, null, retryAfterSeconds);
  }

  public static ApiException timeout(String message) {
    return new ApiException(504, "Timeout", message, null, null, null, null, 1);
  }

  public static ApiException serviceUnavailable(String message) {
    return new ApiException(503, "ServiceUnavailable", message, null, null, null, null, 1);
  }

  public static ApiException internal(String message) {
    return new ApiException(500, "InternalError", "Internal error occurred: " + message,
        null, null, null, List.of(new Cause("", message, "")), null);
  }

  public static ApiException notFoundPath() {
    return new ApiException(404, "NotFound", "the server could not find the requested resource",
        null, null, null, null, null);
  }

  /** metav1.Status as JSON. */
  public ObjectNode toStatus() {
    ObjectNode s = KubeJson.MAPPER.createObjectNode();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Failure");
    s.put("message", getMessage());
    s.put("reason", reason);
    if (name != null || kind != null || !causes.isEmpty() || retryAfterSeconds != null) {
      ObjectNode d = s.putObject("details");
      if (name != null) {
        d.put("name", name);
      }
      if (group != null) {
        d.put("group", group);
      }
      if (kind != null) {
        d.put("kind", kind);
      }
      if (!causes.isEmpty()) {
        ArrayNode arr = d.putArray("causes");
        for (Cause c : causes) {
          ObjectNode cn = arr.addObject();
          if (c.type() != null && !c.type().isEmpty()) {
            cn.put("reason", c.type());
          }
          cn.put("message", c.message());
          if (c.field() != null && !c.field().isEmpty()) {
            cn.put("field", c.field());
          }
        }
      }
      if (retryAfterSeconds != null) {
        d.put("retryAfterSeconds", retryAfterSeconds);
      }
    }
    s.put("code", code);
    return s;
  }

  public byte[] toStatusBytes() {
    return KubeJson.bytes(toStatus());
  }

  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
