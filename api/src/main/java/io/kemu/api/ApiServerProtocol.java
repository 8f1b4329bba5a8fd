package io.kemu.api;

import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.stream.SourceRef;

/**
 * The in-cluster endpoint of the API server: scheduler, controller-manager and kubelets call the API over the
 * Pekko Cluster instead of HTTPS, but each call goes through the same authentication, authorization,
 * admission and registry as a kubectl request. Bodies and answers are the same JSON a REST client sees.
 */
public final class ApiServerProtocol {
  private ApiServerProtocol() {}

  public static final ServiceKey<Request> SERVICE_KEY = ServiceKey.create(Request.class, "apiserver");

  public enum Verb { GET, LIST, CREATE, UPDATE, PATCH, DELETE, DELETECOLLECTION }

  /** Which object(s) a request is about; {@code name} and {@code subresource} may be null. */
  public record Target(String group, String version, String resource, String namespace, String name,
                       String subresource) implements CborSerializable {
    public static Target of(ResourceType type, String namespace, String name) {
      return new Target(type.group(), type.version(), type.resource(), type.namespaced() ? namespace : null,
          name, null);
    }

    public Target sub(String sub) {
      return new Target(group, version, resource, namespace, name, sub);
    }
  }

  public sealed interface Request extends CborSerializable permits Call, Watch {}

  /** {@code bearerToken} authenticates the caller exactly like the Authorization header of a REST call. */
  public record Call(String bearerToken, Verb verb, Target target, Map<String, String> query, String contentType,
                     byte[] body, ActorRef<Response> replyTo) implements Request {}

  /** {@code body}: the object JSON, or a {@code Status} when {@code code} is not 2xx. */
  public record Response(int code, byte[] body) implements CborSerializable {
    public boolean isSuccess() {
      return code >= 200 && code < 300;
    }
  }

  public record Watch(String bearerToken, Target target, Map<String, String> query, ActorRef<WatchReply> replyTo)
      implements Request {}

  /** Either a stream of events, or ({@code events == null}) a failure {@code Status} with its code. */
  public record WatchReply(int code, byte[] status, SourceRef<WatchEvent> events) implements CborSerializable {}

  /** metav1.WatchEvent: ADDED, MODIFIED, DELETED, BOOKMARK (only a resourceVersion) or ERROR (a Status). */
  public record WatchEvent(String type, byte[] object) implements CborSerializable {}
}
