package io.kemu.apiserver.http;

import io.kemu.apiserver.authn.UserInfo;
import io.kemu.apiserver.endpoints.ApiRequest;
import io.kemu.apiserver.endpoints.ApiResponse;
import io.kemu.apiserver.endpoints.ResourceHandler;
import io.kemu.apiserver.endpoints.Responses;
import io.kemu.apiserver.endpoints.WatchEncoder;
import io.kemu.apiserver.errors.ApiException;
import io.kemu.apiserver.metrics.ApiMetrics;
import io.kemu.apiserver.request.MediaTypes;
import io.kemu.apiserver.request.RequestInfo;
import io.kemu.apiserver.tls.ClientCertUser;
import io.kemu.apiserver.tls.ServerTls;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLContext;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS face of the apiserver for kubectl and client libraries: turns each request into an
 * {@link ApiRequest}, lets the {@link ResourceHandler} answer it, and writes the answer (watches as a chunked
 * stream of JSON lines). Bodies over the limit get 413 without being read.
 */
public final class HttpServer {
  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  /** maxReadOnly / maxMutating: kube's --max-requests-inflight and --max-mutating-requests-inflight. */
  public record Settings(String host, int port, long maxBodyBytes, Duration bodyReadTimeout, int maxReadOnly,
                         int maxMutating) {}

  private final java.util.concurrent.atomic.AtomicInteger readOnlyInFlight = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger mutatingInFlight = new java.util.concurrent.atomic.AtomicInteger();

  private final ResourceHandler handler;
  private final ApiMetrics metrics;
  private final Materializer materializer;
  private final Clock clock;
  private final Settings settings;

  private HttpServer(ActorSystem<?> system, ResourceHandler handler, ApiMetrics metrics, Clock clock, Settings s) {
    this.handler = handler;
    this.metrics = metrics;
    this.materializer = Materializer.matFromSystem(system);
    this.clock = clock;
    this.settings = s;
  }

  public static CompletionStage<ServerBinding> start(ActorSystem<?> system, ResourceHandler handler,
                                                     ApiMetrics metrics, Clock clock, SSLContext ssl, Settings s) {
    HttpServer server = new HttpServer(system, handler, metrics, clock, s);
    return Http.get(system).newServerAt(s.host(), s.port())
        .enableHttps(ConnectionContext.httpsServer(() -> ServerTls.newServerEngine(ssl)))
        .bind(server::handle);
  }

  CompletionStage<HttpResponse> handle(HttpRequest req) {
    long start = System.nanoTime();
    Map<String, String> query = req.getUri().query().toMap();
    String dryRun = ApiMetrics.dryRun(query.get("dryRun"));
    String path = req.getUri().path();
    RequestInfo info = RequestInfo.parse(req.method().value(), path, query);
    String contentType = req.entity().getContentType().toString();
    String accept = header(req, "accept");
    String userAgent = java.util.Objects.requireNonNullElse(header(req, "user-agent"), "");
    String auth = header(req, "authorization");
    String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
    UserInfo certUser = req.getAttribute(AttributeKeys.sslSession)
        .flatMap(s -> ClientCertUser.of(s.getSession()))
        .map(c -> {
          List<String> groups = new ArrayList<>(c.groups());
          groups.add(UserInfo.ALL_AUTHENTICATED);
          return new UserInfo(c.user(), "", groups);
        })
        .orElse(null);
    String kind = info.verb().equals("watch") ? "watch" : isMutating(info.verb()) ? "mutating" : "readOnly";
    // Long-running requests (watches) are not limited, as in kube's max-in-flight filter.
    java.util.concurrent.atomic.AtomicInteger counter = kind.equals("mutating") ? mutatingInFlight
        : kind.equals("readOnly") ? readOnlyInFlight : null;
    int limit = kind.equals("mutating") ? settings.maxMutating() : settings.maxReadOnly();
    if (counter != null && counter.incrementAndGet() > limit) {
      counter.decrementAndGet();
      req.discardEntityBytes(materializer);
      metrics.request(info.verb().toUpperCase(), dryRun, info.apiGroup(), info.apiVersion(), info.resource(),
          info.subresource(), scope(info), "apiserver", 429, (System.nanoTime() - start) / 1e9);
      return CompletableFuture.completedFuture(toHttp(Responses.error(ApiException.tooManyRequests(1)), info, null)
          .addHeader(RawHeader.create("Retry-After", "1")));
    }
    metrics.inflight(kind, 1);
    CompletionStage<HttpResponse> response = readBody(req)
        .thenCompose(body -> handler.handle(new ApiRequest(info, query, contentType, body, accept, token, certUser,
            userAgent)))
        .exceptionally(e -> Responses.error(e instanceof ApiException api ? api
            : e.getCause() instanceof ApiException api2 ? api2 : ApiException.internal(String.valueOf(e.getMessage()))))
        .thenApply(r -> toHttp(r, info, req.getAttribute(AttributeKeys.webSocketUpgrade).orElse(null)));
    return response.whenComplete((resp, err) -> {
      metrics.inflight(kind, -1);
      if (counter != null) {
        counter.decrementAndGet();
      }
      int code = resp == null ? 500 : resp.status().intValue();
      if (info.resourceRequest()) {
        metrics.request(info.verb().toUpperCase(), dryRun, info.apiGroup(), info.apiVersion(), info.resource(),
            info.subresource(), scope(info), "apiserver", code, (System.nanoTime() - start) / 1e9);
      }
      if (log.isDebugEnabled()) {
        log.debug("{} {} -> {}", req.method().value(), req.getUri(), code);
      }
    });
  }

  private CompletionStage<byte[]> readBody(HttpRequest req) {
    var length = req.entity().getContentLengthOption();
    if (length.isPresent() && length.getAsLong() > settings.maxBodyBytes()) {
      req.discardEntityBytes(materializer);
      return CompletableFuture.failedFuture(ApiException.tooLarge(settings.maxBodyBytes()));
    }
    return req.entity().withSizeLimit(settings.maxBodyBytes())
        .toStrict(settings.bodyReadTimeout().toMillis(), materializer)
        .thenApply(strict -> strict.getData().toArray())
        .exceptionally(e -> {
          Throwable cause = e.getCause() != null ? e.getCause() : e;
          if (cause instanceof EntityStreamSizeException) {
            throw ApiException.tooLarge(settings.maxBodyBytes());
          }
          throw ApiException.badRequest("cannot read the request body: " + cause.getMessage());
        });
  }

  private HttpResponse toHttp(ApiResponse r, RequestInfo info, WebSocketUpgrade upgrade) {
    if (r instanceof ApiResponse.Watch w) {
      WatchEncoder encoder = new WatchEncoder(w.type(), w.output(), w.includeObject(), clock);
      String group = w.type().group();
      metrics.watchStarted(group, w.type().version(), w.type().resource(), scope(info), "apiserver");
      var source = w.events()
          .takeWithin(Duration.ofSeconds(w.timeoutSeconds()))
          .map(e -> ByteString.fromArrayUnsafe(encoder.line(e)))
          .watchTermination((nu, done) -> {
            done.whenComplete((d, t) -> metrics.watchEnded(group, w.type().version(), w.type().resource(),
                scope(info), "apiserver"));
            return nu;
          });
      ContentType ct = ContentTypes.parse(w.output() == MediaTypes.Output.TABLE ? MediaTypes.TABLE : MediaTypes.JSON);
      if (upgrade != null && w.output() != MediaTypes.Output.TABLE) {
        // watch.go HandleWS: over a WebSocket (client-go's and fabric8's default) each event is one text message;
        // what the client sends is ignored, and its close ends the watch.
        var messages = source.map(b -> (Message) TextMessage.create(b.utf8String().stripTrailing()));
        return upgrade.handleMessagesWith(Sink.<Message>ignore(), messages);
      }
      return HttpResponse.create().withStatus(200).addHeaders(commonHeaders(List.of()))
          .withEntity(HttpEntities.createChunked(ct, source));
    }
    if (r instanceof ApiResponse.Stream st) {
      return HttpResponse.create().withStatus(200).addHeaders(commonHeaders(List.of()))
          .withEntity(HttpEntities.createChunked(ContentTypes.parse(st.contentType()), st.body()));
    }
    ApiResponse.Complete c = (ApiResponse.Complete) r;
    return HttpResponse.create().withStatus(c.code()).addHeaders(commonHeaders(c.warnings()))
        .withEntity(HttpEntities.create(ContentTypes.parse(c.contentType()), c.body()));
  }

  private static List<HttpHeader> commonHeaders(List<String> warnings) {
    List<HttpHeader> h = new ArrayList<>();
    h.add(RawHeader.create("Audit-Id", UUID.randomUUID().toString()));
    h.add(RawHeader.create("Cache-Control", "no-cache, private"));
    for (String w : warnings) {
      h.add(RawHeader.create("Warning", "299 - \"" + w.replace("\\", "\\\\").replace("\"", "\\\"") + "\""));
    }
    return h;
  }

  private static String header(HttpRequest req, String name) {
    return req.getHeader(name).map(HttpHeader::value).orElse(null);
  }

  private static boolean isMutating(String verb) {
    return switch (verb) {
      case "create", "update", "patch", "delete", "deletecollection" -> true;
      default -> false;
    };
  }

  private static String scope(RequestInfo info) {
    if (!info.name().isEmpty()) {
      return "resource";
    }
    return info.namespace().isEmpty() ? "cluster" : "namespace";
  }
}
