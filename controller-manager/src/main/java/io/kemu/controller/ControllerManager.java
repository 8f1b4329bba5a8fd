package io.kemu.controller;

import io.kemu.api.auth.TokenFile;
import io.kemu.api.client.ApiClient;
import io.kemu.controller.namespace.NamespaceController;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** The controller-manager role: starts each controller with the component's identity. */
public final class ControllerManager {
  private ControllerManager() {}

  public static Behavior<Void> create(ControllerManagerSettings s) {
    return Behaviors.setup(ctx -> {
      ApiClient client = ApiClient.create(ctx.getSystem(), TokenFile.tokenFor(s.tokenFile(), s.user()),
          s.apiTimeout());
      ctx.spawn(NamespaceController.create(client, s.namespaceResync()), "namespace-controller");
      ctx.getLog().info("controller-manager started: namespace-controller");
      return Behaviors.empty();
    });
  }
}
