package io.kemu.api.client.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kemu.api.KubeJson;
import io.kemu.api.client.ApiClient.Event;
import io.kemu.api.client.StatusException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * client-go's Reflector (tools/cache/reflector.go): lists, hands the whole list to its {@link Store}, then
 * watches from the list's resourceVersion and hands over every event. A stream that ends or breaks (server
 * timeout, apiserver restart or failover) is resumed from the last resourceVersion seen; a 410 Gone (the version
 * left the watch window) makes it list again. Failures back off from 200 ms to 5 s with jitter.
 */
public final class Reflector<T extends HasMetadata> {
  private static final Logger log = LoggerFactory.getLogger(Reflector.class);
  private static final long INITIAL_BACKOFF_MILLIS = 200;
  private static final long MAX_BACKOFF_MILLIS = 5000;

  /** Where a reflector delivers (client-go's DeltaFIFO consumer, here the informer itself). */
  public interface Store<T> {
    /** The complete state at {@code resourceVersion}: anything not in it is gone. */
    void replace(List<T> items, String resourceVersion);

    void added(T obj);

    void modified(T obj);

    void deleted(T obj);
  }

  private final ListerWatcher<T> lw;
  private final Store<T> store;
  private final Materializer materializer;
  private volatile String resourceVersion = "";
  private volatile boolean stopped;
  private volatile UniqueKillSwitch killSwitch;
  private long backoffMillis = INITIAL_BACKOFF_MILLIS;
  private int failures;

  public Reflector(ListerWatcher<T> lw, Store<T> store, Materializer materializer) {
    this.lw = lw;
    this.store = store;
    this.materializer = materializer;
  }

  public void start() {
    relist();
  }

  /** Stops for good: the running watch is cancelled and nothing more is delivered. */
  public void stop() {
    stopped = true;
    UniqueKillSwitch k = killSwitch;
    if (k != null) {
      k.shutdown();
    }
  }

  public boolean isStopped() {
    return stopped;
  }

  public String lastSyncResourceVersion() {
    return resourceVersion;
  }

  private void relist() {
    if (stopped) {
      return;
    }
    lw.list(lw.options().withResourceVersion(null)).whenComplete((list, err) -> {
      if (stopped) {
        return;
      }
      if (err != null) {
        retry("list", err, this::relist);
        return;
      }
      succeeded();
      store.replace(list.items(), list.resourceVersion());
      resourceVersion = list.resourceVersion();
      watch();
    });
  }

  private void watch() {
    if (stopped) {
      return;
    }
    lw.watch(lw.options().withResourceVersion(resourceVersion).withBookmarks()).whenComplete((source, err) -> {
      if (stopped) {
        return;
      }
      if (err != null) {
        StatusException se = StatusException.of(err);
        if (se != null && se.isGone()) {
          log.debug("watch of {} from {}: too old, listing again", lw.describe(), resourceVersion);
          relist();
        } else {
          retry("watch", err, this::watch);
        }
        return;
      }
      boolean[] gone = new boolean[1];
      var running = source.viaMat(KillSwitches.single(), Keep.right()).toMat(Sink.<Event<T>>foreach(e -> {
        if (gone[0] || stopped) {
          return;
        }
        switch (e.type()) {
          case "ADDED" -> store.added(e.object());
          case "MODIFIED" -> store.modified(e.object());
          case "DELETED" -> store.deleted(e.object());
          case "ERROR" -> {
            int code = KubeJson.tree(e.raw()).path("code").asInt();
            gone[0] = code == 410;
            log.debug("watch of {}: error event {}", lw.describe(), code);
          }
          default -> {
          }
        }
        if (!gone[0] && e.resourceVersion() != null && !e.resourceVersion().isEmpty()) {
          resourceVersion = e.resourceVersion();
        }
      }), Keep.both()).run(materializer);
      killSwitch = running.first();
      if (stopped) {
        running.first().shutdown();
      }
      running.second().whenComplete((done, failure) -> {
        if (stopped) {
          return;
        }
        if (gone[0]) {
          relist();
        } else if (failure != null) {
          retry("watch stream", failure, this::watch);
        } else {
          succeeded();
          watch(); // the server closed it (timeout, apiserver going away): continue where it ended
        }
      });
    });
  }

  private void succeeded() {
    backoffMillis = INITIAL_BACKOFF_MILLIS;
    failures = 0;
  }

  private void retry(String what, Throwable err, Runnable again) {
    if (stopped) {
      return;
    }
    failures++;
    if (failures >= 4) {
      log.info("{} of {} keeps failing ({}), retrying in {} ms", what, lw.describe(), err.toString(), backoffMillis);
    } else {
      log.debug("{} of {} failed ({}), retrying in {} ms", what, lw.describe(), err.toString(), backoffMillis);
    }
    long delay = (long) (backoffMillis * (1 + 0.2 * ThreadLocalRandom.current().nextDouble()));
    backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
    CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(again);
  }
}
