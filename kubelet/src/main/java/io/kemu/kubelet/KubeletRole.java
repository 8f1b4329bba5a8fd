package io.kemu.kubelet;

import io.kemu.api.auth.TokenFile;
import io.kemu.api.client.ApiClient;
import io.kemu.kubelet.node.NodeAgent;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The kubelet role: one {@link NodeAgent} per emulated node this JVM hosts, each speaking to the apiserver
 * with its own identity (system:node:&lt;name&gt;) over one shared connection.
 */
public final class KubeletRole {
  private KubeletRole() {}

  public static Behavior<Void> create(KubeletSettings s) {
    return Behaviors.setup(ctx -> {
      Map<String, String> tokens = new HashMap<>();
      TokenFile.read(s.tokenFile()).values().forEach(e -> tokens.put(e.user(), e.token()));
      ApiClient base = null;
      for (int i = s.firstNode(); i < s.firstNode() + s.nodeCount(); i++) {
        String name = s.nodeName(i);
        String token = tokens.get("system:node:" + name);
        if (token == null) {
          throw new IllegalStateException(s.tokenFile() + " has no token for system:node:" + name);
        }
        base = base == null ? ApiClient.create(ctx.getSystem(), token, s.apiTimeout()) : base;
        ctx.spawn(NodeAgent.create(i, s, base.as(token)), name);
      }
      ctx.getLog().info("kubelet hosting {} nodes: {} to {}", s.nodeCount(), s.nodeName(s.firstNode()),
          s.nodeName(s.firstNode() + s.nodeCount() - 1));
      return Behaviors.empty();
    });
  }
}
