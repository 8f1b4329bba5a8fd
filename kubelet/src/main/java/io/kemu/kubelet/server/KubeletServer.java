package io.kemu.kubelet.server;

import io.kemu.api.KubeletProtocol;
import io.kemu.api.KubeletProtocol.GetLogs;
import io.kemu.api.KubeletProtocol.LogChunk;
import io.kemu.api.KubeletProtocol.LogsReply;
import io.kemu.kubelet.runtime.ContainerLog;
import io.kemu.kubelet.runtime.LogStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;
import org.apache.pekko.stream.javadsl.StreamRefs;

/**
 * The kubelet's server (pkg/kubelet/server): this JVM's endpoint of {@link KubeletProtocol}, answering for the
 * nodes it hosts. containerLogs streams a container's log (current or previous instance) with tail, since,
 * timestamps, limitBytes and follow, which ends when the container does.
 */
public final class KubeletServer {
  private KubeletServer() {}

  private static final DateTimeFormatter RFC3339_NANO = DateTimeFormatter.ofPattern(
      "yyyy-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'").withZone(ZoneOffset.UTC);
  private static final int CHUNK = 32 * 1024;

  /** @param nodes the log store of each node of this JVM, by node name */
  public static Behavior<KubeletProtocol.Command> create(Map<String, LogStore> nodes, Clock clock) {
    return Behaviors.setup(ctx -> {
      ctx.getSystem().receptionist().tell(Receptionist.register(KubeletProtocol.SERVICE_KEY, ctx.getSelf()));
      Materializer mat = Materializer.createMaterializer(ctx.getSystem());
      return Behaviors.receive(KubeletProtocol.Command.class)
          .onMessage(GetLogs.class, g -> {
            LogsReply reply;
            try {
              reply = logs(nodes, g, clock, mat);
            } catch (RuntimeException e) {
              reply = new LogsReply(500, "kubelet: " + e, null);
            }
            g.replyTo().tell(reply);
            return Behaviors.same();
          })
          .build();
    });
  }

  static LogsReply logs(Map<String, LogStore> nodes, GetLogs g, Clock clock, Materializer mat) {
    LogStore store = nodes.get(g.node());
    if (store == null) {
      return new LogsReply(404, "node " + g.node() + " is not hosted here", null);
    }
    LogStore.Logs logs = store.get(g.namespace(), g.pod(), g.podUid(), g.container());
    if (logs == null) {
      return new LogsReply(400, "container \"" + g.container() + "\" in pod \"" + g.pod()
          + "\" is waiting to start: ContainerCreating", null);
    }
    ContainerLog log = g.previous() ? logs.previous() : logs.current();
    if (log == null) {
      return new LogsReply(400, "previous terminated container \"" + g.container() + "\" in pod \"" + g.pod()
          + "\" not found", null);
    }
    Instant since = g.sinceSeconds() == null ? null : clock.instant().minusSeconds(g.sinceSeconds());
    boolean follow = g.follow() && !g.previous();
    Source<LogChunk, NotUsed> source;
    if (follow) {
      Pair<SourceQueueWithComplete<LogChunk>, Source<LogChunk, NotUsed>> q =
          Source.<LogChunk>queue(4096, OverflowStrategy.dropHead()).preMaterialize(mat);
      SourceQueueWithComplete<LogChunk> queue = q.first();
      ContainerLog.Follower follower = new ContainerLog.Follower() {
        @Override
        public void line(ContainerLog.Line l) {
          queue.offer(new LogChunk(render(l, g.timestamps())));
        }

        @Override
        public void closed() {
          queue.complete();
        }
      };
      List<ContainerLog.Line> lines = ContainerLog.select(log.lines(follower), g.tailLines(), since);
      queue.watchCompletion().whenComplete((d, e) -> log.unfollow(follower));
      source = Source.from(chunks(lines, g.timestamps(), g.limitBytes())).concat(q.second());
    } else {
      List<ContainerLog.Line> lines = ContainerLog.select(log.lines(null), g.tailLines(), since);
      source = Source.from(chunks(lines, g.timestamps(), g.limitBytes()));
    }
    return new LogsReply(200, "", source.runWith(StreamRefs.sourceRef(), mat));
  }

  static byte[] render(ContainerLog.Line l, boolean timestamps) {
    if (!timestamps) {
      return l.text();
    }
    byte[] ts = (RFC3339_NANO.format(l.at()) + " ").getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[ts.length + l.text().length];
    System.arraycopy(ts, 0, out, 0, ts.length);
    System.arraycopy(l.text(), 0, out, ts.length, l.text().length);
    return out;
  }

  /** Lines grouped into chunks of up to 32 KiB, cut at limitBytes. */
  static List<LogChunk> chunks(List<ContainerLog.Line> lines, boolean timestamps, Long limitBytes) {
    List<LogChunk> out = new ArrayList<>();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    long budget = limitBytes == null ? Long.MAX_VALUE : limitBytes;
    for (ContainerLog.Line l : lines) {
      byte[] b = render(l, timestamps);
      if (b.length > budget) {
        buf.write(b, 0, (int) budget);
        budget = 0;
        break;
      }
      budget -= b.length;
      if (buf.size() + b.length > CHUNK && buf.size() > 0) {
        out.add(new LogChunk(buf.toByteArray()));
        buf.reset();
      }
      buf.writeBytes(b);
    }
    if (buf.size() > 0) {
      out.add(new LogChunk(buf.toByteArray()));
    }
    return out;
  }
}
