package io.kemu.scheduler.plugins;

import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.Handle;
import io.kemu.scheduler.framework.PodInfo;
import io.kemu.scheduler.framework.Plugins;
import io.kemu.scheduler.framework.Status;
import java.util.concurrent.CompletionStage;

/** plugins/defaultbinder: binds through the pods/binding subresource. */
public final class DefaultBinder implements Plugins.BindPlugin {
  public static final String NAME = "DefaultBinder";
  private final Handle handle;

  public DefaultBinder(Handle handle) {
    this.handle = handle;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public CompletionStage<Status> bind(CycleState state, PodInfo pod, String nodeName) {
    return handle.api().bind(pod.pod(), nodeName).handle((ok, err) -> err == null ? Status.SUCCESS
        : Status.error(err instanceof java.util.concurrent.CompletionException && err.getCause() != null
            ? err.getCause() : err).withPlugin(NAME));
  }
}
