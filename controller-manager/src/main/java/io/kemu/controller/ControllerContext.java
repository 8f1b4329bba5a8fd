package io.kemu.controller;

import io.kemu.api.TimeScale;
import io.kemu.api.client.EventRecorder;
import io.kemu.api.client.KubeClient;
import io.kemu.api.client.Recorder;
import io.kemu.api.client.cache.SharedInformerFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/**
 * What every controller gets from the controller manager (kube-controller-manager's ControllerContext): the API,
 * the shared informers, a clock, the time scale and a recorder per event source.
 */
public record ControllerContext(KubeClient client, SharedInformerFactory informers, Clock clock, TimeScale timeScale,
                                Function<String, Recorder> recorders) {

  /** Events recorded through the API with the controller's name as their source, like client-go's recorders. */
  public static ControllerContext create(KubeClient client, SharedInformerFactory informers, Clock clock,
                                         TimeScale timeScale, String host) {
    return new ControllerContext(client, informers, clock, timeScale,
        component -> new EventRecorder(client, component, host, clock));
  }

  public Recorder recorder(String component) {
    return recorders.apply(component);
  }

  /** The real duration of an emulated one. */
  public Duration real(Duration emulated) {
    return timeScale.real(emulated);
  }
}
