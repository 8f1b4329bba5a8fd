package io.kemu.apiserver.storage;

import io.kemu.api.etcd.EtcdProtocol;
import io.kemu.api.etcd.EtcdProtocol.Command;
import io.kemu.apiserver.errors.ApiException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.pattern.StatusReply;

/**
 * The apiserver's connection to the etcd-store role: the store's ref comes from the Receptionist (it changes
 * when the store JVM restarts); each request is an ask with a deadline.
 */
public final class EtcdClient {
  /** An error answered by the store, with etcd's text. */
  public static final class EtcdError extends RuntimeException {
    public EtcdError(String message) {
      super(message, null, false, false);
    }

    public boolean isCompacted() {
      return EtcdProtocol.ERR_COMPACTED.equals(getMessage());
    }
  }

  private final ActorSystem<?> system;
  private final Duration timeout;
  private volatile List<ActorRef<Command>> stores = List.of();
  private volatile CompletableFuture<Void> available = new CompletableFuture<>();

  public EtcdClient(ActorSystem<?> system, Duration timeout) {
    this.system = system;
    this.timeout = timeout;
    system.systemActorOf(Behaviors.<Receptionist.Listing>setup(ctx -> {
      ctx.getSystem().receptionist().tell(Receptionist.subscribe(EtcdProtocol.SERVICE_KEY, ctx.getSelf()));
      return Behaviors.receiveMessage(listing -> {
        stores = List.copyOf(listing.getServiceInstances(EtcdProtocol.SERVICE_KEY));
        if (!stores.isEmpty()) {
          ctx.getLog().info("etcd-store at {}", stores.get(0).path());
          available.complete(null);
        } else if (available.isDone()) {
          ctx.getLog().warn("etcd-store unavailable");
          available = new CompletableFuture<>();
        }
        return Behaviors.same();
      });
    }), "etcd-client-" + Integer.toHexString(System.identityHashCode(this)), Props.empty());
  }

  public boolean isConnected() {
    return !stores.isEmpty();
  }

  public Duration timeout() {
    return timeout;
  }

  /** Sends a command once a store is known; fails with 504 Timeout after the deadline. */
  public <T> CompletionStage<T> ask(Function<ActorRef<StatusReply<T>>, Command> command) {
    // copy(): orTimeout must not complete the shared future, or one timeout would fail every later call
    return available.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(e -> {
          throw ApiException.timeout("etcdserver: request timed out, no etcd-store is reachable");
        })
        .thenCompose(ignored -> AskPattern.<Command, T>askWithStatus(stores.get(0), command::apply, timeout,
            system.scheduler()))
        .exceptionally(e -> {
          Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          if (cause instanceof ApiException api) {
            throw api;
          }
          if (cause instanceof StatusReply.ErrorMessage err) {
            throw new EtcdError(err.getMessage());
          }
          if (cause instanceof TimeoutException || cause.getClass().getSimpleName().contains("Timeout")) {
            throw ApiException.timeout("Timeout: request did not complete within requested timeout - "
                + "context deadline exceeded");
          }
          throw new CompletionException(cause);
        });
  }
}
