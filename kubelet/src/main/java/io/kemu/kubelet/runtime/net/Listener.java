package io.kemu.kubelet.runtime.net;

import java.util.function.Consumer;

/** A server socket's handler; called on the listening pod's node kernel, answers once. */
public interface Listener {
  void handle(NetRequest request, String fromIp, Consumer<NetReply> reply);
}
