package io.kemu.kubelet;

import io.fabric8.kubernetes.api.model.Service;
import io.kemu.api.auth.TokenFile;
import io.kemu.api.client.ApiClient;
import io.kemu.api.client.Informer;
import io.kemu.api.client.ListOptions;
import io.kemu.kubelet.node.NodeAgent;
import io.kemu.kubelet.runtime.LogStore;
import io.kemu.kubelet.runtime.net.ClusterNet;
import io.kemu.kubelet.server.KubeletServer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The kubelet role: one {@link NodeAgent} per emulated node this JVM hosts, each speaking to the apiserver
 * with its own identity (system:node:&lt;name&gt;) over one shared connection; one emulated network for all of
 * them, fed by one Service watch (cluster DNS and ClusterIPs); one {@link KubeletServer} answering for them all.
 */
public final class KubeletRole {
  private KubeletRole() {}

  public static Behavior<Void> create(KubeletSettings s) {
    return Behaviors.setup(ctx -> {
      Map<String, String> tokens = new HashMap<>();
      TokenFile.read(s.tokenFile()).values().forEach(e -> tokens.put(e.user(), e.token()));
      ClusterNet net = new ClusterNet();
      Map<String, LogStore> logs = new ConcurrentHashMap<>();
      ApiClient base = null;
      for (int i = s.firstNode(); i < s.firstNode() + s.nodeCount(); i++) {
        String name = s.nodeName(i);
        String token = tokens.get("system:node:" + name);
        if (token == null) {
          throw new IllegalStateException(s.tokenFile() + " has no token for system:node:" + name);
        }
        base = base == null ? ApiClient.create(ctx.getSystem(), token, s.apiTimeout()) : base;
        LogStore store = new LogStore();
        logs.put(name, store);
        ctx.spawn(NodeAgent.create(i, s, base.as(token), net, store), name);
      }
      if (base != null) {
        watchServices(base, net);
      }
      ctx.spawn(KubeletServer.create(logs, Clock.systemUTC()), "kubelet-server");
      ctx.getLog().info("kubelet hosting {} nodes: {} to {}", s.nodeCount(), s.nodeName(s.firstNode()),
          s.nodeName(s.firstNode() + s.nodeCount() - 1));
      return Behaviors.empty();
    });
  }

  /** kube-proxy and kube-dns in one: every Service's ClusterIP, ports and selector, kept current. */
  private static void watchServices(ApiClient client, ClusterNet net) {
    new Informer<>(client, Service.class, null, ListOptions.ALL, new Informer.Handler<>() {
      public void onAdd(Service svc) {
        net.putService(toNet(svc));
      }

      public void onUpdate(Service o, Service svc) {
        net.putService(toNet(svc));
      }

      public void onDelete(Service svc) {
        net.removeService(svc.getMetadata().getNamespace(), svc.getMetadata().getName());
      }
    }).start();
  }

  static ClusterNet.Service toNet(Service svc) {
    List<ClusterNet.ServicePort> ports = new ArrayList<>();
    if (svc.getSpec().getPorts() != null) {
      svc.getSpec().getPorts().forEach(p -> ports.add(new ClusterNet.ServicePort(p.getName(), p.getPort(),
          p.getTargetPort() == null ? null : p.getTargetPort().getIntVal() != null
              ? p.getTargetPort().getIntVal().toString() : p.getTargetPort().getStrVal(), p.getProtocol())));
    }
    return new ClusterNet.Service(svc.getMetadata().getNamespace(), svc.getMetadata().getName(),
        svc.getSpec().getClusterIP(), svc.getSpec().getSelector(), ports);
  }
}
