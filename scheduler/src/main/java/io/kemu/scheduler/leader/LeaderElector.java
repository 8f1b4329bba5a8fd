package io.kemu.scheduler.leader;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.kemu.api.client.ApiClient;
import io.kemu.api.client.StatusException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * client-go's leader election through a coordination.k8s.io Lease, as kube-scheduler runs it (lease
 * kube-system/kube-scheduler; leaseDuration 15 s, renewDeadline 10 s, retryPeriod 2 s, all divided by the time
 * scale): a candidate tries every retryPeriod (with jitter) until it acquires the lease; the leader renews every
 * retryPeriod and gives up leadership if it could not renew within renewDeadline. Leadership changes are reported
 * through {@code onChange}; on stop, a leader releases the lease (ReleaseOnCancel) so that a successor need not
 * wait for it to expire.
 */
public final class LeaderElector {
  public sealed interface Command {}

  private enum Tick implements Command { INSTANCE }

  private record Read(Lease lease, Throwable error) implements Command {}

  private record Wrote(Lease lease, Throwable error) implements Command {}

  /** Stop campaigning; a leader releases the lease first. */
  public record Release(CompletableFuture<Void> done) implements Command {}

  public record Settings(String namespace, String name, String identity, int leaseDurationSeconds,
                         Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {}

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final ApiClient client;
  private final Settings settings;
  private final Clock clock;
  private final Consumer<Boolean> onChange;
  private final LeaderElection election;
  private boolean inFlight;
  private boolean leading;
  private Instant lastRenew;

  public static Behavior<Command> create(ApiClient client, Settings settings, Clock clock, Consumer<Boolean> onChange) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new LeaderElector(ctx, timers, client, settings, clock, onChange).behavior()));
  }

  private LeaderElector(ActorContext<Command> ctx, TimerScheduler<Command> timers, ApiClient client, Settings s,
                        Clock clock, Consumer<Boolean> onChange) {
    this.ctx = ctx;
    this.timers = timers;
    this.client = client;
    this.settings = s;
    this.clock = clock;
    this.onChange = onChange;
    this.election = new LeaderElection(s.identity(), s.leaseDurationSeconds(), s.leaseDuration());
    ctx.getLog().info("attempting to acquire leader lease {}/{} as {}", s.namespace(), s.name(), s.identity());
    ctx.getSelf().tell(Tick.INSTANCE);
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessageEquals(Tick.INSTANCE, this::tick)
        .onMessage(Read.class, this::onRead)
        .onMessage(Wrote.class, this::onWrote)
        .onMessage(Release.class, this::release)
        .build();
  }

  private void scheduleTick() {
    // wait.JitterUntil with jitter factor 1.2 while campaigning; the leader renews every retryPeriod
    double jitter = leading ? 1.0 : 1.0 + ThreadLocalRandom.current().nextDouble() * 1.2;
    timers.startSingleTimer(Tick.INSTANCE, Duration.ofNanos((long) (settings.retryPeriod().toNanos() * jitter)));
  }

  private Behavior<Command> tick() {
    if (leading && lastRenew != null
        && Duration.between(lastRenew, clock.instant()).compareTo(settings.renewDeadline()) > 0) {
      lost("failed to renew lease " + settings.namespace() + "/" + settings.name() + ": timed out waiting for the "
          + "condition");
    }
    if (inFlight) {
      scheduleTick();
      return Behaviors.same();
    }
    inFlight = true;
    ctx.pipeToSelf(client.get(Lease.class, settings.namespace(), settings.name()), Read::new);
    return Behaviors.same();
  }

  private Behavior<Command> onRead(Read r) {
    Lease current = r.lease();
    if (r.error() != null) {
      StatusException se = StatusException.of(r.error());
      if (se == null || !se.isNotFound()) {
        ctx.getLog().debug("error retrieving resource lock {}/{}: {}", settings.namespace(), settings.name(),
            r.error().toString());
        inFlight = false;
        scheduleTick();
        return Behaviors.same();
      }
      current = null;
    }
    LeaderElection.Decision d = election.decide(current, clock.instant(), settings.namespace(), settings.name());
    CompletionStage<Lease> write = switch (d.action()) {
      case CREATE -> client.create(d.lease());
      case UPDATE -> client.update(d.lease());
      case NONE -> null;
    };
    if (write == null) {
      inFlight = false;
      if (leading) {
        lost("lease " + settings.namespace() + "/" + settings.name() + " is held by "
            + d.lease().getSpec().getHolderIdentity());
      }
      scheduleTick();
      return Behaviors.same();
    }
    ctx.pipeToSelf(write, Wrote::new);
    return Behaviors.same();
  }

  private Behavior<Command> onWrote(Wrote w) {
    inFlight = false;
    if (w.error() != null) {
      ctx.getLog().debug("failed to update lock {}/{}: {}", settings.namespace(), settings.name(), w.error().toString());
      scheduleTick();
      return Behaviors.same();
    }
    Instant now = clock.instant();
    election.written(w.lease(), now);
    lastRenew = now;
    if (!leading) {
      leading = true;
      ctx.getLog().info("successfully acquired lease {}/{}", settings.namespace(), settings.name());
      onChange.accept(true);
    }
    scheduleTick();
    return Behaviors.same();
  }

  private void lost(String why) {
    leading = false;
    lastRenew = null;
    election.reset();
    ctx.getLog().warn("leaderelection lost: {}", why);
    onChange.accept(false);
  }

  /** ReleaseOnCancel: clear the holder (keeping the transitions count) so a successor can take over at once. */
  private Behavior<Command> release(Release r) {
    timers.cancelAll();
    if (!leading) {
      r.done().complete(null);
      return Behaviors.stopped();
    }
    leading = false;
    client.get(Lease.class, settings.namespace(), settings.name()).thenCompose(l -> {
      if (!settings.identity().equals(l.getSpec().getHolderIdentity())) {
        return CompletableFuture.completedFuture(l);
      }
      l.getSpec().setHolderIdentity(null);
      l.getSpec().setLeaseDurationSeconds(1);
      return client.update(l);
    }).whenComplete((l, e) -> r.done().complete(null));
    return Behaviors.stopped();
  }
}
