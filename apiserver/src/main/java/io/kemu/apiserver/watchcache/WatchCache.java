package io.kemu.apiserver.watchcache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kemu.api.KubeJson;
import io.kemu.api.ResourceType;
import io.kemu.api.etcd.EtcdProtocol;
import io.kemu.api.etcd.EtcdProtocol.KeyValue;
import io.kemu.api.etcd.EtcdProtocol.WatchResponse;
import io.kemu.apiserver.errors.ApiException;
import io.kemu.apiserver.storage.Storage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSink;

/**
 * The apiserver's watch cache for one resource (the cacher of k8s.io/apiserver/pkg/storage/cacher): a single
 * etcd watch on the resource's prefix feeds an in-memory copy of every object and a window of recent events,
 * from which any number of watchers are served, each with its own selectors. Thousands of kubelet watches thus
 * cost the store one watch.
 *
 * <p>Watch from a resourceVersion inside the window replays what followed it; older ones get 410 Gone (the
 * client relists). If the etcd stream breaks (store restart) the cache resumes from its last revision; only if
 * that revision was compacted does it relist, and then every watcher is closed so that its client relists too.
 */
public final class WatchCache {

  // ---------------------------------------------------------------- protocol (local to the apiserver JVM)

  public sealed interface Command {}

  /** The cached objects matching a filter (the answer to a list with resourceVersion=0). */
  public record List_(WatchFilter filter, ActorRef<Snapshot> replyTo) implements Command {}

  public record Snapshot(List<CachedObject> items, long resourceVersion) {}

  /**
   * Start a watch. {@code fromRevision} null: synthetic ADDED events for the current objects first
   * (resourceVersion unset or "0"), otherwise only what happened after that revision.
   */
  public record Watch(WatchFilter filter, Long fromRevision, boolean bookmarks, int buffer,
                      ActorRef<Started> replyTo) implements Command {}

  public record Started(Source<WatchEvent, NotUsed> events) {}

  /** Answers once the cache has seen {@code revision} (consistent reads from the cache), or times out. */
  public record WaitFor(long revision, ActorRef<Long> replyTo) implements Command {}

  private record Listed(List<KeyValue> kvs, long revision) implements Command {}

  private record ListFailed(Throwable cause) implements Command {}

  private record EtcdWatchStarted(Source<WatchResponse, NotUsed> source) implements Command {}

  private record EtcdResponse(WatchResponse response, ActorRef<Ack> ack) implements Command {}

  private record EtcdStreamEnded(Throwable cause) implements Command {}

  private enum Ack { INSTANCE }

  /** The stream's first message: it sends nothing until this is acknowledged. */
  private record StreamInit(ActorRef<Ack> ack) implements Command {}

  private enum Bookmark implements Command { INSTANCE }

  private enum Restart implements Command { INSTANCE }

  /** Checks that the etcd stream is alive: the store sends a progress notification at least every few seconds. */
  private enum Watchdog implements Command { INSTANCE }

  /** The store sends progress notifications every 5 s: three times that without a word means a dead stream. */
  private static final Duration SILENT_STREAM = Duration.ofSeconds(15);

  private record WatcherGone(long id) implements Command {}

  // ---------------------------------------------------------------- state

  /** Builds the cached form of a stored object: the registry knows the type and its selectable fields. */
  public interface Decoder {
    CachedObject decode(String key, byte[] json, long rev, long lease);
  }

  private record Event(WatchEvent.Type type, CachedObject object, CachedObject prev, long rv) {}

  private static final class Watcher {
    final long id;
    final WatchFilter filter;
    final boolean bookmarks;
    final BoundedSourceQueue<WatchEvent> queue;
    long startRv;
    long lastRv;

    Watcher(long id, WatchFilter filter, boolean bookmarks, BoundedSourceQueue<WatchEvent> queue, long startRv) {
      this.id = id;
      this.filter = filter;
      this.bookmarks = bookmarks;
      this.queue = queue;
      this.startRv = startRv;
      this.lastRv = startRv;
    }
  }

  public record Settings(int windowCapacity, Duration bookmarkInterval, Duration retryDelay) {}

  public static Behavior<Command> create(ResourceType type, Storage storage, Decoder decoder,
                                         ConcurrentSkipListMap<String, CachedObject> objects, Settings settings) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> Behaviors.withStash(100_000,
        stash -> new WatchCache(ctx, timers, stash, type, storage, decoder, objects, settings).loading())));
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final StashBuffer<Command> stash;
  private final ResourceType type;
  private final Storage storage;
  private final Decoder decoder;
  /** Readable from any thread (admission and lookups read it like an informer's lister). */
  private final ConcurrentSkipListMap<String, CachedObject> objects;
  private final Settings settings;
  private final Materializer materializer;
  private final ArrayDeque<Event> window = new ArrayDeque<>();
  private final Map<Long, Watcher> watchers = new HashMap<>();
  private final List<Pair<Long, ActorRef<Long>>> waiting = new ArrayList<>();
  private long nextWatcherId = 1;
  /** Every event with rv > windowStart is in the window. */
  private long windowStart;
  private long rv;
  /** The running etcd stream (null while none runs), and when it last delivered anything. */
  private org.apache.pekko.stream.UniqueKillSwitch etcdStream;
  private long lastEtcdMessageNanos;

  private WatchCache(ActorContext<Command> ctx, TimerScheduler<Command> timers, StashBuffer<Command> stash,
                     ResourceType type, Storage storage, Decoder decoder,
                     ConcurrentSkipListMap<String, CachedObject> objects, Settings settings) {
    this.ctx = ctx;
    this.timers = timers;
    this.stash = stash;
    this.type = type;
    this.storage = storage;
    this.decoder = decoder;
    this.objects = objects;
    this.settings = settings;
    this.materializer = Materializer.createMaterializer(ctx);
  }

  // ---------------------------------------------------------------- loading: list, then watch

  private Behavior<Command> loading() {
    ctx.pipeToSelf(storage.listAll(type.prefix(null)), (res, err) ->
        err != null ? new ListFailed(err) : new Listed(res.kvs(), res.revision()));
    return Behaviors.receive(Command.class)
        .onMessage(Listed.class, this::onListed)
        .onMessage(ListFailed.class, f -> {
          ctx.getLog().warn("watch cache {}: list failed ({}), retrying", type.resource(), f.cause().toString());
          timers.startSingleTimer(Restart.INSTANCE, settings.retryDelay());
          return Behaviors.same();
        })
        .onMessageEquals(Restart.INSTANCE, this::loading)
        .onAnyMessage(m -> {
          if (m instanceof EtcdResponse r) {
            r.ack().tell(Ack.INSTANCE); // a late element of an abandoned stream
          } else if (m instanceof WatcherGone g) {
            watchers.remove(g.id());
          } else if (m instanceof StreamInit init) {
            init.ack().tell(Ack.INSTANCE); // then its elements are acknowledged and dropped above
          } else if (!(m instanceof EtcdStreamEnded) && !(m instanceof EtcdWatchStarted)
              && m != Bookmark.INSTANCE && m != Watchdog.INSTANCE) {
            stash.stash(m);
          }
          return Behaviors.same();
        })
        .build();
  }

  private Behavior<Command> onListed(Listed l) {
    Map<String, CachedObject> fresh = new HashMap<>();
    for (KeyValue kv : l.kvs()) {
      fresh.put(kv.key(), decoder.decode(kv.key(), kv.value(), kv.modRevision(), kv.lease()));
    }
    objects.keySet().retainAll(fresh.keySet());
    objects.putAll(fresh);
    boolean relist = rv != 0;
    rv = l.revision();
    windowStart = rv;
    window.clear();
    if (relist) {
      // Continuity with earlier events is lost: every watcher must relist.
      watchers.values().forEach(w -> complete(w.queue));
      watchers.clear();
    }
    ctx.getLog().info("watch cache {} loaded {} objects at revision {}", type.resource(), objects.size(), rv);
    startEtcdWatch();
    timers.startTimerWithFixedDelay(Bookmark.INSTANCE, settings.bookmarkInterval());
    timers.startTimerWithFixedDelay(Watchdog.INSTANCE, Duration.ofSeconds(5));
    notifyWaiting();
    return stash.unstashAll(serving());
  }

  private void startEtcdWatch() {
    ctx.pipeToSelf(storage.watch(type.prefix(null), rv + 1), (created, err) ->
        err != null ? new EtcdStreamEnded(err) : new EtcdWatchStarted(created.events().getSource()));
  }

  // ---------------------------------------------------------------- serving

  private Behavior<Command> serving() {
    return Behaviors.receive(Command.class)
        .onMessage(List_.class, this::onList)
        .onMessage(Watch.class, this::onWatch)
        .onMessage(WaitFor.class, w -> {
          if (rv >= w.revision()) {
            w.replyTo().tell(rv);
          } else {
            waiting.add(Pair.create(w.revision(), w.replyTo()));
          }
          return Behaviors.same();
        })
        .onMessage(EtcdWatchStarted.class, s -> {
          ctx.getLog().info("watch cache {}: etcd watch running from revision {}", type.resource(), rv + 1);
          if (etcdStream != null) {
            etcdStream.shutdown(); // never two streams at once
          }
          etcdStream = s.source().viaMat(org.apache.pekko.stream.KillSwitches.single(),
                  org.apache.pekko.stream.javadsl.Keep.right())
              .to(ActorSink.actorRefWithBackpressure(ctx.getSelf(),
                  (ActorRef<Ack> ack, WatchResponse r) -> new EtcdResponse(r, ack), StreamInit::new,
                  Ack.INSTANCE, new EtcdStreamEnded(null), EtcdStreamEnded::new))
              .run(materializer);
          lastEtcdMessageNanos = System.nanoTime();
          return Behaviors.same();
        })
        .onMessageEquals(Watchdog.INSTANCE, () -> {
          // A stream that stays silent longer than several progress intervals is as good as broken (e.g. a
          // store JVM killed while the stream was being set up): end it, and the usual resume follows.
          if (etcdStream != null && System.nanoTime() - lastEtcdMessageNanos > SILENT_STREAM.toNanos()) {
            ctx.getLog().warn("watch cache {}: etcd watch silent for {} s, restarting it from revision {}",
                type.resource(), (System.nanoTime() - lastEtcdMessageNanos) / 1_000_000_000L, rv + 1);
            etcdStream.shutdown();
            etcdStream = null;
          }
          return Behaviors.same();
        })
        .onMessage(StreamInit.class, init -> {
          init.ack().tell(Ack.INSTANCE);
          return Behaviors.same();
        })
        .onMessage(EtcdResponse.class, this::onEtcdResponse)
        .onMessage(EtcdStreamEnded.class, e -> {
          etcdStream = null;
          ctx.getLog().info("watch cache {}: etcd watch ended at revision {} ({}), resuming", type.resource(), rv,
              e.cause() == null ? "completed" : e.cause().toString());
          timers.startSingleTimer(Restart.INSTANCE, settings.retryDelay());
          return Behaviors.same();
        })
        .onMessageEquals(Restart.INSTANCE, () -> {
          startEtcdWatch();
          return Behaviors.same();
        })
        .onMessageEquals(Bookmark.INSTANCE, () -> {
          sendBookmarks();
          return Behaviors.same();
        })
        .onMessage(WatcherGone.class, g -> {
          watchers.remove(g.id());
          return Behaviors.same();
        })
        .build();
  }

  private Behavior<Command> onList(List_ l) {
    List<CachedObject> items = new ArrayList<>();
    Collection<CachedObject> scope = l.filter().namespace() == null || l.filter().namespace().isEmpty()
        ? objects.values()
        : objects.subMap(type.prefix(l.filter().namespace()), type.prefix(l.filter().namespace()) + "\uffff").values();
    for (CachedObject o : scope) {
      if (l.filter().matches(o)) {
        items.add(o);
      }
    }
    l.replyTo().tell(new Snapshot(items, rv));
    return Behaviors.same();
  }

  private Behavior<Command> onWatch(Watch w) {
    Pair<BoundedSourceQueue<WatchEvent>, Source<WatchEvent, NotUsed>> q =
        Source.<WatchEvent>queue(w.buffer()).preMaterialize(materializer);
    BoundedSourceQueue<WatchEvent> queue = q.first();
    long id = nextWatcherId++;
    ActorRef<Command> self = ctx.getSelf();
    w.replyTo().tell(new Started(q.second().watchTermination((nu, done) -> {
      done.whenComplete((d, t) -> self.tell(new WatcherGone(id)));
      return NotUsed.notUsed();
    })));
    if (w.fromRevision() != null && w.fromRevision() < windowStart) {
      queue.offer(WatchEvent.error(ApiException.gone("too old resource version: " + w.fromRevision() + " ("
          + (windowStart + 1) + ")").toStatusBytes()));
      complete(queue);
      return Behaviors.same();
    }
    Watcher watcher = new Watcher(id, w.filter(), w.bookmarks(), queue,
        w.fromRevision() == null ? rv : w.fromRevision());
    if (w.fromRevision() == null) {
      for (CachedObject o : objects.values()) {
        if (w.filter().matches(o) && !offer(watcher, new WatchEvent(WatchEvent.Type.ADDED, o, o.resourceVersion(), null))) {
          return Behaviors.same();
        }
      }
    } else {
      for (Event e : window) {
        if (e.rv() > watcher.startRv && !deliver(watcher, e)) {
          return Behaviors.same();
        }
      }
    }
    watcher.lastRv = Math.max(watcher.startRv, rv);
    watchers.put(watcher.id, watcher);
    return Behaviors.same();
  }

  private Behavior<Command> onEtcdResponse(EtcdResponse r) {
    WatchResponse resp = r.response();
    lastEtcdMessageNanos = System.nanoTime();
    try {
      if (resp.canceled()) {
        if (resp.compactRevision() > 0) {
          ctx.getLog().warn("watch cache {}: revision {} was compacted (at {}), relisting", type.resource(), rv,
              resp.compactRevision());
          return loading();
        }
        ctx.getLog().info("watch cache {}: etcd cancelled the watch ({}), resuming from {}", type.resource(),
            resp.cancelReason(), rv + 1);
        return Behaviors.same();
      }
      for (EtcdProtocol.Event e : resp.events()) {
        apply(e);
      }
      rv = Math.max(rv, resp.header().revision());
      notifyWaiting();
      return Behaviors.same();
    } finally {
      r.ack().tell(Ack.INSTANCE);
    }
  }

  private void apply(EtcdProtocol.Event e) {
    String key = e.kv().key();
    long rev = e.kv().modRevision();
    if (rev <= rv) {
      return; // already seen (a resumed stream may repeat the edge)
    }
    CachedObject prev = objects.get(key);
    Event event;
    if (e.type() == EtcdProtocol.EventType.PUT) {
      CachedObject cur;
      try {
        cur = decoder.decode(key, e.kv().value(), rev, e.kv().lease());
      } catch (RuntimeException ex) {
        ctx.getLog().error("watch cache {}: undecodable object at {} (revision {}): {}", type.resource(), key,
            rev, ex.toString());
        return;
      }
      objects.put(key, cur);
      event = new Event(prev == null ? WatchEvent.Type.ADDED : WatchEvent.Type.MODIFIED, cur, prev, rev);
    } else {
      if (prev == null) {
        return;
      }
      objects.remove(key);
      event = new Event(WatchEvent.Type.DELETED, prev.atRevision(rev), prev, rev);
    }
    if (type.resource().equals("pods") && io.kemu.api.Flow.LOG.isInfoEnabled()) {
      io.kemu.api.Flow.LOG.info("apiserver: watch cache received {} pod {}/{} at revision {}", event.type(),
          event.object().namespace(), event.object().name(), rev);
    }
    window.addLast(event);
    while (window.size() > settings.windowCapacity()) {
      windowStart = window.removeFirst().rv();
    }
    for (Iterator<Watcher> it = watchers.values().iterator(); it.hasNext(); ) {
      Watcher w = it.next();
      if (rev > w.startRv && !deliver(w, event)) {
        it.remove();
      }
    }
  }

  /** kube's cacheWatcher.convertToWatchEvent: an object entering or leaving the selection is ADDED or DELETED. */
  private boolean deliver(Watcher w, Event e) {
    boolean cur = e.type() != WatchEvent.Type.DELETED && w.filter.matches(e.object());
    boolean old = e.prev() != null && w.filter.matches(e.prev());
    WatchEvent out;
    if (e.type() == WatchEvent.Type.DELETED) {
      out = old ? new WatchEvent(WatchEvent.Type.DELETED, e.object(), e.rv(), null) : null;
    } else if (cur && old) {
      out = new WatchEvent(WatchEvent.Type.MODIFIED, e.object(), e.rv(), null);
    } else if (cur) {
      out = new WatchEvent(WatchEvent.Type.ADDED, e.object(), e.rv(), null);
    } else if (old) {
      out = new WatchEvent(WatchEvent.Type.DELETED, e.prev().atRevision(e.rv()), e.rv(), null);
    } else {
      out = null;
    }
    if (out == null) {
      return true;
    }
    w.lastRv = e.rv();
    return offer(w, out);
  }

  /** false when the watcher is gone or too slow; a slow one is closed, its client resumes or relists. */
  private boolean offer(Watcher w, WatchEvent e) {
    QueueOfferResult result = w.queue.offer(e);
    if (result == QueueOfferResult.enqueued()) {
      return true;
    }
    if (result == QueueOfferResult.dropped()) {
      ctx.getLog().warn("watch cache {}: closing unresponsive watcher {}", type.resource(), w.id);
      complete(w.queue);
    }
    return false;
  }

  private void sendBookmarks() {
    for (Iterator<Watcher> it = watchers.values().iterator(); it.hasNext(); ) {
      Watcher w = it.next();
      if (w.bookmarks && rv > w.lastRv) {
        w.lastRv = rv;
        if (!offer(w, WatchEvent.bookmark(rv))) {
          it.remove();
        }
      }
    }
  }

  private void notifyWaiting() {
    waiting.removeIf(p -> {
      if (rv >= p.first()) {
        p.second().tell(rv);
        return true;
      }
      return false;
    });
  }

  /** The consumer may have cancelled already (a client that left): then there is nothing to complete. */
  private static void complete(BoundedSourceQueue<WatchEvent> queue) {
    try {
      queue.complete();
    } catch (IllegalStateException alreadyDone) {
      // completed by the consumer's cancellation
    }
  }

  /** Parses a stored object and stamps its resourceVersion; helper for decoders. */
  public static ObjectNode treeWithRevision(byte[] json, long rev) {
    ObjectNode tree = (ObjectNode) KubeJson.tree(json);
    ObjectNode meta = tree.has("metadata") && tree.get("metadata").isObject()
        ? (ObjectNode) tree.get("metadata") : tree.putObject("metadata");
    meta.put("resourceVersion", Long.toString(rev));
    return tree;
  }
}
