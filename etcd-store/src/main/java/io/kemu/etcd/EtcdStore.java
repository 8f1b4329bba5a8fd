package io.kemu.etcd;

import io.kemu.api.CborSerializable;
import io.kemu.api.etcd.EtcdProtocol;
import io.kemu.api.etcd.EtcdProtocol.Command;
import io.kemu.api.etcd.EtcdProtocol.CompactResponse;
import io.kemu.api.etcd.EtcdProtocol.LeaseGrantResponse;
import io.kemu.api.etcd.EtcdProtocol.LeaseKeepAliveResponse;
import io.kemu.api.etcd.EtcdProtocol.LeaseRevokeResponse;
import io.kemu.api.etcd.EtcdProtocol.LeaseTimeToLiveResponse;
import io.kemu.api.etcd.EtcdProtocol.RequestOp;
import io.kemu.api.etcd.EtcdProtocol.ResponseHeader;
import io.kemu.api.etcd.EtcdProtocol.StatusResponse;
import io.kemu.api.etcd.EtcdProtocol.TxnRequest;
import io.kemu.api.etcd.EtcdProtocol.TxnResponse;
import io.kemu.api.etcd.EtcdProtocol.WatchCreated;
import io.kemu.api.etcd.EtcdProtocol.WatchResponse;
import io.kemu.etcd.lease.Lessor;
import io.kemu.etcd.mvcc.Change;
import io.kemu.etcd.mvcc.Committed;
import io.kemu.etcd.mvcc.MvccException;
import io.kemu.etcd.mvcc.MvccSnapshot;
import io.kemu.etcd.mvcc.MvccStore;
import io.kemu.etcd.mvcc.MvccStore.TxnOutcome;
import io.kemu.etcd.watch.WatchHub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamRefs;

/**
 * The etcd-store: one event-sourced actor owns the global revision and the {@link MvccStore}.
 *
 * <p>Group commit: a write is evaluated at once, in arrival order, against the in-memory store (so that the
 * next write's compares see it), and queued; a {@code Flush} persists everything queued as one atomic
 * {@code persist(List)}. While that journal write is in flight Pekko stashes new commands, which then form the
 * next batch. Nobody learns of a write before its batch is journaled: replies and watch events leave after
 * the write, and reads never see past {@code persistedRevision}. After a crash the journal (plus the latest
 * snapshot) rebuilds exactly the acknowledged state.
 */
public final class EtcdStore extends EventSourcedBehavior<EtcdStore.Msg, EtcdStore.StoreEvent, EtcdStore.State> {

  // ---------------------------------------------------------------- messages (local to this JVM)

  public sealed interface Msg {}

  /** A protocol command arriving through the message adapter that other JVMs know as the store. */
  private record External(Command command) implements Msg {}

  private enum Flush implements Msg { INSTANCE }

  private enum LeaseCheck implements Msg { INSTANCE }

  private enum ProgressNotify implements Msg { INSTANCE }

  // ---------------------------------------------------------------- journal

  public sealed interface StoreEvent extends CborSerializable {}

  public record TxnCommitted(long revision, List<Change> changes) implements StoreEvent {}

  public record LeaseGranted(long id, long ttlSeconds) implements StoreEvent {}

  public record LeaseRevoked(long id) implements StoreEvent {}

  public record Compacted(long revision) implements StoreEvent {}

  public record StoreSnapshot(MvccSnapshot mvcc, List<Lessor.LeaseRecord> leases, long lastLeaseId)
      implements CborSerializable {}

  // ---------------------------------------------------------------- state

  /** Mutable, owned by this actor; snapshots go through an immutable {@link StoreSnapshot}. */
  public static final class State {
    final MvccStore mvcc;
    final Lessor lessor;
    long persistedRevision;
    boolean recovering = true;
    final List<Pending> pending = new ArrayList<>();
    boolean flushScheduled;

    State(MvccStore mvcc, Lessor lessor) {
      this.mvcc = mvcc;
      this.lessor = lessor;
      mvcc.setLeaseAttachments(lessor);
      this.persistedRevision = mvcc.currentRevision();
    }

    public long persistedRevision() {
      return persistedRevision;
    }
  }

  /** A write waiting for its batch: what to journal, what to publish, and the reply to send once durable. */
  private record Pending(List<StoreEvent> events, List<Committed> committed, Runnable reply) {}

  // ---------------------------------------------------------------- construction

  public static Behavior<Msg> create(StoreSettings settings) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new EtcdStore(ctx, timers, settings)));
  }

  private final ActorContext<Msg> ctx;
  private final TimerScheduler<Msg> timers;
  private final StoreSettings settings;
  private final ActorRef<Command> publicRef;
  private final WatchHub hub;
  private final Materializer materializer;

  private EtcdStore(ActorContext<Msg> ctx, TimerScheduler<Msg> timers, StoreSettings settings) {
    super(PersistenceId.ofUniqueId(settings.persistenceId()),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.ctx = ctx;
    this.timers = timers;
    this.settings = settings;
    this.publicRef = ctx.messageAdapter(Command.class, External::new);
    this.hub = new WatchHub(settings.maxEventsPerWatchResponse());
    this.materializer = Materializer.createMaterializer(ctx);
  }

  private Lessor newLessor() {
    return new Lessor(System::nanoTime, ttl -> settings.timeScale().real(Duration.ofSeconds(ttl)));
  }

  @Override
  public State emptyState() {
    return new State(new MvccStore(), newLessor());
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), settings.keepSnapshots())
        .withDeleteEventsOnSnapshot();
  }

  @Override
  public SnapshotAdapter<State> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(State s) {
        // Taken right after a journal write, before stashed commands run: nothing is pending here.
        return new StoreSnapshot(s.mvcc.snapshot(), s.lessor.snapshot(), s.lessor.lastId());
      }

      @Override
      public State fromJournal(Object from) {
        StoreSnapshot snap = (StoreSnapshot) from;
        Lessor lessor = newLessor();
        lessor.restore(snap.leases(), snap.lastLeaseId());
        return new State(MvccStore.restore(snap.mvcc(), lessor), lessor);
      }
    };
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::onRecovered)
        // A failed journal write restarts the store from the journal: the watchers of this incarnation learn
        // it, and resume from their last revision, instead of waiting on a stream nobody feeds any more.
        .onSignal(org.apache.pekko.actor.typed.PreRestart.instance(), s -> endWatchers(s))
        .onSignal(org.apache.pekko.actor.typed.PostStop.instance(), s -> endWatchers(s))
        .build();
  }

  private void endWatchers(State s) {
    hub.cancelAll("etcdserver: the store is restarting, resume from the last revision received",
        s == null ? 0 : s.persistedRevision);
  }

  private void onRecovered(State s) {
    s.recovering = false;
    s.persistedRevision = s.mvcc.currentRevision();
    ctx.getLog().info("etcd-store recovered: revision {}, compacted at {}, {} keys, {} leases",
        s.persistedRevision, s.mvcc.compactRevision(), s.mvcc.keyCount(), s.lessor.size());
    timers.startTimerWithFixedDelay(LeaseCheck.INSTANCE, settings.leaseCheckInterval());
    timers.startTimerWithFixedDelay(ProgressNotify.INSTANCE, settings.progressNotifyInterval());
    ctx.getSystem().receptionist().tell(Receptionist.register(EtcdProtocol.SERVICE_KEY, publicRef));
  }

  // ---------------------------------------------------------------- events

  @Override
  public EventHandler<State, StoreEvent> eventHandler() {
    return (s, e) -> {
      if (!s.recovering) {
        // Live: the write was applied when it was evaluated; the journal write makes it durable.
        if (e instanceof TxnCommitted tc) {
          s.persistedRevision = Math.max(s.persistedRevision, tc.revision());
        }
        return s;
      }
      if (e instanceof TxnCommitted tc) {
        s.mvcc.apply(tc.revision(), tc.changes());
      } else if (e instanceof LeaseGranted lg) {
        s.lessor.grant(lg.id(), lg.ttlSeconds());
      } else if (e instanceof LeaseRevoked lr) {
        s.lessor.revoke(lr.id());
      } else if (e instanceof Compacted c && c.revision() > s.mvcc.compactRevision()) {
        s.mvcc.compact(c.revision());
      }
      s.persistedRevision = s.mvcc.currentRevision();
      return s;
    };
  }

  // ---------------------------------------------------------------- commands

  @Override
  public CommandHandler<Msg, StoreEvent, State> commandHandler() {
    return (s, msg) -> {
      if (msg instanceof External ext) {
        return onCommand(s, ext.command());
      } else if (msg == Flush.INSTANCE) {
        return flush(s);
      } else if (msg == LeaseCheck.INSTANCE) {
        return expireLeases(s);
      } else {
        hub.progress(s.persistedRevision);
        return Effect().none();
      }
    };
  }

  private Effect<StoreEvent, State> onCommand(State s, Command command) {
    try {
      if (command instanceof EtcdProtocol.Range r) {
        r.replyTo().tell(StatusReply.success(s.mvcc.range(r.request(), s.persistedRevision)));
      } else if (command instanceof EtcdProtocol.Put p) {
        return write(s, s.mvcc.put(p.request()),
            o -> p.replyTo().tell(StatusReply.success((EtcdProtocol.PutResponse) o.response().responses().get(0))));
      } else if (command instanceof EtcdProtocol.DeleteRange d) {
        return write(s, s.mvcc.deleteRange(d.request()), o -> d.replyTo().tell(StatusReply.success(
            (EtcdProtocol.DeleteRangeResponse) o.response().responses().get(0))));
      } else if (command instanceof EtcdProtocol.Txn t) {
        return txn(s, t);
      } else if (command instanceof EtcdProtocol.Compact c) {
        return compact(s, c);
      } else if (command instanceof EtcdProtocol.Watch w) {
        watch(s, w);
      } else if (command instanceof EtcdProtocol.LeaseGrant g) {
        return leaseGrant(s, g);
      } else if (command instanceof EtcdProtocol.LeaseRevoke r) {
        return leaseRevoke(s, r);
      } else if (command instanceof EtcdProtocol.LeaseKeepAlive k) {
        long ttl = s.lessor.keepAlive(k.id());
        k.replyTo().tell(ttl < 0 ? StatusReply.error(EtcdProtocol.ERR_LEASE_NOT_FOUND)
            : StatusReply.success(new LeaseKeepAliveResponse(header(s), k.id(), ttl)));
      } else if (command instanceof EtcdProtocol.LeaseTimeToLive t) {
        long[] ttl = s.lessor.timeToLive(t.id());
        t.replyTo().tell(ttl == null ? StatusReply.error(EtcdProtocol.ERR_LEASE_NOT_FOUND)
            : StatusReply.success(new LeaseTimeToLiveResponse(header(s), t.id(), ttl[0], ttl[1],
                t.keys() ? s.lessor.keys(t.id()) : List.of())));
      } else if (command instanceof EtcdProtocol.Status st) {
        st.replyTo().tell(StatusReply.success(new StatusResponse(header(s), s.mvcc.compactRevision(),
            s.mvcc.keyCount(), hub.size(), s.lessor.size(), settings.persistenceId(), lastSequenceNumber(ctx))));
      }
      return Effect().none();
    } catch (MvccException e) {
      replyError(command, e.getMessage());
      return Effect().none();
    } catch (RuntimeException e) {
      // A bad request must never take the store down.
      ctx.getLog().warn("etcd-store rejected {}: {}", command.getClass().getSimpleName(), e.toString());
      replyError(command, "etcdserver: " + e.getMessage());
      return Effect().none();
    }
  }

  private Effect<StoreEvent, State> txn(State s, EtcdProtocol.Txn t) {
    TxnRequest req = t.request();
    boolean readOnly = isReadOnly(req.success()) && isReadOnly(req.failure());
    if (readOnly && s.pending.isEmpty()) {
      // Same answer as etcd's serializable read-only txn: compares and ranges against durable state.
      t.replyTo().tell(StatusReply.success(s.mvcc.txn(req).response()));
      return Effect().none();
    }
    return write(s, s.mvcc.txn(req), o -> t.replyTo().tell(StatusReply.success(o.response())));
  }

  private Effect<StoreEvent, State> write(State s, TxnOutcome outcome, java.util.function.Consumer<TxnOutcome> reply) {
    Committed c = outcome.committed();
    List<StoreEvent> events = c == null ? List.of() : List.of(new TxnCommitted(c.revision(), c.changes()));
    return enqueue(s, new Pending(events, c == null ? List.of() : List.of(c), () -> reply.accept(outcome)));
  }

  private Effect<StoreEvent, State> compact(State s, EtcdProtocol.Compact c) {
    if (c.revision() > s.persistedRevision) {
      throw MvccException.futureRevision();
    }
    s.mvcc.compact(c.revision());
    return enqueue(s, new Pending(List.of(new Compacted(c.revision())), List.of(),
        () -> c.replyTo().tell(StatusReply.success(new CompactResponse(header(s))))));
  }

  private Effect<StoreEvent, State> leaseGrant(State s, EtcdProtocol.LeaseGrant g) {
    long id = g.id() != 0 ? g.id() : s.lessor.nextId();
    if (s.lessor.exists(id)) {
      throw MvccException.of("etcdserver: lease already exists");
    }
    if (g.ttlSeconds() > Lessor.MAX_TTL_SECONDS) {
      throw MvccException.of("etcdserver: too large lease TTL");
    }
    s.lessor.grant(id, g.ttlSeconds());
    long ttl = Math.max(1, g.ttlSeconds());
    return enqueue(s, new Pending(List.of(new LeaseGranted(id, ttl)), List.of(),
        () -> g.replyTo().tell(StatusReply.success(new LeaseGrantResponse(header(s), id, ttl)))));
  }

  private Effect<StoreEvent, State> leaseRevoke(State s, EtcdProtocol.LeaseRevoke r) {
    if (!s.lessor.exists(r.id())) {
      throw MvccException.of(EtcdProtocol.ERR_LEASE_NOT_FOUND);
    }
    return enqueue(s, revoke(s, r.id(),
        () -> r.replyTo().tell(StatusReply.success(new LeaseRevokeResponse(header(s))))));
  }

  /** A revoked or expired lease deletes its keys in one revision, journaled with the revocation. */
  private Pending revoke(State s, long id, Runnable reply) {
    Set<String> keys = s.lessor.revoke(id);
    Committed c = s.mvcc.deleteKeys(keys);
    List<StoreEvent> events = new ArrayList<>();
    if (c != null) {
      events.add(new TxnCommitted(c.revision(), c.changes()));
    }
    events.add(new LeaseRevoked(id));
    return new Pending(events, c == null ? List.of() : List.of(c), reply);
  }

  private Effect<StoreEvent, State> expireLeases(State s) {
    List<Long> expired = s.lessor.expired();
    if (expired.isEmpty()) {
      return Effect().none();
    }
    ctx.getLog().debug("leases expired: {}", expired);
    Effect<StoreEvent, State> effect = Effect().none();
    for (long id : expired) {
      effect = enqueue(s, revoke(s, id, () -> {}));
    }
    return effect;
  }

  private Effect<StoreEvent, State> enqueue(State s, Pending p) {
    s.pending.add(p);
    if (!s.flushScheduled) {
      s.flushScheduled = true;
      ctx.getSelf().tell(Flush.INSTANCE);
    }
    return Effect().none();
  }

  private Effect<StoreEvent, State> flush(State s) {
    s.flushScheduled = false;
    if (s.pending.isEmpty()) {
      return Effect().none();
    }
    List<Pending> batch = List.copyOf(s.pending);
    s.pending.clear();
    List<StoreEvent> events = new ArrayList<>();
    batch.forEach(p -> events.addAll(p.events()));
    if (events.isEmpty()) {
      batch.forEach(p -> p.reply().run());
      return Effect().none();
    }
    return Effect().persist(events).thenRun(st -> {
      st.persistedRevision = st.mvcc.currentRevision();
      for (Pending p : batch) {
        for (Committed c : p.committed()) {
          hub.publish(c.revision(), c.events());
          logFlow(c);
        }
      }
      batch.forEach(p -> p.reply().run());
    });
  }

  private void watch(State s, EtcdProtocol.Watch w) {
    EtcdProtocol.WatchRequest req = w.request();
    Pair<BoundedSourceQueue<WatchResponse>, Source<WatchResponse, NotUsed>> queue =
        Source.<WatchResponse>queue(settings.watchBuffer()).preMaterialize(materializer);
    SourceRef<WatchResponse> ref = queue.second().runWith(StreamRefs.sourceRef(), materializer);
    WatchHub.Sink sink = new QueueSink(queue.first(), settings.watchBuffer());
    long start = req.startRevision() <= 0 ? s.persistedRevision + 1 : req.startRevision();
    if (start < s.mvcc.compactRevision()) {
      WatchHub.rejectCompacted(sink, s.persistedRevision, s.mvcc.compactRevision());
    } else {
      long upTo = s.persistedRevision;
      var history = s.mvcc.eventsFrom(start).stream().filter(re -> re.revision() <= upTo).toList();
      hub.add(new EtcdProtocol.WatchRequest(req.key(), req.rangeEnd(), start, req.prevKv(), req.progressNotify()),
          sink, history, upTo);
    }
    w.replyTo().tell(StatusReply.success(new WatchCreated(ref)));
  }

  // ---------------------------------------------------------------- helpers

  /** The flow log names the pods whose writes became durable (other keys would drown it). */
  private static void logFlow(Committed c) {
    if (io.kemu.api.Flow.LOG.isInfoEnabled()) {
      for (Change ch : c.changes()) {
        if (ch.key().startsWith("/registry/pods/")) {
          io.kemu.api.Flow.LOG.info("etcd-store: committed revision {}: {} {}", c.revision(),
              ch.delete() ? "DELETE" : "PUT", ch.key());
        }
      }
    }
  }

  private static boolean isReadOnly(List<RequestOp> ops) {
    return ops == null || ops.stream().allMatch(op -> op instanceof EtcdProtocol.RangeRequest);
  }

  private static ResponseHeader header(State s) {
    return new ResponseHeader(s.persistedRevision);
  }

  private static void replyError(Command command, String message) {
    @SuppressWarnings("unchecked")
    ActorRef<StatusReply<Object>> ref = (ActorRef<StatusReply<Object>>) command.replyTo();
    ref.tell(StatusReply.error(message));
  }

  /** Adapts a bounded stream queue to the hub; the stream itself crosses to the watcher's JVM as a SourceRef. */
  private record QueueSink(BoundedSourceQueue<WatchResponse> queue, int capacity) implements WatchHub.Sink {
    @Override
    public boolean offer(WatchResponse response) {
      return queue.offer(response) == QueueOfferResult.enqueued();
    }

    @Override
    public int buffered() {
      return queue.size();
    }

    @Override
    public void complete() {
      try {
        queue.complete();
      } catch (IllegalStateException alreadyDone) {
        // the watcher's stream was cancelled first
      }
    }
  }
}
