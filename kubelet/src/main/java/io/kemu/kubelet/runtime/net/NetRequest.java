package io.kemu.kubelet.runtime.net;

import io.kemu.api.CborSerializable;
import java.util.List;

/**
 * What a client sends over an emulated TCP connection: a bare connect (tcpSocket probes, {@code nc -z}), one HTTP
 * request, or one line of a line protocol (redis-cli). Flat, so that it crosses JVMs as CBOR.
 *
 * @param kind "connect", "http" or "line"
 * @param headers "Name: value" strings, in order
 */
public record NetRequest(String kind, String method, String path, List<String> headers, byte[] body, String line)
    implements CborSerializable {

  public static NetRequest connect() {
    return new NetRequest("connect", null, null, List.of(), null, null);
  }

  public static NetRequest http(String method, String path, List<String> headers, byte[] body) {
    return new NetRequest("http", method, path, List.copyOf(headers), body, null);
  }

  public static NetRequest line(String text) {
    return new NetRequest("line", null, null, List.of(), null, text);
  }

  public boolean isHttp() {
    return "http".equals(kind);
  }

  public boolean isConnect() {
    return "connect".equals(kind);
  }

  public boolean isLine() {
    return "line".equals(kind);
  }

  /** The first value of a header, case-insensitively; null if absent. */
  public String header(String name) {
    for (String h : headers) {
      int colon = h.indexOf(':');
      if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return h.substring(colon + 1).trim();
      }
    }
    return null;
  }
}
