package io.kemu.apiserver.endpoints;

import io.kemu.api.KubeletProtocol;
import io.kemu.api.KubeletProtocol.GetLogs;
import io.kemu.api.KubeletProtocol.LogsReply;
import io.kemu.apiserver.errors.ApiException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * The apiserver's way to the kubelets: every kubelet JVM is asked, the one hosting the node answers with a stream,
 * the others with 404.
 */
public final class KubeletClient {
  private final ActorSystem<?> system;
  private final Duration timeout;
  private volatile List<ActorRef<KubeletProtocol.Command>> kubelets = List.of();

  public KubeletClient(ActorSystem<?> system, Duration timeout) {
    this.system = system;
    this.timeout = timeout;
    system.systemActorOf(Behaviors.<Receptionist.Listing>setup(ctx -> {
      ctx.getSystem().receptionist().tell(Receptionist.subscribe(KubeletProtocol.SERVICE_KEY, ctx.getSelf()));
      return Behaviors.receiveMessage(l -> {
        kubelets = List.copyOf(l.getServiceInstances(KubeletProtocol.SERVICE_KEY));
        return Behaviors.same();
      });
    }), "kubelet-client", Props.empty());
  }

  public CompletionStage<LogsReply> logs(Function<ActorRef<LogsReply>, GetLogs> request) {
    List<ActorRef<KubeletProtocol.Command>> targets = kubelets;
    if (targets.isEmpty()) {
      return CompletableFuture.failedFuture(ApiException.serviceUnavailable("no kubelet is reachable"));
    }
    CompletableFuture<LogsReply> result = new CompletableFuture<>();
    AtomicInteger pending = new AtomicInteger(targets.size());
    List<LogsReply> failures = new ArrayList<>();
    for (ActorRef<KubeletProtocol.Command> k : targets) {
      AskPattern.<KubeletProtocol.Command, LogsReply>ask(k, request::apply, timeout, system.scheduler())
          .whenComplete((reply, err) -> {
            if (reply != null && reply.code() == 200) {
              result.complete(reply);
            } else {
              synchronized (failures) {
                if (reply != null && reply.code() != 404) {
                  failures.add(reply);
                }
              }
            }
            if (pending.decrementAndGet() == 0 && !result.isDone()) {
              LogsReply f = failures.isEmpty() ? null : failures.get(0);
              result.completeExceptionally(f == null
                  ? ApiException.serviceUnavailable("the kubelet of the pod's node is not reachable")
                  : new ApiException(f.code(), f.code() == 400 ? "BadRequest" : "InternalError", f.message(),
                      null, null, null, null, null));
            }
          });
    }
    return result;
  }
}
