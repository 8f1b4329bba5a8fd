package io.kemu.etcd.client;

import io.kemu.api.etcd.EtcdProtocol;
import io.kemu.api.etcd.EtcdProtocol.Command;
import io.kemu.api.etcd.EtcdProtocol.WatchRequest;
import io.kemu.api.etcd.EtcdProtocol.WatchResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A client of the etcd-store for JVMs that join the cluster only to talk to it (etcdctl, the benchmark, the
 * durability tests). It finds the store through the Receptionist (its ref changes when the store JVM restarts)
 * and asks with a deadline. {@link #watch} is a watch that survives stream breaks: like client-go's reflector
 * it resumes from the revision after the last one it received, and ends only when that revision was compacted
 * (the last element is then the cancel response carrying the compaction point).
 */
public final class StoreClient {
  /** An error answered by the store, with etcd's text. */
  public static final class StoreError extends RuntimeException {
    public StoreError(String message) {
      super(message, null, false, false);
    }
  }

  private final ActorSystem<?> system;
  private final Duration timeout;
  private volatile List<ActorRef<Command>> stores = List.of();
  private volatile CompletableFuture<ActorRef<Command>> available = new CompletableFuture<>();

  public StoreClient(ActorSystem<?> system, Duration timeout) {
    this.system = system;
    this.timeout = timeout;
    system.systemActorOf(Behaviors.<Receptionist.Listing>setup(ctx -> {
      ctx.getSystem().receptionist().tell(Receptionist.subscribe(EtcdProtocol.SERVICE_KEY, ctx.getSelf()));
      return Behaviors.receiveMessage(listing -> {
        List<ActorRef<Command>> now = List.copyOf(listing.getServiceInstances(EtcdProtocol.SERVICE_KEY));
        stores = now;
        if (!now.isEmpty()) {
          if (!available.complete(now.get(0)) && available.join() != now.get(0)) {
            available = CompletableFuture.completedFuture(now.get(0));
          }
        } else if (available.isDone()) {
          available = new CompletableFuture<>();
        }
        return Behaviors.same();
      });
    }), "store-client-" + Integer.toHexString(System.identityHashCode(this)), Props.empty());
  }

  public ActorSystem<?> system() {
    return system;
  }

  public boolean isConnected() {
    return !stores.isEmpty();
  }

  /** The store once one is known, or a failure after the deadline. */
  public CompletionStage<ActorRef<Command>> store(Duration wait) {
    return available.copy().orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Asks the store; fails with {@link StoreError} for the store's own errors, TimeoutException otherwise. */
  public <T> CompletionStage<T> ask(Function<ActorRef<StatusReply<T>>, Command> command) {
    return store(timeout).thenCompose(ref -> AskPattern.<Command, T>askWithStatus(ref, command::apply, timeout,
        system.scheduler())).exceptionally(e -> {
          Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          if (cause instanceof StatusReply.ErrorMessage err) {
            throw new StoreError(err.getMessage());
          }
          throw cause instanceof RuntimeException re ? re : new CompletionException(cause);
        });
  }

  public CompletionStage<EtcdProtocol.PutResponse> put(String key, byte[] value) {
    return ask(r -> new EtcdProtocol.Put(new EtcdProtocol.PutRequest(key, value), r));
  }

  public CompletionStage<EtcdProtocol.RangeResponse> range(EtcdProtocol.RangeRequest request) {
    return ask(r -> new EtcdProtocol.Range(request, r));
  }

  public CompletionStage<EtcdProtocol.StatusResponse> status() {
    return ask(EtcdProtocol.Status::new);
  }

  /** One watch stream, as the store gives it: it ends when the stream breaks. */
  public CompletionStage<Source<WatchResponse, NotUsed>> watchOnce(WatchRequest request) {
    return this.<EtcdProtocol.WatchCreated>ask(r -> new EtcdProtocol.Watch(request, r))
        .thenApply(created -> created.events().getSource());
  }

  /**
   * A watch that resumes after every stream break (store restart, slow-watcher cancellation) from the revision
   * after the last one received (events or progress notification). It never filters: what the store sends is
   * what the caller sees, so tests can check the store's guarantees. It completes after a compacted cancel.
   */
  public Source<WatchResponse, NotUsed> watch(WatchRequest request) {
    AtomicLong last = new AtomicLong(request.startRevision() > 0 ? request.startRevision() - 1 : -1);
    RestartSettings restart = RestartSettings.create(Duration.ofMillis(100), Duration.ofSeconds(1), 0.2)
        .withMaxRestarts(Integer.MAX_VALUE, Duration.ofSeconds(1));
    return RestartSource.withBackoff(restart, () -> {
      // A watch "from now" first pins "now" to a revision, so that a resume never skips anything.
      CompletionStage<Long> from = last.get() >= 0 ? CompletableFuture.completedFuture(last.get() + 1)
          : status().thenApply(s -> {
            last.compareAndSet(-1, s.header().revision());
            return last.get() + 1;
          });
      return Source.completionStageSource(from.thenCompose(rev -> watchOnce(new WatchRequest(request.key(),
              request.rangeEnd(), rev, request.prevKv(), request.progressNotify()))))
          .mapMaterializedValue(m -> NotUsed.notUsed())
          .map(r -> track(last, r));
    }).takeWhile(r -> !(r.canceled() && r.compactRevision() > 0), true);
  }

  private static WatchResponse track(AtomicLong last, WatchResponse r) {
    if (!r.canceled()) {
      long rev = r.header().revision();
      if (!r.events().isEmpty()) {
        rev = r.events().get(r.events().size() - 1).kv().modRevision();
      }
      last.accumulateAndGet(rev, Math::max);
    }
    return r;
  }
}
