package io.kemu.api;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.stream.SourceRef;

/**
 * What the apiserver asks of the kubelets (kube-apiserver proxies these to the kubelet's HTTPS port): each
 * kubelet JVM registers one endpoint under {@link #SERVICE_KEY}; a request names its node, and a JVM that does not
 * host that node answers 404.
 */
public final class KubeletProtocol {
  private KubeletProtocol() {}

  public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "kubelet");

  public sealed interface Command extends CborSerializable permits GetLogs {}

  /** pods/log (kubelet's /containerLogs): PodLogOptions as the apiserver validated them. */
  public record GetLogs(String node, String namespace, String pod, String podUid, String container, boolean follow,
                        boolean previous, Long tailLines, Long sinceSeconds, boolean timestamps, Long limitBytes,
                        ActorRef<LogsReply> replyTo) implements Command {}

  public record LogChunk(byte[] data) implements CborSerializable {}

  /** 200 with the log stream, or an error code and its message (404: not this JVM's node or pod). */
  public record LogsReply(int code, String message, SourceRef<LogChunk> chunks) implements CborSerializable {}
}
