package io.kemu.kubelet.status;

import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.kemu.api.Flow;
import io.kemu.api.KubeJson;
import io.kemu.api.client.ApiClient;
import io.kemu.api.client.StatusException;
import java.util.HashMap;
import java.util.Map;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One node's status manager (pkg/kubelet/status/status_manager.go): keeps the newest status of each pod with
 * a version, writes it to pods/status only when it differs from what was last written, one write per pod at a
 * time (later versions wait and only the newest goes), and deletes a terminated pod with grace 0 once its final
 * status is written.
 */
public final class StatusManager {
  public sealed interface Command {}

  public record SetStatus(String uid, String namespace, String name, PodStatus status) implements Command {}

  /** The pod is terminated on this node: after its final status, remove it from the API. */
  public record Finished(String uid, String namespace, String name, ActorRef<String> done) implements Command {}

  private record Written(String uid, long version, Throwable error) implements Command {}

  private record Deleted(String uid, Throwable error) implements Command {}

  private static final class Entry {
    String namespace;
    String name;
    PodStatus status;
    long version;
    long writtenVersion;
    String writtenJson;
    boolean inFlight;
    ActorRef<String> finished;
  }

  public static Behavior<Command> create(ApiClient client, String nodeName) {
    return Behaviors.setup(ctx -> {
      Map<String, Entry> pods = new HashMap<>();
      return Behaviors.receive(Command.class)
          .onMessage(SetStatus.class, s -> {
            Entry e = pods.computeIfAbsent(s.uid(), u -> new Entry());
            e.namespace = s.namespace();
            e.name = s.name();
            e.status = s.status();
            e.version++;
            sync(ctx, client, s.uid(), e);
            return Behaviors.same();
          })
          .onMessage(Finished.class, f -> {
            Entry e = pods.computeIfAbsent(f.uid(), u -> new Entry());
            e.namespace = f.namespace();
            e.name = f.name();
            e.finished = f.done();
            sync(ctx, client, f.uid(), e);
            return Behaviors.same();
          })
          .onMessage(Written.class, w -> {
            Entry e = pods.get(w.uid());
            if (e == null) {
              return Behaviors.same();
            }
            e.inFlight = false;
            StatusException se = StatusException.of(w.error());
            if (se != null && se.isNotFound()) {
              pods.remove(w.uid());
              if (e.finished != null) {
                e.finished.tell(w.uid());
              }
              return Behaviors.same();
            }
            if (w.error() == null) {
              e.writtenVersion = w.version();
            } else {
              ctx.getLog().debug("status of {}/{} not written: {}", e.namespace, e.name, w.error().toString());
            }
            sync(ctx, client, w.uid(), e);
            return Behaviors.same();
          })
          .onMessage(Deleted.class, d -> {
            Entry e = pods.remove(d.uid());
            StatusException se = StatusException.of(d.error());
            if (d.error() != null && (se == null || !se.isNotFound())) {
              ctx.getLog().warn("pod {} not deleted: {}", d.uid(), d.error().toString());
            }
            if (e != null && e.finished != null) {
              e.finished.tell(d.uid());
            }
            return Behaviors.same();
          })
          .build();
    });
  }

  private static void sync(org.apache.pekko.actor.typed.javadsl.ActorContext<Command> ctx, ApiClient client,
                           String uid, Entry e) {
    if (e.inFlight) {
      return;
    }
    if (e.status != null && e.version > e.writtenVersion) {
      String json = KubeJson.string(e.status);
      long version = e.version;
      if (json.equals(e.writtenJson)) {
        e.writtenVersion = version;
      } else {
        e.inFlight = true;
        e.writtenJson = json;
        Map<String, Object> patch = new HashMap<>();
        patch.put("metadata", Map.of("uid", uid));
        patch.put("status", e.status);
        Flow.LOG.info("kubelet: writing status of pod {}/{}: phase {}", e.namespace, e.name, e.status.getPhase());
        ctx.pipeToSelf(client.patch(Pod.class, e.namespace, e.name, "status", "application/merge-patch+json", patch),
            (p, err) -> new Written(uid, version, err));
        return;
      }
    }
    if (e.finished != null && e.version == e.writtenVersion) {
      e.inFlight = true;
      Flow.LOG.info("kubelet: pod {}/{} terminated, deleting it with grace 0", e.namespace, e.name);
      ctx.pipeToSelf(client.delete(Pod.class, e.namespace, e.name, new DeleteOptionsBuilder()
              .withGracePeriodSeconds(0L).withNewPreconditions().withUid(uid).endPreconditions().build()),
          (x, err) -> new Deleted(uid, err));
    }
  }

}
