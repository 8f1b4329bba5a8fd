package io.kemu.api.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.kemu.api.KubeJson;

/** A failed API call as the in-cluster client sees it: the HTTP code and the server's Status. */
public final class StatusException extends RuntimeException {
  private final int code;
  private final String reason;

  public StatusException(int code, String reason, String message) {
    super(message, null, false, false);
    this.code = code;
    this.reason = reason;
  }

  public static StatusException fromStatus(int code, byte[] status) {
    try {
      JsonNode s = KubeJson.tree(status);
      return new StatusException(code, s.path("reason").asText(""), s.path("message").asText("HTTP " + code));
    } catch (RuntimeException e) {
      return new StatusException(code, "", "HTTP " + code);
    }
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  public boolean isNotFound() {
    return code == 404;
  }

  public boolean isConflict() {
    return code == 409;
  }

  public boolean isAlreadyExists() {
    return code == 409 && "AlreadyExists".equals(reason);
  }

  public boolean isGone() {
    return code == 410;
  }

  /** Unwraps CompletionException layers. */
  public static StatusException of(Throwable t) {
    while (t != null) {
      if (t instanceof StatusException se) {
        return se;
      }
      t = t.getCause();
    }
    return null;
  }
}
