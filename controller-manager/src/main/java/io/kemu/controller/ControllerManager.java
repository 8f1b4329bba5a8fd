package io.kemu.controller;

import io.kemu.api.auth.TokenFile;
import io.kemu.api.client.ApiClient;
import io.kemu.api.client.cache.SharedInformerFactory;
import io.kemu.api.client.leaderelection.LeaderElector;
import io.kemu.controller.deployment.DeploymentController;
import io.kemu.controller.endpoint.EndpointsController;
import io.kemu.controller.endpointslice.EndpointSliceController;
import io.kemu.controller.garbagecollector.GarbageCollector;
import io.kemu.controller.job.JobController;
import io.kemu.controller.nodelifecycle.NodeLifecycleController;
import io.kemu.controller.namespace.NamespaceController;
import io.kemu.controller.replicaset.ReplicaSetController;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The controller-manager role, as kube-controller-manager runs: it campaigns for the kube-system/
 * kube-controller-manager Lease (identity {@code <host>_<uuid>}); once leading it starts the shared informers and
 * each controller's work queue, and tells the queues to work when the caches have synced. Losing the lease stops
 * the controllers (upstream exits with "leaderelection lost"); the JVM campaigns again as a standby.
 */
public final class ControllerManager {
  private ControllerManager() {}

  /** How many times this JVM has led (names each term's actors apart). */
  private static final int[] term = {0};

  public sealed interface Command {}

  private record Leading(boolean leading) implements Command {}

  private record CachesSynced(Throwable error) implements Command {}

  public static Behavior<Command> create(ControllerManagerSettings s) {
    return Behaviors.setup(ctx -> {
      ApiClient client = ApiClient.create(ctx.getSystem(), TokenFile.tokenFor(s.tokenFile(), s.user()),
          s.apiTimeout());
      String host = hostname();
      String identity = host + "_" + UUID.randomUUID();
      ActorRef<Command> self = ctx.getSelf();
      LeaderElector.Settings les = new LeaderElector.Settings("kube-system", "kube-controller-manager", identity, 15,
          s.timeScale().real(Duration.ofSeconds(15)), s.timeScale().real(Duration.ofSeconds(10)),
          s.timeScale().real(Duration.ofSeconds(2)));
      ctx.spawn(LeaderElector.create(client, les, Clock.systemUTC(), leading -> self.tell(new Leading(leading))),
          "leader-elector");
      ctx.getLog().info("controller-manager {} started, waiting for the lease kube-system/kube-controller-manager",
          identity);
      return waiting(ctx, s, client, host);
    });
  }

  private static Behavior<Command> waiting(ActorContext<Command> ctx, ControllerManagerSettings s, ApiClient client,
                                           String host) {
    return Behaviors.receive(Command.class)
        .onMessage(Leading.class, l -> {
          if (!l.leading()) {
            return Behaviors.same();
          }
          return lead(ctx, s, client, host);
        })
        .build();
  }

  /** Starts the controllers (NewControllerDescriptors' order, restricted to kemu's). */
  private static Behavior<Command> lead(ActorContext<Command> ctx, ControllerManagerSettings s, ApiClient client,
                                        String host) {
    SharedInformerFactory informers = new SharedInformerFactory(client);
    Clock clock = Clock.systemUTC();
    ControllerContext context = ControllerContext.create(client, informers, clock, s.timeScale(), host);
    List<Reconciler> reconcilers = List.of(new ReplicaSetController(context), new DeploymentController(context),
        new EndpointsController(context), new EndpointSliceController(context), new JobController(context),
        new NodeLifecycleController(context, NodeLifecycleController.Settings.DEFAULTS),
        new GarbageCollector(context));
    List<ActorRef<QueueController.Command>> queues = new ArrayList<>();
    for (Reconciler r : reconcilers) {
      queues.add(ctx.spawn(QueueController.create(r, clock, s.timeScale()), r.name() + "-" + (term[0] + 1)));
    }
    ActorRef<NamespaceController.Command> namespaces = ctx.spawn(
        NamespaceController.create(client, s.namespaceResync()), "namespace-controller-" + (++term[0]));
    informers.start();
    ctx.pipeToSelf(informers.waitForCacheSync(), (ok, err) -> new CachesSynced(err));
    ctx.getLog().info("leading: started {} and namespace-controller",
        reconcilers.stream().map(Reconciler::name).toList());
    return Behaviors.receive(Command.class)
        .onMessage(CachesSynced.class, c -> {
          if (c.error() != null) {
            ctx.getLog().error("informers failed to sync: {}", c.error().toString());
            return Behaviors.stopped();
          }
          queues.forEach(q -> q.tell(QueueController.CachesSynced.INSTANCE));
          return Behaviors.same();
        })
        .onMessage(Leading.class, l -> {
          if (l.leading()) {
            return Behaviors.same();
          }
          // Upstream exits here and its supervisor restarts it; kemu's role stops its controllers, drops their
          // caches and campaigns again, so that a JVM without a supervisor stays a standby.
          ctx.getLog().error("leaderelection lost: stopping the controllers, campaigning again");
          informers.shutdown();
          queues.forEach(ctx::stop);
          ctx.stop(namespaces);
          return waiting(ctx, s, client, host);
        })
        .build();
  }

  static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "localhost";
    }
  }
}
