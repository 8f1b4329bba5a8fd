package io.kemu.apiserver.endpoints;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kemu.api.KubeJson;
import io.kemu.apiserver.authn.UserInfo;
import io.kemu.apiserver.authz.Attributes;
import io.kemu.apiserver.discovery.Discovery;
import io.kemu.apiserver.discovery.OpenApi;
import io.kemu.apiserver.errors.ApiException;
import io.kemu.apiserver.request.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** /version, health checks, discovery, OpenAPI and /metrics, each authorized as a non-resource path. */
public final class NonResourceHandler {
  public static final String GIT_VERSION = "v1.32.4+kemu";

  private final Discovery discovery;
  private final OpenApi openApi;
  private final BooleanSupplier ready;
  private final Supplier<String> metrics;
  private Consumer<Attributes> authorizer = a -> {};

  public NonResourceHandler(Discovery discovery, OpenApi openApi, BooleanSupplier ready, Supplier<String> metrics) {
    this.discovery = discovery;
    this.openApi = openApi;
    this.ready = ready;
    this.metrics = metrics;
  }

  void setAuthorizer(Consumer<Attributes> authorizer) {
    this.authorizer = authorizer;
  }

  public static ObjectNode version() {
    ObjectNode v = KubeJson.MAPPER.createObjectNode();
    v.put("major", "1");
    v.put("minor", "32");
    v.put("gitVersion", GIT_VERSION);
    v.put("gitCommit", "0000000000000000000000000000000000000000");
    v.put("gitTreeState", "clean");
    v.put("buildDate", "2026-11-22T00:00:00Z");
    v.put("goVersion", "java" + Runtime.version().feature());
    v.put("compiler", "kemu");
    v.put("platform", System.getProperty("os.name").toLowerCase() + "/" + System.getProperty("os.arch"));
    return v;
  }

  CompletionStage<ApiResponse> handle(UserInfo user, ApiRequest r) {
    String path = r.info().path();
    String method = r.info().verb();
    if (!method.equals("get") && !method.equals("head")) {
      throw new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested "
          + "resource", null, null, null, null, null);
    }
    authorizer.accept(Attributes.nonResource(user, "get", path));
    if (path.startsWith("/openapi/")) {
      // the documents are generated in the background at start: wait for them without holding a thread
      return openApi.generated().thenApply(ready -> answer(path, r));
    }
    return CompletableFuture.completedFuture(answer(path, r));
  }

  private ApiResponse answer(String path, ApiRequest r) {
    if (path.equals("/version") || path.equals("/version/")) {
      return Responses.json(200, version(), List.of());
    }
    if (path.equals("/healthz") || path.equals("/livez")) {
      return text(200, "ok");
    }
    if (path.equals("/readyz")) {
      return ready.getAsBoolean() ? text(200, "ok") : text(500, "[-]etcd failed: reason withheld\nreadyz check failed");
    }
    if (path.equals("/metrics")) {
      return new ApiResponse.Complete(200, "text/plain; version=0.0.4; charset=utf-8",
          metrics.get().getBytes(StandardCharsets.UTF_8), List.of());
    }
    boolean aggregated = MediaTypes.negotiate(r.accept(), true) == MediaTypes.Output.DISCOVERY_V2;
    if (path.equals("/api")) {
      return aggregated ? discoveryV2(discovery.aggregated(true)) : Responses.json(200, discovery.apiVersions(), List.of());
    }
    if (path.equals("/apis")) {
      return aggregated ? discoveryV2(discovery.aggregated(false)) : Responses.json(200, discovery.apiGroupList(), List.of());
    }
    String[] p = path.replaceAll("^/+|/+$", "").split("/");
    if (p.length == 2 && p[0].equals("api")) {
      return found(discovery.resourceList("", p[1]));
    }
    if (p.length == 2 && p[0].equals("apis")) {
      return found(discovery.apiGroup(p[1]));
    }
    if (p.length == 3 && p[0].equals("apis")) {
      return found(discovery.resourceList(p[1], p[2]));
    }
    if (path.equals("/openapi/v3") || path.equals("/openapi/v3/")) {
      return Responses.json(200, openApi.root(), List.of());
    }
    if (path.startsWith("/openapi/v3/")) {
      byte[] doc = openApi.document(path.substring("/openapi/v3/".length()));
      if (doc != null) {
        return new ApiResponse.Complete(200, MediaTypes.JSON, doc, List.of());
      }
    }
    throw ApiException.notFoundPath();
  }

  private static ApiResponse found(ObjectNode n) {
    if (n == null) {
      throw ApiException.notFoundPath();
    }
    return Responses.json(200, n, List.of());
  }

  private static ApiResponse discoveryV2(ObjectNode n) {
    return new ApiResponse.Complete(200, MediaTypes.DISCOVERY_V2, KubeJson.bytes(n), List.of());
  }

  private static ApiResponse text(int code, String body) {
    return new ApiResponse.Complete(code, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8),
        List.of());
  }
}
