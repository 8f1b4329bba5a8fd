package io.kemu.apiserver.endpoint;

import io.kemu.api.ApiServerProtocol;
import io.kemu.api.ApiServerProtocol.Call;
import io.kemu.api.ApiServerProtocol.Request;
import io.kemu.api.ApiServerProtocol.Target;
import io.kemu.apiserver.endpoints.ApiRequest;
import io.kemu.apiserver.endpoints.ApiResponse;
import io.kemu.apiserver.endpoints.ResourceHandler;
import io.kemu.apiserver.endpoints.WatchEncoder;
import io.kemu.apiserver.request.MediaTypes;
import io.kemu.apiserver.request.RequestInfo;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.StreamRefs;

/**
 * The apiserver as the in-cluster components see it: registered with the Receptionist, it runs each
 * {@link ApiServerProtocol} call through the same {@link ResourceHandler} as HTTPS requests (same
 * authentication, authorization, admission) and streams watch events back through StreamRefs.
 */
public final class InClusterEndpoint {
  private InClusterEndpoint() {}

  public static Behavior<Request> create(ResourceHandler handler, Clock clock) {
    return Behaviors.setup(ctx -> {
      ctx.getSystem().receptionist().tell(Receptionist.register(ApiServerProtocol.SERVICE_KEY, ctx.getSelf()));
      Materializer mat = Materializer.createMaterializer(ctx);
      return Behaviors.receive(Request.class)
          .onMessage(Call.class, c -> {
            String verb = switch (c.verb()) {
              case GET -> "get";
              case LIST -> "list";
              case CREATE -> "create";
              case UPDATE -> "update";
              case PATCH -> "patch";
              case DELETE -> "delete";
              case DELETECOLLECTION -> "deletecollection";
            };
            handler.handle(request(verb, c.target(), c.query(), c.contentType(), c.body(), c.bearerToken()))
                .thenAccept(r -> {
                  if (r instanceof ApiResponse.Complete done) {
                    c.replyTo().tell(new ApiServerProtocol.Response(done.code(), done.body()));
                  } else if (r instanceof ApiResponse.Stream stream) {
                    // In-cluster callers get the whole body (logs without follow).
                    stream.body().runFold(org.apache.pekko.util.ByteString.emptyByteString(), (a, b) -> a.concat(b), mat)
                        .thenAccept(all -> c.replyTo().tell(new ApiServerProtocol.Response(200, all.toArray())));
                  }
                });
            return Behaviors.same();
          })
          .onMessage(ApiServerProtocol.Watch.class, w -> {
            handler.handle(request("watch", w.target(), w.query(), null, null, w.bearerToken()))
                .thenAccept(r -> {
                  if (r instanceof ApiResponse.Watch watch) {
                    WatchEncoder enc = new WatchEncoder(watch.type(), MediaTypes.Output.JSON, null, clock);
                    var ref = watch.events()
                        .takeWithin(Duration.ofSeconds(watch.timeoutSeconds()))
                        .map(e -> new ApiServerProtocol.WatchEvent(e.type().name(), enc.object(e)))
                        .runWith(StreamRefs.sourceRef(), mat);
                    w.replyTo().tell(new ApiServerProtocol.WatchReply(200, null, ref));
                  } else if (r instanceof ApiResponse.Complete err) {
                    w.replyTo().tell(new ApiServerProtocol.WatchReply(err.code(), err.body(), null));
                  }
                });
            return Behaviors.same();
          })
          .build();
    });
  }

  private static ApiRequest request(String verb, Target t, Map<String, String> query, String contentType,
                                    byte[] body, String token) {
    RequestInfo info = RequestInfo.of(verb, t.group(), t.version(), t.namespace(), t.resource(), t.name(),
        t.subresource());
    return new ApiRequest(info, query == null ? Map.of() : query,
        contentType == null ? MediaTypes.JSON : contentType, body == null ? new byte[0] : body,
        MediaTypes.JSON, token, null);
  }
}
