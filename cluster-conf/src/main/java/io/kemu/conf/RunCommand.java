package io.kemu.conf;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kemu.apiserver.ApiServer;
import io.kemu.apiserver.ApiServerSettings;
import io.kemu.controller.ControllerManager;
import io.kemu.controller.ControllerManagerSettings;
import io.kemu.etcd.EtcdStore;
import io.kemu.etcd.StoreSettings;
import io.kemu.kubelet.KubeletRole;
import io.kemu.kubelet.KubeletSettings;
import io.kemu.scheduler.SchedulerRole;
import io.kemu.scheduler.SchedulerSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Starts one kemu JVM in a role. The role's HOCON (etcd.conf, apiserver.conf, …) is the base; options set the
 * ports, seeds and directories; {@code --set key=value} overrides anything. If the role's actor stops, the JVM
 * exits with status 1, so that a failed start is visible to the scripts.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run one JVM of the emulated cluster.")
public final class RunCommand implements Callable<Integer> {
  public enum Role { etcd, apiserver, scheduler, controller_manager, kubelet }

  @Option(names = "--role", required = true, description = "etcd, apiserver, scheduler, controller-manager or kubelet.",
      converter = RoleConverter.class)
  Role role;

  @Option(names = "--run-dir", defaultValue = "run", description = "Run directory (default: ${DEFAULT-VALUE}).")
  Path runDir;

  @Option(names = "--data-dir", description = "Where the etcd-store keeps its journal (default: <run-dir>/data).")
  Path dataDir;

  @Option(names = "--port", required = true, description = "Pekko remoting port of this JVM (127.0.0.1).")
  int port;

  @Option(names = "--seed", description = "host:port of a seed node (repeatable).")
  List<String> seeds = new ArrayList<>();

  @Option(names = "--time-scale", defaultValue = "1", description = "Divide every emulated duration by this.")
  double timeScale;

  @Option(names = "--apiserver-port", defaultValue = "6443", description = "HTTPS port of the apiserver role.")
  int apiserverPort;

  @Option(names = "--first-node", defaultValue = "1", description = "kubelet: number of the first node hosted.")
  int firstNode;

  @Option(names = "--node-count", defaultValue = "2", description = "kubelet: number of nodes hosted.")
  int nodeCount;

  @Option(names = "--set", description = "Any configuration override, key=value (repeatable).")
  Map<String, String> overrides = new HashMap<>();

  static final class RoleConverter implements picocli.CommandLine.ITypeConverter<Role> {
    @Override
    public Role convert(String value) {
      return Role.valueOf(value.replace('-', '_'));
    }
  }

  String roleName() {
    return role.name().replace('_', '-');
  }

  Config config() {
    Path data = dataDir != null ? dataDir : runDir.resolve("data");
    Map<String, Object> m = new HashMap<>();
    m.put("pekko.remote.artery.canonical.port", port);
    List<String> seedUris = seeds.stream().map(s -> "pekko://kemu@" + s).toList();
    m.put("pekko.cluster.seed-nodes", seedUris);
    m.put("kemu.time-scale", timeScale);
    String tokens = runDir.resolve("pki/tokens.csv").toString();
    m.put("kemu.apiserver.port", apiserverPort);
    m.put("kemu.apiserver.pki-dir", runDir.resolve("pki").toString());
    m.put("kemu.apiserver.token-file", tokens);
    m.put("kemu.scheduler.token-file", tokens);
    m.put("kemu.controller-manager.token-file", tokens);
    m.put("kemu.kubelet.token-file", tokens);
    m.put("kemu.kubelet.first-node", firstNode);
    m.put("kemu.kubelet.node-count", nodeCount);
    m.put("pekko.persistence.journal.leveldb.dir", data.resolve("etcd/journal").toString());
    m.put("pekko.persistence.snapshot-store.local.dir", data.resolve("etcd/snapshots").toString());
    Config overridden = ConfigFactory.parseMap(overrides);
    return overridden.withFallback(ConfigFactory.parseMap(m))
        .withFallback(ConfigFactory.parseResources(roleName() + ".conf"))
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  Behavior<?> roleBehavior(Config c) {
    return switch (role) {
      case etcd -> EtcdStore.create(StoreSettings.fromConfig(c));
      case apiserver -> ApiServer.create(ApiServerSettings.fromConfig(c));
      case scheduler -> SchedulerRole.create(SchedulerSettings.fromConfig(c));
      case controller_manager -> ControllerManager.create(ControllerManagerSettings.fromConfig(c));
      case kubelet -> KubeletRole.create(KubeletSettings.fromConfig(c));
    };
  }

  @Override
  public Integer call() {
    Config c = config();
    String name = roleName();
    Behavior<Void> guardian = Behaviors.setup(ctx -> {
      var child = ctx.spawn(roleBehavior(c), name);
      ctx.watch(child);
      return Behaviors.receive(Void.class)
          .onSignal(org.apache.pekko.actor.typed.Terminated.class, t -> {
            ctx.getLog().error("role {} stopped: exiting", name);
            Runtime.getRuntime().halt(1);
            return Behaviors.stopped();
          })
          .build();
    });
    ActorSystem<Void> system = ActorSystem.create(guardian, "kemu", c);
    system.log().info("kemu {} JVM up on 127.0.0.1:{} (pid {}), time-scale {}", name, port,
        ProcessHandle.current().pid(), timeScale);
    return 0;
  }
}
