package io.kemu.apiserver.endpoints;

import io.kemu.apiserver.authn.UserInfo;
import io.kemu.apiserver.request.RequestInfo;
import java.util.Map;

/**
 * One API call, whichever transport brought it (HTTPS from kubectl, or the in-cluster actor endpoint).
 * {@code certUser} is the identity of a verified TLS client certificate, if any; {@code userAgent} the
 * User-Agent header ("" in-cluster), which names the field manager of writes without fieldManager.
 */
public record ApiRequest(RequestInfo info, Map<String, String> query, String contentType, byte[] body,
                         String accept, String bearerToken, UserInfo certUser, String userAgent) {
  public ApiRequest(RequestInfo info, Map<String, String> query, String contentType, byte[] body, String accept,
                    String bearerToken, UserInfo certUser) {
    this(info, query, contentType, body, accept, bearerToken, certUser, "");
  }

  public String param(String name) {
    return query.get(name);
  }
}
