package io.kemu.controller.namespace;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.kemu.api.ApiServerProtocol.Target;
import io.kemu.api.ApiServerProtocol.Verb;
import io.kemu.api.Flow;
import io.kemu.api.KubeJson;
import io.kemu.api.ResourceType;
import io.kemu.api.Resources;
import io.kemu.api.client.ApiClient;
import io.kemu.api.client.Informer;
import io.kemu.api.client.ListOptions;
import io.kemu.api.client.StatusException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * pkg/controller/namespace: a namespace being deleted (Terminating, spec.finalizers holds "kubernetes") is
 * emptied resource by resource with deletecollection; while content remains (pods terminating with their grace
 * period) it is checked again later; once empty, the "kubernetes" finalizer is removed through
 * namespaces/finalize and the apiserver deletes the namespace.
 */
public final class NamespaceController {
  public static final String FINALIZER = "kubernetes";

  public sealed interface Command {}

  private record Changed(Namespace ns) implements Command {}

  private record Sync(String name) implements Command {}

  private record Synced(String name, boolean done, Throwable error) implements Command {}

  public static Behavior<Command> create(ApiClient client, Duration resync) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new NamespaceController(ctx, timers, client, resync)
        .behavior()));
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final ApiClient client;
  private final Duration resync;
  private final Set<String> inFlight = new HashSet<>();

  private NamespaceController(ActorContext<Command> ctx, TimerScheduler<Command> timers, ApiClient client,
                              Duration resync) {
    this.ctx = ctx;
    this.timers = timers;
    this.client = client;
    this.resync = resync;
    ActorRef<Command> self = ctx.getSelf();
    new Informer<>(client, Namespace.class, null, ListOptions.ALL, new Informer.Handler<>() {
      public void onAdd(Namespace ns) {
        self.tell(new Changed(ns));
      }

      public void onUpdate(Namespace old, Namespace ns) {
        self.tell(new Changed(ns));
      }
    }).start();
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(Changed.class, c -> {
          if (isDeleting(c.ns())) {
            ctx.getSelf().tell(new Sync(c.ns().getMetadata().getName()));
          }
          return Behaviors.same();
        })
        .onMessage(Sync.class, s -> {
          if (inFlight.add(s.name())) {
            ctx.pipeToSelf(sync(s.name()), (done, err) -> new Synced(s.name(), Boolean.TRUE.equals(done), err));
          }
          return Behaviors.same();
        })
        .onMessage(Synced.class, s -> {
          inFlight.remove(s.name());
          if (s.error() != null) {
            StatusException se = StatusException.of(s.error());
            if (se != null && se.isNotFound()) {
              return Behaviors.same();
            }
            ctx.getLog().info("namespace {}: {}, retrying", s.name(), s.error().getMessage());
          }
          if (!s.done()) {
            timers.startSingleTimer("sync-" + s.name(), new Sync(s.name()), resync);
          }
          return Behaviors.same();
        })
        .build();
  }

  private static boolean isDeleting(Namespace ns) {
    return ns.getMetadata().getDeletionTimestamp() != null && ns.getSpec() != null
        && ns.getSpec().getFinalizers() != null && ns.getSpec().getFinalizers().contains(FINALIZER);
  }

  /** One pass: delete what is left, then finalize if nothing remains. Completes with true when finished. */
  private CompletionStage<Boolean> sync(String name) {
    return client.get(Namespace.class, null, name).thenCompose(ns -> {
      if (!isDeleting(ns)) {
        return CompletableFuture.completedFuture(true);
      }
      List<CompletableFuture<Integer>> remaining = new ArrayList<>();
      for (ResourceType t : Resources.ALL) {
        if (t.namespaced()) {
          remaining.add(deleteCollection(t, name).toCompletableFuture());
        }
      }
      return CompletableFuture.allOf(remaining.toArray(CompletableFuture[]::new)).thenCompose(x -> {
        int left = remaining.stream().mapToInt(CompletableFuture::join).sum();
        if (left > 0) {
          Flow.LOG.info("namespace-controller: namespace {} still has {} objects terminating", name, left);
          return CompletableFuture.completedFuture(false);
        }
        Namespace finalized = KubeJson.copy(ns);
        List<String> finalizers = new ArrayList<>(ns.getSpec().getFinalizers());
        finalizers.remove(FINALIZER);
        finalized.getSpec().setFinalizers(finalizers);
        Flow.LOG.info("namespace-controller: namespace {} is empty, finalizing", name);
        return client.call(Verb.UPDATE, Target.of(Resources.NAMESPACES, null, name).sub("finalize"), Map.of(),
            KubeJson.bytes(finalized), "application/json").thenApply(b -> true);
      });
    });
  }

  /** deletecollection in the namespace; answers how many objects still exist (e.g. pods still terminating). */
  private CompletionStage<Integer> deleteCollection(ResourceType t, String namespace) {
    Target target = Target.of(t, namespace, null);
    byte[] options = KubeJson.bytes(new DeleteOptionsBuilder().withPropagationPolicy("Background").build());
    return client.call(Verb.DELETECOLLECTION, target, Map.of(), options, "application/json")
        .thenCompose(x -> client.call(Verb.LIST, target, Map.of(), null, null))
        .thenApply(list -> {
          JsonNode items = KubeJson.tree(list).path("items");
          return items.size();
        });
  }
}
