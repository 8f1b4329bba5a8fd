package io.kemu.apiserver.patch;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A patch that kube-apiserver would refuse, with the HTTP code, the {@code metav1.Status} reason and the message
 * it would answer with.
 *
 * <p>{@link #getMessage()} is the Status message exactly as kube-apiserver sends it. For some errors kube hides
 * the library's explanation behind a generic text (a failing JSON-patch {@code test} answers 422 "the server
 * rejected our request due to an error in our request"); {@link #detail()} keeps the underlying error text (as
 * evanphx/json-patch or strategicpatch would format it) for logs.
 */
public final class PatchException extends RuntimeException {
  /** What {@code errors.NewGenericServerResponse(422, ...)} puts in the Status message. */
  public static final String UNPROCESSABLE_MESSAGE = "the server rejected our request due to an error in our request";
  /** The plain-text body of kube-apiserver's panic recovery filter. */
  public static final String PANIC_MESSAGE = "This request caused apiserver to panic. Look in the logs for details.";

  private final int code;
  private final String reason;
  private final String detail;
  private final boolean emptyDetails;

  private PatchException(int code, String reason, String message, String detail, boolean emptyDetails) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.detail = detail;
    this.emptyDetails = emptyDetails;
  }

  /** HTTP status code (400, 409, 413, 415, 422, 500). */
  public int code() {
    return code;
  }

  /** The {@code metav1.StatusReason}; empty for errors kube passes through as "unknown" 500s. */
  public String reason() {
    return reason;
  }

  /** The underlying error text (may be the same as the message). */
  public String detail() {
    return detail;
  }

  /** The {@code metav1.Status} object kube-apiserver would write for this error. */
  public ObjectNode toStatus() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode s = f.objectNode();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.set("metadata", f.objectNode());
    s.put("status", "Failure");
    s.put("message", getMessage());
    if (!reason.isEmpty()) {
      s.put("reason", reason);
    }
    if (emptyDetails) {
      s.set("details", f.objectNode());
    }
    s.put("code", code);
    return s;
  }

  @Override
  public String toString() {
    return "PatchException[" + code + " " + reason + "]: " + getMessage()
        + (detail.equals(getMessage()) ? "" : " (" + detail + ")");
  }

  // ---------------------------------------------------------------- the errors kube produces

  /** {@code errors.NewBadRequest(msg)}: 400, reason BadRequest, message passed through. */
  public static PatchException badRequest(String message) {
    return new PatchException(400, "BadRequest", message, message, false);
  }

  /**
   * {@code errors.NewGenericServerResponse(422, ...)}: 422, reason Invalid, and the generic message; the
   * library error is only kept as {@link #detail()}.
   */
  public static PatchException unprocessable(String detail) {
    return new PatchException(422, "Invalid", UNPROCESSABLE_MESSAGE, detail, true);
  }

  /** {@code errors.NewRequestEntityTooLargeError(msg)}: 413. */
  public static PatchException tooLarge(String message) {
    String m = "Request entity too large: " + message;
    return new PatchException(413, "RequestEntityTooLarge", m, message, false);
  }

  /**
   * The 415 kube-apiserver answers for a patch Content-Type the resource does not accept. For built-in
   * resources go-restful rejects it before the handler ({@code "415: Unsupported Media Type"}); custom
   * resources (and requests without a body) get the handler's own message listing the accepted types.
   */
  public static PatchException unsupportedMediaType(List<PatchType> accepted, boolean customResource) {
    if (!customResource) {
      String m = "415: Unsupported Media Type";
      return new PatchException(415, "UnsupportedMediaType", m, m, true);
    }
    String m = "the body of the request was in an unknown format - accepted media types include: "
        + accepted.stream().map(PatchType::contentType).collect(Collectors.joining(", "));
    return new PatchException(415, "UnsupportedMediaType", m, m, false);
  }

  /**
   * {@code errors.NewConflict(groupResource, name, err)}: 409 "Operation cannot be fulfilled on ...". The
   * patch code itself never raises it; the handler does (uid mismatch, stale resourceVersion in the patch).
   */
  public static PatchException conflict(String qualifiedResource, String name, String cause) {
    String m = "Operation cannot be fulfilled on " + qualifiedResource + " \"" + name + "\": " + cause;
    return new PatchException(409, "Conflict", m, cause, false);
  }

  /** An error kube does not convert to a Status: 500 with the error text and no reason. */
  public static PatchException internal(String message) {
    return new PatchException(500, "", message, message, false);
  }

  /** Where the Go code panics: kube's panic filter answers 500 with a fixed text. */
  public static PatchException panic(String detail) {
    return new PatchException(500, "InternalError", PANIC_MESSAGE, detail, false);
  }
}
