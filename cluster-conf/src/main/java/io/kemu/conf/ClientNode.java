package io.kemu.conf;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * A JVM that joins the kemu cluster only as a client (etcdctl, the store benchmark, tests): it hosts no role,
 * does not exit the JVM when it leaves, and never downs the members it talks to (a store being restarted stays
 * "unreachable" for a few seconds; a client must simply wait for its next incarnation).
 */
public final class ClientNode {
  private ClientNode() {}

  /**
   * @param seeds host:port of cluster members to join; empty: this node is the first (it forms the cluster)
   * @param port its own remoting port, 0 for any
   */
  public static Config config(String role, List<String> seeds, int port, Map<String, Object> extra) {
    Map<String, Object> m = new HashMap<>();
    m.put("pekko.remote.artery.canonical.port", port);
    m.put("pekko.cluster.roles", List.of(role));
    m.put("pekko.cluster.seed-nodes", seeds.stream().map(s -> "pekko://kemu@" + s).toList());
    m.put("pekko.coordinated-shutdown.exit-jvm", "off");
    m.put("pekko.loglevel", "WARNING");
    // A client decides nothing about other members: a long stable-after means it never downs the store.
    m.put("pekko.cluster.split-brain-resolver.stable-after", "300s");
    m.putAll(extra);
    return ConfigFactory.parseMap(m)
        .withFallback(ConfigFactory.parseResources("kemu-common.conf"))
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  /** Starts the client's actor system and waits until it is a member of the cluster. */
  public static ActorSystem<Void> start(Config config, Duration joinTimeout) {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "kemu", config);
    CompletableFuture<Void> up = new CompletableFuture<>();
    system.systemActorOf(Behaviors.<SelfUp>setup(ctx -> {
      Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(ctx.getSelf(), SelfUp.class));
      return Behaviors.receiveMessage(m -> {
        up.complete(null);
        return Behaviors.stopped();
      });
    }), "client-join-watch", org.apache.pekko.actor.typed.Props.empty());
    try {
      up.get(joinTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      system.terminate();
      throw new IllegalStateException("could not join the kemu cluster at "
          + config.getStringList("pekko.cluster.seed-nodes") + " within " + joinTimeout.toSeconds() + "s");
    }
    return system;
  }

  /** Leaves the cluster (so that nobody waits for this member) and stops the actor system. */
  public static void stop(ActorSystem<?> system, Duration timeout) {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // gone anyway when the JVM exits
    }
  }
}
