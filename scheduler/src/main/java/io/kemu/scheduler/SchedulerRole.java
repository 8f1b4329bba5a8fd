package io.kemu.scheduler;

import io.kemu.api.auth.TokenFile;
import io.kemu.api.client.ApiClient;
import io.kemu.api.client.leaderelection.LeaderElector;
import io.kemu.scheduler.metrics.MetricsServer;
import io.kemu.scheduler.metrics.SchedulerMetrics;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The scheduler role: the metrics endpoint, leader election and the {@link Scheduler}. With leader election on,
 * the scheduler runs from the start with warm caches but schedules only while this JVM holds the Lease. When it
 * loses the lease, kube-scheduler exits; kemu has no supervisor to restart it, so the scheduler is replaced by a
 * fresh standby (new caches, nothing assumed) and the JVM campaigns again.
 */
public final class SchedulerRole {
  private SchedulerRole() {}

  private record LeaderChanged(boolean leading) {}

  public static Behavior<Object> create(SchedulerSettings settings) {
    return Behaviors.setup(ctx -> {
      Clock clock = Clock.systemUTC();
      SchedulerMetrics metrics = new SchedulerMetrics();
      ApiClient client = ApiClient.create(ctx.getSystem(), TokenFile.tokenFor(settings.tokenFile(), settings.user()),
          settings.apiTimeout());
      AtomicBoolean ready = new AtomicBoolean();
      MetricsServer server = MetricsServer.start(settings.host(), settings.port(), metrics::scrape, ready::get);
      ctx.getLog().info("scheduler serving /metrics and /healthz on http://{}:{}", settings.host(), server.port());
      String lease = settings.leaseNamespace() + "/" + settings.leaseName();
      metrics.leader(settings.leaseName(), !settings.leaderElect());

      ActorRef<Scheduler.Command>[] scheduler = newRef();
      int[] generation = {0};
      Runnable spawnScheduler = () -> {
        scheduler[0] = ctx.spawn(Scheduler.create(settings, client, metrics, clock, !settings.leaderElect()),
            "scheduler-" + (++generation[0]));
        ctx.watch(scheduler[0]);
        ready.set(true);
      };
      spawnScheduler.run();

      ActorRef<LeaderElector.Command> elector = null;
      if (settings.leaderElect()) {
        String identity = Scheduler.hostname() + "_" + UUID.randomUUID();
        ActorRef<Object> self = ctx.getSelf();
        elector = ctx.spawn(LeaderElector.create(client, new LeaderElector.Settings(settings.leaseNamespace(),
            settings.leaseName(), identity, settings.leaseDurationSeconds(), settings.leaseDuration(),
            settings.renewDeadline(), settings.retryPeriod()), clock, leading -> self.tell(new LeaderChanged(leading))),
            "leader-elector");
        ActorRef<LeaderElector.Command> e = elector;
        CoordinatedShutdown.get(ctx.getSystem()).addTask(CoordinatedShutdown.PhaseServiceUnbind(),
            "release-scheduler-lease", () -> {
              CompletableFuture<Void> done = new CompletableFuture<>();
              e.tell(new LeaderElector.Release(done));
              return done.completeOnTimeout(null, 3, java.util.concurrent.TimeUnit.SECONDS)
                  .thenApply(x -> Done.getInstance());
            });
      }
      boolean[] leading = {!settings.leaderElect()};
      return Behaviors.receive(Object.class)
          .onMessage(LeaderChanged.class, l -> {
            metrics.leader(settings.leaseName(), l.leading());
            if (l.leading()) {
              leading[0] = true;
              ctx.getLog().info("became leader of {}: scheduling", lease);
              scheduler[0].tell(new Scheduler.SetLeading(true));
            } else if (leading[0]) {
              leading[0] = false;
              ctx.getLog().warn("lost the lead of {}: stopping scheduling and starting afresh as a standby", lease);
              ctx.unwatch(scheduler[0]);
              ctx.stop(scheduler[0]);
              spawnScheduler.run();
            }
            return Behaviors.same();
          })
          .onSignal(Terminated.class, t -> {
            ctx.getLog().error("the scheduler stopped unexpectedly; starting a new one");
            spawnScheduler.run();
            if (leading[0]) {
              scheduler[0].tell(new Scheduler.SetLeading(true));
            }
            return Behaviors.same();
          })
          .onSignal(org.apache.pekko.actor.typed.PostStop.class, s -> {
            server.stop();
            return Behaviors.same();
          })
          .build();
    });
  }

  @SuppressWarnings("unchecked")
  private static ActorRef<Scheduler.Command>[] newRef() {
    return (ActorRef<Scheduler.Command>[]) new ActorRef[1];
  }
}
