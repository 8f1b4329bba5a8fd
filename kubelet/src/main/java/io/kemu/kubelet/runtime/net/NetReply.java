package io.kemu.kubelet.runtime.net;

import io.kemu.api.CborSerializable;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The outcome of a {@link NetRequest}: accepted (a bare connect), refused (nothing listens: RST), unreachable (no
 * such host on the pod network), timed out, an HTTP response, a line, or a reset (the server spoke another
 * protocol and closed).
 *
 * @param kind "accepted", "refused", "unreachable", "timeout", "http", "line" or "reset"
 */
public record NetReply(String kind, int status, List<String> headers, byte[] body, String line)
    implements CborSerializable {

  public static final NetReply ACCEPTED = new NetReply("accepted", 0, List.of(), null, null);
  public static final NetReply REFUSED = new NetReply("refused", 0, List.of(), null, null);
  public static final NetReply UNREACHABLE = new NetReply("unreachable", 0, List.of(), null, null);
  public static final NetReply TIMEOUT = new NetReply("timeout", 0, List.of(), null, null);
  public static final NetReply RESET = new NetReply("reset", 0, List.of(), null, null);

  public static NetReply http(int status, List<String> headers, byte[] body) {
    return new NetReply("http", status, List.copyOf(headers), body, null);
  }

  public static NetReply http(int status, String contentType, String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return http(status, List.of("Content-Type: " + contentType, "Content-Length: " + b.length), b);
  }

  public static NetReply line(String text) {
    return new NetReply("line", 0, List.of(), null, text);
  }

  public boolean is(String k) {
    return kind.equals(k);
  }

  public String header(String name) {
    for (String h : headers) {
      int colon = h.indexOf(':');
      if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return h.substring(colon + 1).trim();
      }
    }
    return null;
  }

  public String bodyText() {
    return body == null ? "" : new String(body, StandardCharsets.UTF_8);
  }
}
