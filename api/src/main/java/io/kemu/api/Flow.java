package io.kemu.api;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "flow" log: one line per hop of an object's life (admitted, committed, scheduled, bound, started,
 * status written...), each naming the object, so that the JVMs' logs read as the pod creation flow in order.
 * Logger name {@code kemu.flow}; load tests turn it down.
 */
public final class Flow {
  private Flow() {}

  public static final Logger LOG = LoggerFactory.getLogger("kemu.flow");
}
