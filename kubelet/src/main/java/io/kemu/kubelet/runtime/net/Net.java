package io.kemu.kubelet.runtime.net;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A pod's network namespace as its processes see it: the pod IP, the ports its containers listen on (shared by all
 * of them, so a sibling reaches them on localhost), connections to any address of the emulated network, and the
 * resolver of /etc/resolv.conf (cluster DNS built from Services, the pod's /etc/hosts, the outside world).
 * Callbacks run on the caller's node kernel.
 */
public interface Net {
  String podIp();

  /** listen(2) on every address of the pod; returns how to close it, or null if the port is already taken. */
  Runnable listen(int port, Listener listener);

  boolean isListening(int port);

  /** Connects to ip:port and exchanges one request; {@code reply} gets a timeout after {@code timeout}. */
  void send(String ip, int port, NetRequest request, Duration timeout, Consumer<NetReply> reply);

  /** Resolves a name the way the pod's resolver would. */
  void resolve(String name, Consumer<Answer> answer);

  /** The nameserver the pod uses (for nslookup's "Server:" lines). */
  String nameserver();

  /** A resolver answer: the fully qualified name found and its addresses, or none (NXDOMAIN). */
  record Answer(String name, List<String> addresses) {
    public boolean found() {
      return !addresses.isEmpty();
    }
  }
}
