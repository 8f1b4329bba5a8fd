package io.kemu.api.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PartialObjectMetadata;
import io.kemu.api.ApiServerProtocol;
import io.kemu.api.ApiServerProtocol.Call;
import io.kemu.api.ApiServerProtocol.Response;
import io.kemu.api.ApiServerProtocol.Target;
import io.kemu.api.ApiServerProtocol.Verb;
import io.kemu.api.KubeJson;
import io.kemu.api.ResourceType;
import io.kemu.api.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The in-cluster Kubernetes client of kemu's components: typed calls to whichever apiserver the Receptionist
 * lists, authenticated with the component's bearer token. Failures are {@link StatusException}s carrying the
 * server's Status (503 while no apiserver is reachable).
 */
public final class ApiClient implements KubeClient {
  /** A list answer: the items and the list's resourceVersion (where a watch continues from). */
  public record ObjectList<T>(List<T> items, String resourceVersion, String continueToken) {}

  /** One decoded watch event; {@code object} is null for BOOKMARK and ERROR (see {@code raw}). */
  public record Event<T>(String type, T object, String resourceVersion, byte[] raw) {}

  /** The apiservers the Receptionist lists, shared by every identity of a JVM. */
  private static final class Servers {
    volatile List<ActorRef<ApiServerProtocol.Request>> refs = List.of();
    volatile CompletableFuture<Void> available = new CompletableFuture<>();
    final AtomicInteger next = new AtomicInteger();
  }

  private final ActorSystem<?> system;
  private final String token;
  private final Duration timeout;
  private final Servers servers;

  private ApiClient(ActorSystem<?> system, String token, Duration timeout, Servers servers) {
    this.system = system;
    this.token = token;
    this.timeout = timeout;
    this.servers = servers;
  }

  public static ApiClient create(ActorSystem<?> system, String token, Duration timeout) {
    Servers s = new Servers();
    system.systemActorOf(Behaviors.<Receptionist.Listing>setup(ctx -> {
      ctx.getSystem().receptionist().tell(Receptionist.subscribe(ApiServerProtocol.SERVICE_KEY, ctx.getSelf()));
      return Behaviors.receiveMessage(listing -> {
        s.refs = List.copyOf(listing.getServiceInstances(ApiServerProtocol.SERVICE_KEY));
        if (!s.refs.isEmpty()) {
          s.available.complete(null);
        } else if (s.available.isDone()) {
          s.available = new CompletableFuture<>();
        }
        return Behaviors.same();
      });
    }), "api-client-" + ThreadLocalRandom.current().nextInt(1 << 30), Props.empty());
    return new ApiClient(system, token, timeout, s);
  }

  /** The same connection under another identity (one kubelet JVM speaks for many nodes). */
  public ApiClient as(String otherToken) {
    return new ApiClient(system, otherToken, timeout, servers);
  }

  @Override
  public ActorSystem<?> system() {
    return system;
  }

  public boolean isConnected() {
    return !servers.refs.isEmpty();
  }

  private CompletionStage<ActorRef<ApiServerProtocol.Request>> server() {
    // copy(): orTimeout must not complete the shared future, or one timeout would fail every later call
    return servers.available.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(e -> {
          throw new StatusException(503, "ServiceUnavailable", "no apiserver is reachable");
        })
        .thenApply(x -> {
          List<ActorRef<ApiServerProtocol.Request>> s = servers.refs;
          if (s.isEmpty()) {
            throw new StatusException(503, "ServiceUnavailable", "no apiserver is reachable");
          }
          return s.get(Math.floorMod(servers.next.getAndIncrement(), s.size()));
        });
  }

  /** A raw call: answers the JSON body of a 2xx, fails with the Status otherwise. */
  public CompletionStage<byte[]> call(Verb verb, Target target, Map<String, String> query, byte[] body,
                                      String contentType) {
    return server().thenCompose(ref -> AskPattern.<ApiServerProtocol.Request, Response>ask(ref,
            replyTo -> new Call(token, verb, target, query, contentType, body, replyTo), timeout, system.scheduler()))
        .handle((resp, err) -> {
          if (err != null) {
            StatusException se = StatusException.of(err);
            throw se != null ? se : new StatusException(504, "Timeout", "apiserver did not answer: " + err);
          }
          if (!resp.isSuccess()) {
            throw StatusException.fromStatus(resp.code(), resp.body());
          }
          return resp.body();
        });
  }

  private <T> CompletionStage<T> typed(Verb verb, Target target, Map<String, String> query, Object body,
                                       Class<T> type) {
    byte[] bytes = body == null ? null : body instanceof byte[] b ? b : KubeJson.bytes(body);
    return call(verb, target, query, bytes, "application/json").thenApply(json -> KubeJson.read(json, type));
  }

  @SuppressWarnings("unchecked")
  private static <T extends HasMetadata> Class<T> classOf(T obj) {
    return (Class<T>) obj.getClass();
  }

  @Override
  public <T extends HasMetadata> CompletionStage<T> get(Class<T> type, String namespace, String name) {
    return typed(Verb.GET, Target.of(Resources.of(type), namespace, name), Map.of(), null, type);
  }

  @Override
  public <T extends HasMetadata> CompletionStage<ObjectList<T>> list(Class<T> type, String namespace,
                                                                    ListOptions opts) {
    ResourceType rt = Resources.of(type);
    return call(Verb.LIST, Target.of(rt, namespace, null), opts.query(), null, null).thenApply(json -> {
      JsonNode list = KubeJson.tree(json);
      List<T> items = new ArrayList<>();
      for (JsonNode item : list.path("items")) {
        items.add(KubeJson.convert(item, type));
      }
      return new ObjectList<>(items, list.path("metadata").path("resourceVersion").asText(""),
          list.path("metadata").path("continue").asText(null));
    });
  }

  /** Every page of a list at one resourceVersion. */
  @Override
  public <T extends HasMetadata> CompletionStage<ObjectList<T>> listAll(Class<T> type, String namespace,
                                                                       ListOptions opts) {
    return listPages(type, namespace, opts.withPage(500, null), new ArrayList<>());
  }

  private <T extends HasMetadata> CompletionStage<ObjectList<T>> listPages(Class<T> type, String ns, ListOptions o,
                                                                          List<T> acc) {
    return list(type, ns, o).thenCompose(page -> {
      acc.addAll(page.items());
      if (page.continueToken() != null && !page.continueToken().isEmpty()) {
        return listPages(type, ns, o.withPage(500, page.continueToken()), acc);
      }
      return CompletableFuture.completedFuture(new ObjectList<>(acc, page.resourceVersion(), null));
    });
  }

  @Override
  public <T extends HasMetadata> CompletionStage<T> create(T obj) {
    ResourceType rt = Resources.of(obj.getClass());
    return typed(Verb.CREATE, Target.of(rt, obj.getMetadata().getNamespace(), null), Map.of(), obj, classOf(obj));
  }

  @Override
  public <T extends HasMetadata> CompletionStage<T> update(T obj) {
    ResourceType rt = Resources.of(obj.getClass());
    return typed(Verb.UPDATE, Target.of(rt, obj.getMetadata().getNamespace(), obj.getMetadata().getName()),
        Map.of(), obj, classOf(obj));
  }

  @Override
  public <T extends HasMetadata> CompletionStage<T> updateStatus(T obj) {
    ResourceType rt = Resources.of(obj.getClass());
    return typed(Verb.UPDATE, Target.of(rt, obj.getMetadata().getNamespace(), obj.getMetadata().getName())
        .sub("status"), Map.of(), obj, classOf(obj));
  }

  /** PATCH with a patch type's content type ("application/merge-patch+json", ...), on a subresource or not. */
  @Override
  public <T extends HasMetadata> CompletionStage<T> patch(Class<T> type, String namespace, String name,
                                                         String subresource, String contentType, Object patch) {
    Target t = Target.of(Resources.of(type), namespace, name);
    return call(Verb.PATCH, subresource == null ? t : t.sub(subresource), Map.of(), KubeJson.bytes(patch),
        contentType).thenApply(json -> KubeJson.read(json, type));
  }

  @Override
  public CompletionStage<Void> delete(Class<? extends HasMetadata> type, String namespace, String name,
                                      DeleteOptions options) {
    return call(Verb.DELETE, Target.of(Resources.of(type), namespace, name), Map.of(),
        options == null ? null : KubeJson.bytes(options), "application/json").thenApply(x -> null);
  }

  // ---------------------------------------------------------------- any kind, metadata only

  /** The apiVersion, kind and metadata of an object's JSON (what a metadata informer keeps). */
  public static PartialObjectMetadata metadataOf(JsonNode obj, ResourceType type) {
    PartialObjectMetadata m = new PartialObjectMetadata();
    m.setApiVersion(type.apiVersion());
    m.setKind(type.kind());
    m.setMetadata(KubeJson.convert(obj.path("metadata"), ObjectMeta.class));
    return m;
  }

  @Override
  public CompletionStage<PartialObjectMetadata> getMetadata(ResourceType type, String namespace, String name) {
    return call(Verb.GET, Target.of(type, namespace, name), Map.of(), null, null)
        .thenApply(json -> metadataOf(KubeJson.tree(json), type));
  }

  @Override
  public CompletionStage<ObjectList<PartialObjectMetadata>> listMetadata(ResourceType type, String namespace,
                                                                         ListOptions opts) {
    return metadataPages(type, namespace, opts.withPage(500, null), new ArrayList<>());
  }

  private CompletionStage<ObjectList<PartialObjectMetadata>> metadataPages(ResourceType type, String ns,
                                                                           ListOptions o,
                                                                           List<PartialObjectMetadata> acc) {
    return call(Verb.LIST, Target.of(type, ns, null), o.query(), null, null).thenCompose(json -> {
      JsonNode list = KubeJson.tree(json);
      for (JsonNode item : list.path("items")) {
        acc.add(metadataOf(item, type));
      }
      String cont = list.path("metadata").path("continue").asText("");
      if (!cont.isEmpty()) {
        return metadataPages(type, ns, o.withPage(500, cont), acc);
      }
      return CompletableFuture.completedFuture(new ObjectList<>(acc,
          list.path("metadata").path("resourceVersion").asText(""), null));
    });
  }

  @Override
  public CompletionStage<Source<Event<PartialObjectMetadata>, NotUsed>> watchMetadata(ResourceType type,
                                                                                      String namespace,
                                                                                      ListOptions opts) {
    return watchRaw(Target.of(type, namespace, null), opts).thenApply(src -> src.map(e -> {
      if (e.type().equals("ERROR") || e.type().equals("BOOKMARK")) {
        return decode(e, PartialObjectMetadata.class);
      }
      PartialObjectMetadata m = metadataOf(KubeJson.tree(e.object()), type);
      return new Event<>(e.type(), m, m.getMetadata().getResourceVersion(), e.object());
    }));
  }

  @Override
  public CompletionStage<PartialObjectMetadata> patchMetadata(ResourceType type, String namespace, String name,
                                                              Object mergePatch) {
    return call(Verb.PATCH, Target.of(type, namespace, name), Map.of(), KubeJson.bytes(mergePatch),
        "application/merge-patch+json").thenApply(json -> metadataOf(KubeJson.tree(json), type));
  }

  @Override
  public CompletionStage<Void> delete(ResourceType type, String namespace, String name, DeleteOptions options) {
    return call(Verb.DELETE, Target.of(type, namespace, name), Map.of(),
        options == null ? null : KubeJson.bytes(options), "application/json").thenApply(x -> null);
  }

  /** pods/binding: assigns a pod to a node (409 Conflict if it already has one). */
  public CompletionStage<Void> bind(String namespace, String podName, String podUid, String nodeName) {
    Binding b = new BindingBuilder().withNewMetadata().withName(podName).withNamespace(namespace).withUid(podUid)
        .endMetadata().withNewTarget().withKind("Node").withName(nodeName).endTarget().build();
    return call(Verb.CREATE, Target.of(Resources.PODS, namespace, podName).sub("binding"), Map.of(),
        KubeJson.bytes(b), "application/json").thenApply(x -> null);
  }

  /** A watch from the options' resourceVersion; the stream ends when the server closes it. */
  @Override
  public <T extends HasMetadata> CompletionStage<Source<Event<T>, NotUsed>> watch(Class<T> type, String namespace,
                                                                                ListOptions opts) {
    return watchRaw(Target.of(Resources.of(type), namespace, null), opts)
        .thenApply(src -> src.map(e -> decode(e, type)));
  }

  private CompletionStage<Source<ApiServerProtocol.WatchEvent, NotUsed>> watchRaw(Target target, ListOptions opts) {
    return server().thenCompose(ref -> AskPattern.<ApiServerProtocol.Request, ApiServerProtocol.WatchReply>ask(ref,
            replyTo -> new ApiServerProtocol.Watch(token, target, opts.query(), replyTo), timeout, system.scheduler()))
        .handle((reply, err) -> {
          if (err != null) {
            StatusException se = StatusException.of(err);
            throw se != null ? se : new StatusException(504, "Timeout", "apiserver did not answer: " + err);
          }
          if (reply.events() == null) {
            throw StatusException.fromStatus(reply.code(), reply.status());
          }
          return reply.events().getSource();
        });
  }

  private static <T> Event<T> decode(ApiServerProtocol.WatchEvent e, Class<T> type) {
    if (e.type().equals("ERROR")) {
      return new Event<>(e.type(), null, null, e.object());
    }
    if (e.type().equals("BOOKMARK")) {
      String rv = KubeJson.tree(e.object()).path("metadata").path("resourceVersion").asText("");
      return new Event<>(e.type(), null, rv, e.object());
    }
    T obj = KubeJson.read(e.object(), type);
    String rv = ((HasMetadata) obj).getMetadata().getResourceVersion();
    return new Event<>(e.type(), obj, rv, e.object());
  }

  static RuntimeException unwrap(Throwable t) {
    return t instanceof CompletionException ce && ce.getCause() instanceof RuntimeException re ? re
        : t instanceof RuntimeException re2 ? re2 : new CompletionException(t);
  }
}
