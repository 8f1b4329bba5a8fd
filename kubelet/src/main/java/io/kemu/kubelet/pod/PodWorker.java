package io.kemu.kubelet.pod;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ExecAction;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.kemu.api.Flow;
import io.kemu.api.client.ApiClient;
import io.kemu.api.client.Recorder;
import io.kemu.kubelet.KubeletSettings;
import io.kemu.kubelet.runtime.ContainerLog;
import io.kemu.kubelet.runtime.ContainerState;
import io.kemu.kubelet.runtime.ImageCatalog;
import io.kemu.kubelet.runtime.Images;
import io.kemu.kubelet.runtime.LogStore;
import io.kemu.kubelet.runtime.NodeRuntime;
import io.kemu.kubelet.runtime.PodNetwork;
import io.kemu.kubelet.runtime.fs.Vfs;
import io.kemu.kubelet.runtime.net.NetReply;
import io.kemu.kubelet.runtime.net.NetRequest;
import io.kemu.kubelet.runtime.proc.Signals;
import io.kemu.kubelet.status.PodStatusBuilder;
import io.kemu.kubelet.status.StatusManager;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One pod on one node (pkg/kubelet/pod_workers.go with kuberuntime's SyncPod): the newest pod object wins; the
 * worker goes sync (sandbox, volumes, init containers one at a time, app containers with image pulls, hooks and
 * probes, restarts with back-off per restartPolicy) → terminating (preStop ∥ grace period, TERM, KILL) →
 * terminated (final status; deletion with grace 0 once the pod is being deleted), and a terminated pod never starts
 * again. The containers themselves run in the node's {@link NodeRuntime}; their exits come back as messages.
 */
public final class PodWorker {

  public sealed interface Command {}

  /** The newest version of the pod from the apiserver. */
  public record Update(Pod pod) implements Command {}

  /** The pod is gone from the apiserver (deleted with grace 0 elsewhere): stop everything now. */
  public enum Removed implements Command { INSTANCE }

  private enum SandboxReady implements Command { INSTANCE }

  private record VolumesFetched(Map<String, Map<String, byte[]>> data, String missing) implements Command {}

  private enum RetryVolumes implements Command { INSTANCE }

  private record Pulled(String name, int gen, Duration took) implements Command {}

  private record Created(String name, int gen) implements Command {}

  private record EnvResolved(String name, int gen, Map<String, String> values, Map<String, String> from,
                             String error) implements Command {}

  private record RetryConfig(String name, int gen) implements Command {}

  private record Start(String name, int gen) implements Command {}

  private record Exited(String name, int gen, NodeRuntime.Exit exit) implements Command {}

  private record PostStartDone(String name, int gen, String error) implements Command {}

  private record RestartDue(String name, int gen) implements Command {}

  private record ProbeTick(String name, int gen, String type) implements Command {}

  private record ProbeDone(String name, int gen, String type, boolean ok, String message) implements Command {}

  private record PreStopDone(String name, int gen, String error) implements Command {}

  private record KillNow(String name, int gen) implements Command {}

  private enum GraceExpired implements Command { INSTANCE }

  private enum ExtensionExpired implements Command { INSTANCE }

  private enum DeadlineExceeded implements Command { INSTANCE }

  private record FinalStatusWritten(String uid) implements Command {}

  /** What the node gives each of its pod workers. */
  public record NodeContext(String nodeName, String nodeIp, PodNetwork network, Set<String> imageCache,
                            ActorRef<StatusManager.Command> statusManager, Recorder events,
                            KubeletSettings settings, Clock clock, NodeRuntime runtime, LogStore logs,
                            ApiClient client) {}

  public static Behavior<Command> create(Pod pod, NodeContext node) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new PodWorker(ctx, timers, pod, node).start()));
  }

  /** One container of the pod: its spec, its state as reported, and the instance running now. */
  private static final class Slot {
    final Container spec;
    final boolean init;
    ContainerState state;
    NodeRuntime.Container handle;
    int gen;
    boolean running;
    boolean stopping;
    boolean preStopRunning;
    String killReason;
    Map<String, ProbeCounter> probes = new HashMap<>();
    Map<String, String> envValues = Map.of();
    Map<String, String> envFrom = Map.of();

    Slot(Container spec, boolean init, ContainerState state) {
      this.spec = spec;
      this.init = init;
      this.state = state;
    }

    String name() {
      return spec.getName();
    }
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final NodeContext node;
  private final String uid;
  private final String key;
  private final Map<String, Slot> inits = new LinkedHashMap<>();
  private final Map<String, Slot> apps = new LinkedHashMap<>();
  private final BackOff crashBackOff;
  private final BackOff pullBackOff;
  private Pod pod;
  private String podIp;
  private boolean sandboxReady;
  private NodeRuntime.Sandbox sandbox;
  private Map<String, Map<String, byte[]>> volumeData = Map.of();
  private Instant startTime;
  private boolean terminating;
  private boolean podTerminal;
  private String podReason;
  private String podMessage;

  private PodWorker(ActorContext<Command> ctx, TimerScheduler<Command> timers, Pod pod, NodeContext node) {
    this.ctx = ctx;
    this.timers = timers;
    this.node = node;
    this.pod = pod;
    this.uid = pod.getMetadata().getUid();
    this.key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    this.crashBackOff = new BackOff(real(BackOff.INITIAL), real(BackOff.MAX));
    this.pullBackOff = new BackOff(real(BackOff.INITIAL), real(BackOff.MAX));
  }

  private Duration real(Duration emulated) {
    return node.settings().timeScale().real(emulated);
  }

  private Instant now() {
    return node.clock().instant();
  }

  private String podRef() {
    return pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "(" + uid + ")";
  }

  // ---------------------------------------------------------------- sync

  private Behavior<Command> start() {
    boolean restarted = pod.getStatus() != null && pod.getStatus().getPodIP() != null;
    if (pod.getSpec().getInitContainers() != null) {
      for (Container c : pod.getSpec().getInitContainers()) {
        inits.put(c.getName(), new Slot(c, true, ContainerState.waiting(c.getName(), c.getImage(), "PodInitializing",
            previousRestarts(pod.getStatus() == null ? null : pod.getStatus().getInitContainerStatuses(), c.getName(),
                restarted))));
      }
    }
    String appWaiting = inits.isEmpty() ? "ContainerCreating" : "PodInitializing";
    for (Container c : pod.getSpec().getContainers()) {
      apps.put(c.getName(), new Slot(c, false, ContainerState.waiting(c.getName(), c.getImage(), appWaiting,
          previousRestarts(pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses(), c.getName(),
              restarted))));
    }
    if (!inits.isEmpty()) {
      Slot first = inits.values().iterator().next();
      first.state = ContainerState.waiting(first.name(), first.spec.getImage(), "ContainerCreating",
          first.state.restartCount());
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      Flow.LOG.info("kubelet: {} received pod {} already being deleted", node.nodeName(), key);
      return beginTermination(null);
    }
    Flow.LOG.info("kubelet: {} received pod {}, creating its sandbox", node.nodeName(), key);
    startTime = now();
    if (restarted) {
      // The node's runtime is gone (the kubelet JVM restarted): like after a reboot, the sandbox is re-created.
      node.events().normal(pod, "SandboxChanged", "Pod sandbox changed, it will be killed and re-created.");
    }
    Long deadline = pod.getSpec().getActiveDeadlineSeconds();
    if (deadline != null && deadline > 0) {
      timers.startSingleTimer(DeadlineExceeded.INSTANCE, real(Duration.ofSeconds(deadline)));
    }
    report();
    timers.startSingleTimer(SandboxReady.INSTANCE, real(node.settings().runtime().sandboxCreation()));
    return syncing();
  }

  private static int previousRestarts(List<ContainerStatus> statuses, String name, boolean restarted) {
    if (!restarted || statuses == null) {
      return 0;
    }
    for (ContainerStatus s : statuses) {
      if (s.getName().equals(name)) {
        int count = s.getRestartCount() == null ? 0 : s.getRestartCount();
        boolean ran = s.getState() != null && (s.getState().getRunning() != null || s.getState().getTerminated() != null);
        return ran ? count + 1 : count;
      }
    }
    return 0;
  }

  private Behavior<Command> syncing() {
    return Behaviors.receive(Command.class)
        .onMessage(Update.class, u -> {
          pod = u.pod();
          return pod.getMetadata().getDeletionTimestamp() != null ? beginTermination(null) : Behaviors.same();
        })
        .onMessageEquals(Removed.INSTANCE, this::removed)
        .onMessageEquals(SandboxReady.INSTANCE, () -> {
          podIp = node.network().allocate();
          Map<String, Integer> named = new HashMap<>();
          for (Container c : pod.getSpec().getContainers()) {
            if (c.getPorts() != null) {
              for (ContainerPort p : c.getPorts()) {
                if (p.getName() != null) {
                  named.put(p.getName(), p.getContainerPort());
                }
              }
            }
          }
          String hostname = pod.getSpec().getHostname() != null ? pod.getSpec().getHostname()
              : pod.getMetadata().getName();
          sandbox = node.runtime().createSandbox(podIp, hostname, pod.getMetadata().getNamespace(),
              pod.getMetadata().getLabels(), named);
          sandboxReady = true;
          Flow.LOG.info("kubelet: {} sandbox of pod {} ready with IP {}", node.nodeName(), key, podIp);
          report();
          fetchVolumes();
          return Behaviors.same();
        })
        .onMessageEquals(RetryVolumes.INSTANCE, () -> {
          fetchVolumes();
          return Behaviors.same();
        })
        .onMessage(VolumesFetched.class, v -> {
          if (v.missing() != null) {
            node.events().warning(pod, "FailedMount", v.missing());
            timers.startSingleTimer(RetryVolumes.INSTANCE, real(Duration.ofSeconds(2)));
            return Behaviors.same();
          }
          volumeData = v.data();
          if (!inits.isEmpty()) {
            launch(inits.values().iterator().next());
          } else {
            apps.values().forEach(this::launch);
          }
          return Behaviors.same();
        })
        .onMessage(Pulled.class, this::onPulled)
        .onMessage(Created.class, c -> {
          Slot s = slot(c.name());
          if (s != null && s.gen == c.gen()) {
            node.events().normal(pod, "Created", "Created container: " + s.name());
            timers.startSingleTimer("start-" + c.name(), new Start(c.name(), c.gen()),
                real(node.settings().runtime().containerStart()));
          }
          return Behaviors.same();
        })
        .onMessage(EnvResolved.class, this::onEnvResolved)
        .onMessage(RetryConfig.class, r -> {
          Slot s = slot(r.name());
          if (s != null && s.gen == r.gen() && !s.running) {
            created(s);
          }
          return Behaviors.same();
        })
        .onMessage(Start.class, this::onStart)
        .onMessage(PostStartDone.class, this::onPostStart)
        .onMessage(Exited.class, this::onExited)
        .onMessage(RestartDue.class, r -> {
          Slot s = slot(r.name());
          if (s != null && s.gen == r.gen() && !s.running) {
            crashBackOff.next(s.name(), now());
            s.state = s.state.restarting();
            launch(s);
          }
          return Behaviors.same();
        })
        .onMessage(ProbeTick.class, this::onProbeTick)
        .onMessage(ProbeDone.class, this::onProbeDone)
        .onMessage(KillNow.class, k -> {
          Slot s = slot(k.name());
          if (s != null && s.gen == k.gen() && s.running) {
            node.runtime().signal(s.handle, Signals.KILL);
          }
          return Behaviors.same();
        })
        .onMessageEquals(DeadlineExceeded.INSTANCE, () -> {
          podReason = "DeadlineExceeded";
          podMessage = "Pod was active on the node longer than the specified deadline";
          node.events().normal(pod, "DeadlineExceeded", podMessage);
          return beginTermination(pod.getSpec().getTerminationGracePeriodSeconds());
        })
        .onMessage(PreStopDone.class, p -> Behaviors.same())
        .build();
  }

  // ---------------------------------------------------------------- volumes

  /** configMap and secret volumes need their objects first (kubelet's volume manager): fetched, or FailedMount. */
  private void fetchVolumes() {
    List<Volume> vols = pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
    Map<String, CompletionStage<Map<String, byte[]>>> pending = new LinkedHashMap<>();
    String ns = pod.getMetadata().getNamespace();
    ApiClient client = node.client();
    for (Volume v : vols) {
      if (client == null) {
        break;
      }
      if (v.getConfigMap() != null) {
        boolean optional = Boolean.TRUE.equals(v.getConfigMap().getOptional());
        String name = v.getConfigMap().getName();
        pending.put(v.getName(), client.get(ConfigMap.class, ns, name).handle((cm, err) -> {
          if (err != null) {
            if (optional) {
              return Map.of();
            }
            throw new IllegalStateException("MountVolume.SetUp failed for volume \"" + v.getName() + "\" : configmap \""
                + name + "\" not found");
          }
          Map<String, byte[]> out = new LinkedHashMap<>();
          if (cm.getData() != null) {
            cm.getData().forEach((k, val) -> out.put(k, val.getBytes(StandardCharsets.UTF_8)));
          }
          if (cm.getBinaryData() != null) {
            cm.getBinaryData().forEach((k, val) -> out.put(k, Base64.getDecoder().decode(val)));
          }
          return out;
        }));
      } else if (v.getSecret() != null) {
        boolean optional = Boolean.TRUE.equals(v.getSecret().getOptional());
        String name = v.getSecret().getSecretName();
        pending.put(v.getName(), client.get(Secret.class, ns, name).handle((sec, err) -> {
          if (err != null) {
            if (optional) {
              return Map.of();
            }
            throw new IllegalStateException("MountVolume.SetUp failed for volume \"" + v.getName() + "\" : secret \""
                + name + "\" not found");
          }
          Map<String, byte[]> out = new LinkedHashMap<>();
          if (sec.getData() != null) {
            sec.getData().forEach((k, val) -> out.put(k, Base64.getDecoder().decode(val)));
          }
          if (sec.getStringData() != null) {
            sec.getStringData().forEach((k, val) -> out.put(k, val.getBytes(StandardCharsets.UTF_8)));
          }
          return out;
        }));
      }
    }
    CompletableFuture<Map<String, Map<String, byte[]>>> all = CompletableFuture.completedFuture(new HashMap<>());
    for (Map.Entry<String, CompletionStage<Map<String, byte[]>>> e : pending.entrySet()) {
      all = all.thenCombine(e.getValue(), (acc, data) -> {
        acc.put(e.getKey(), data);
        return acc;
      });
    }
    ctx.pipeToSelf(all, (data, err) -> {
      if (err != null) {
        Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
            ? err.getCause() : err;
        return new VolumesFetched(Map.of(), cause.getMessage());
      }
      return new VolumesFetched(data, null);
    });
  }

  /** The mounts of a container: each volumeMount to the pod's directory of that volume. */
  private List<NodeRuntime.Mount> mounts(Container c) {
    List<NodeRuntime.Mount> out = new ArrayList<>();
    Map<String, Volume> vols = new HashMap<>();
    if (pod.getSpec().getVolumes() != null) {
      pod.getSpec().getVolumes().forEach(v -> vols.put(v.getName(), v));
    }
    if (c.getVolumeMounts() != null) {
      for (VolumeMount m : c.getVolumeMounts()) {
        Volume v = vols.get(m.getName());
        if (v == null) {
          continue;
        }
        Vfs.Dir dir = volumeDir(v);
        if (m.getSubPath() != null && !m.getSubPath().isEmpty()) {
          Vfs.Dir sub = dir;
          for (String part : m.getSubPath().split("/")) {
            if (!part.isEmpty()) {
              Vfs.Node n = sub.entries.get(part);
              if (!(n instanceof Vfs.Dir)) {
                n = new Vfs.Dir(0755, now());
                sub.entries.put(part, n);
              }
              sub = (Vfs.Dir) n;
            }
          }
          dir = sub;
        }
        out.add(new NodeRuntime.Mount(m.getMountPath(), dir, Boolean.TRUE.equals(m.getReadOnly())));
      }
    }
    boolean automount = !Boolean.FALSE.equals(pod.getSpec().getAutomountServiceAccountToken());
    if (automount && out.stream().noneMatch(m -> m.path().startsWith(SA_DIR))) {
      // the kube-api-access projected volume of the ServiceAccount admission plugin, when admission left it out
      out.add(new NodeRuntime.Mount(SA_DIR, serviceAccountDir(), true));
    }
    return out;
  }

  private static final String SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

  private Vfs.Dir serviceAccountDir() {
    Vfs.Dir dir = sandbox.volume("kube-api-access");
    if (dir.entries.isEmpty()) {
      String sa = pod.getSpec().getServiceAccountName() == null ? "default" : pod.getSpec().getServiceAccountName();
      dir.entries.put("namespace", new Vfs.File(0644, now(), pod.getMetadata().getNamespace()
          .getBytes(StandardCharsets.UTF_8)));
      dir.entries.put("token", new Vfs.File(0644, now(), token(sa).getBytes(StandardCharsets.UTF_8)));
      dir.entries.put("ca.crt", new Vfs.File(0644, now(), "-----BEGIN CERTIFICATE-----\nkemu\n-----END CERTIFICATE-----\n"
          .getBytes(StandardCharsets.UTF_8)));
    }
    return dir;
  }

  private String token(String serviceAccount) {
    return "eyJhbGciOiJSUzI1NiIsImtpZCI6ImtlbXUifQ." + Base64.getUrlEncoder().withoutPadding().encodeToString(
        ("{\"sub\":\"system:serviceaccount:" + pod.getMetadata().getNamespace() + ":" + serviceAccount + "\"}")
            .getBytes(StandardCharsets.UTF_8)) + ".kemu";
  }

  private Vfs.Dir volumeDir(Volume v) {
    if (v.getHostPath() != null) {
      return node.runtime().hostPath(v.getHostPath().getPath());
    }
    Vfs.Dir dir = sandbox.volume(v.getName());
    if (!dir.entries.isEmpty() || v.getEmptyDir() != null) {
      return dir;
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    if (v.getConfigMap() != null || v.getSecret() != null) {
      Map<String, byte[]> data = volumeData.getOrDefault(v.getName(), Map.of());
      var items = v.getConfigMap() != null ? v.getConfigMap().getItems() : v.getSecret().getItems();
      if (items == null || items.isEmpty()) {
        files.putAll(data);
      } else {
        items.forEach(i -> {
          if (data.containsKey(i.getKey())) {
            files.put(i.getPath(), data.get(i.getKey()));
          }
        });
      }
    } else if (v.getDownwardAPI() != null && v.getDownwardAPI().getItems() != null) {
      v.getDownwardAPI().getItems().forEach(i -> {
        if (i.getFieldRef() != null) {
          files.put(i.getPath(), downward(i.getFieldRef().getFieldPath()).getBytes(StandardCharsets.UTF_8));
        }
      });
    } else if (v.getProjected() != null && v.getProjected().getSources() != null) {
      v.getProjected().getSources().forEach(src -> {
        if (src.getServiceAccountToken() != null) {
          files.put(src.getServiceAccountToken().getPath(), token(pod.getSpec().getServiceAccountName())
              .getBytes(StandardCharsets.UTF_8));
        }
        if (src.getConfigMap() != null && src.getConfigMap().getItems() != null) {
          src.getConfigMap().getItems().forEach(i -> files.put(i.getPath(), ("-----BEGIN CERTIFICATE-----\n"
              + "kemu\n-----END CERTIFICATE-----\n").getBytes(StandardCharsets.UTF_8)));
        }
        if (src.getDownwardAPI() != null && src.getDownwardAPI().getItems() != null) {
          src.getDownwardAPI().getItems().forEach(i -> {
            if (i.getFieldRef() != null) {
              files.put(i.getPath(), downward(i.getFieldRef().getFieldPath()).getBytes(StandardCharsets.UTF_8));
            }
          });
        }
      });
    }
    files.forEach((path, data) -> {
      Vfs.Dir d = dir;
      String[] parts = path.split("/");
      for (int i = 0; i < parts.length - 1; i++) {
        Vfs.Node n = d.entries.get(parts[i]);
        if (!(n instanceof Vfs.Dir)) {
          n = new Vfs.Dir(0755, now());
          d.entries.put(parts[i], n);
        }
        d = (Vfs.Dir) n;
      }
      d.entries.put(parts[parts.length - 1], new Vfs.File(0644, now(), data));
    });
    return dir;
  }

  /** A downward API field (fieldRef paths of the pod). */
  private String downward(String path) {
    var m = pod.getMetadata();
    if (path.startsWith("metadata.labels['") || path.startsWith("metadata.annotations['")) {
      String k = path.substring(path.indexOf("['") + 2, path.lastIndexOf("']"));
      Map<String, String> map = path.startsWith("metadata.labels") ? m.getLabels() : m.getAnnotations();
      return map == null ? "" : map.getOrDefault(k, "");
    }
    return switch (path) {
      case "metadata.name" -> m.getName();
      case "metadata.namespace" -> m.getNamespace();
      case "metadata.uid" -> m.getUid();
      case "metadata.labels", "metadata.annotations" -> {
        Map<String, String> map = path.equals("metadata.labels") ? m.getLabels() : m.getAnnotations();
        StringBuilder sb = new StringBuilder();
        if (map != null) {
          new java.util.TreeMap<>(map).forEach((k, v) -> sb.append(k).append("=\"").append(v).append("\"\n"));
        }
        yield sb.toString().strip();
      }
      case "spec.nodeName" -> node.nodeName();
      case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName();
      case "status.podIP", "status.podIPs" -> podIp == null ? "" : podIp;
      case "status.hostIP", "status.hostIPs" -> node.nodeIp();
      default -> "";
    };
  }

  // ---------------------------------------------------------------- images

  /** Image pull (kuberuntime EnsureImageExists): reference check, pull policy, the node's cache, back-off. */
  private void launch(Slot s) {
    if (terminating || podTerminal) {
      return;
    }
    s.gen++;
    String image = s.spec.getImage();
    if (!ImageReference.valid(image)) {
      String msg = "Failed to apply default image tag \"" + image + "\": couldn't parse image name \"" + image
          + "\": invalid reference format";
      s.state = s.state.waitingWith("InvalidImageName", msg);
      node.events().warning(pod, "InspectFailed", msg);
      node.events().warning(pod, "Failed", "Error: InvalidImageName");
      report();
      return;
    }
    String ref = Images.normalize(image);
    String policy = s.spec.getImagePullPolicy() != null ? s.spec.getImagePullPolicy()
        : ref.endsWith(":latest") ? "Always" : "IfNotPresent";
    boolean cached = node.imageCache().contains(ref);
    if (policy.equals("Never") && !cached) {
      String msg = "Container image \"" + image + "\" is not present with pull policy of Never";
      s.state = s.state.waitingWith("ErrImageNeverPull", msg);
      node.events().warning(pod, "ErrImageNeverPull", msg);
      node.events().warning(pod, "Failed", "Error: ErrImageNeverPull");
      report();
      return;
    }
    if (cached && !policy.equals("Always")) {
      node.events().normal(pod, "Pulled", "Container image \"" + image + "\" already present on machine");
      created(s);
      return;
    }
    node.events().normal(pod, "Pulling", "Pulling image \"" + image + "\"");
    Duration pull = node.settings().runtime().imagePull();
    timers.startSingleTimer("pull-" + s.name(), new Pulled(s.name(), s.gen, pull), real(pull));
  }

  private Behavior<Command> onPulled(Pulled p) {
    Slot s = slot(p.name());
    if (s == null || terminating) {
      return Behaviors.same();
    }
    if (p.gen() == -s.gen) {
      launchAfterBackOff(s);
      return Behaviors.same();
    }
    if (s.gen != p.gen()) {
      return Behaviors.same();
    }
    String image = s.spec.getImage();
    String ref = Images.normalize(image);
    String failure = ImageReference.pullFailure(ref, node.settings().runtime().unreachableRegistries());
    if (failure != null) {
      String pullKey = "pull:" + ref;
      pullBackOff.next(pullKey, now());
      s.state = s.state.waitingWith("ErrImagePull", failure);
      node.events().warning(pod, "Failed", "Failed to pull image \"" + image + "\": " + failure);
      node.events().warning(pod, "Failed", "Error: ErrImagePull");
      report();
      timers.startSingleTimer("pull-" + s.name(), new Pulled(s.name(), -s.gen, Duration.ZERO),
          real(Duration.ofSeconds(1)));
      return Behaviors.same();
    }
    pullBackOff.reset("pull:" + ref);
    node.imageCache().add(ref);
    String took = seconds(p.took());
    node.events().normal(pod, "Pulled", "Successfully pulled image \"" + image + "\" in " + took
        + " (" + took + " including waiting). Image size: " + Images.size(ref) + " bytes.");
    created(s);
    return Behaviors.same();
  }

  /** After a failed pull: ImagePullBackOff for the back-off, then another pull. */
  private void launchAfterBackOff(Slot s) {
    if ("ErrImagePull".equals(s.state.waitingReason())) {
      String msg = "Back-off pulling image \"" + s.spec.getImage() + "\"";
      s.state = s.state.waitingWith("ImagePullBackOff", msg);
      node.events().normal(pod, "BackOff", msg);
      node.events().warning(pod, "Failed", "Error: ImagePullBackOff");
      report();
      timers.startSingleTimer("pull-" + s.name(), new Pulled(s.name(), -s.gen, Duration.ZERO),
          pullBackOff.get("pull:" + Images.normalize(s.spec.getImage())));
      return;
    }
    s.gen++;
    node.events().normal(pod, "Pulling", "Pulling image \"" + s.spec.getImage() + "\"");
    Duration pull = node.settings().runtime().imagePull();
    timers.startSingleTimer("pull-" + s.name(), new Pulled(s.name(), s.gen, pull), real(pull));
  }

  private void created(Slot s) {
    Container c = s.spec;
    boolean refs = c.getEnvFrom() != null && !c.getEnvFrom().isEmpty() || c.getEnv() != null && c.getEnv().stream()
        .anyMatch(e -> e.getValueFrom() != null && (e.getValueFrom().getConfigMapKeyRef() != null
            || e.getValueFrom().getSecretKeyRef() != null));
    if (!refs || node.client() == null) {
      timers.startSingleTimer("create-" + s.name(), new Created(s.name(), s.gen),
          real(node.settings().runtime().containerCreate()));
      return;
    }
    int gen = s.gen;
    ctx.pipeToSelf(EnvSources.resolve(node.client(), pod.getMetadata().getNamespace(), c),
        (r, err) -> err != null ? new EnvResolved(c.getName(), gen, Map.of(), Map.of(),
            err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                ? err.getCause().getMessage() : err.getMessage())
            : new EnvResolved(c.getName(), gen, r.values(), r.from(), r.error()));
  }

  /** kubelet makeEnvironmentVariables: a missing ConfigMap, Secret or key is CreateContainerConfigError. */
  private Behavior<Command> onEnvResolved(EnvResolved r) {
    Slot s = slot(r.name());
    if (s == null || s.gen != r.gen() || s.running || terminating) {
      return Behaviors.same();
    }
    if (r.error() != null) {
      s.state = s.state.waitingWith("CreateContainerConfigError", r.error());
      node.events().warning(pod, "Failed", "Error: " + r.error());
      report();
      timers.startSingleTimer("config-" + s.name(), new RetryConfig(s.name(), s.gen), real(Duration.ofSeconds(10)));
      return Behaviors.same();
    }
    s.envValues = r.values();
    s.envFrom = r.from();
    timers.startSingleTimer("create-" + s.name(), new Created(s.name(), s.gen),
        real(node.settings().runtime().containerCreate()));
    return Behaviors.same();
  }

  // ---------------------------------------------------------------- containers

  private Behavior<Command> onStart(Start st) {
    Slot s = slot(st.name());
    if (s == null || s.gen != st.gen() || terminating) {
      return Behaviors.same();
    }
    Container c = s.spec;
    String ref = Images.normalize(c.getImage());
    ImageCatalog.Image image = ImageCatalog.image(ref);
    Map<String, String> envValues = s.envValues;
    Map<String, String> env = ContainerConfig.env(pod, c, image, node.runtime().cluster().services(null),
        s.envFrom, f -> f.startsWith("valueFrom:") ? envValues.get(f.substring(10)) : downward(f));
    List<String> argv = ContainerConfig.argv(c, image, env);
    long memLimit = memoryLimit(c);
    NodeRuntime.ContainerSpec spec = new NodeRuntime.ContainerSpec(c.getName(), ref, argv, env, c.getWorkingDir(),
        mounts(c), memLimit);
    ContainerLog log = new ContainerLog(node.clock());
    node.logs().started(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), uid, c.getName(), log);
    ActorRef<Command> self = ctx.getSelf();
    int gen = s.gen;
    s.handle = node.runtime().start(sandbox, spec, log, exit -> self.tell(new Exited(c.getName(), gen, exit)));
    s.running = true;
    s.stopping = false;
    s.killReason = null;
    s.state = s.state.running(ref, Images.imageId(ref), "containerd://" + randomId(), now());
    node.events().normal(pod, "Started", "Started container " + c.getName());
    Flow.LOG.info("kubelet: {} started container {} of pod {}", node.nodeName(), c.getName(), key);
    LifecycleHandler postStart = c.getLifecycle() == null ? null : c.getLifecycle().getPostStart();
    if (postStart != null) {
      runHook(s, postStart, err -> self.tell(new PostStartDone(c.getName(), gen, err)));
      return Behaviors.same();
    }
    becameRunning(s);
    return Behaviors.same();
  }

  private Behavior<Command> onPostStart(PostStartDone d) {
    Slot s = slot(d.name());
    if (s == null || s.gen != d.gen() || !s.running) {
      return Behaviors.same();
    }
    if (d.error() != null) {
      node.events().warning(pod, "FailedPostStartHook", d.error());
      node.events().normal(pod, "Killing", "FailedPostStartHook");
      stopContainer(s, "FailedPostStartHook", graceOf(null));
      return Behaviors.same();
    }
    becameRunning(s);
    return Behaviors.same();
  }

  /** The container runs (after postStart): started and ready follow the probes, which begin now. */
  private void becameRunning(Slot s) {
    Container c = s.spec;
    s.probes.clear();
    boolean hasStartup = !s.init && c.getStartupProbe() != null;
    s.state = s.state.withStarted(!hasStartup).withReady(!s.init && c.getReadinessProbe() == null && !hasStartup
        ? true : false);
    if (!s.init) {
      if (hasStartup) {
        scheduleProbe(s, "startup", true);
      } else {
        scheduleProbe(s, "liveness", true);
        scheduleProbe(s, "readiness", true);
      }
    }
    report();
  }

  private Behavior<Command> onExited(Exited e) {
    Slot s = slot(e.name());
    if (s == null || s.gen != e.gen() || !s.running) {
      return Behaviors.same();
    }
    s.running = false;
    s.handle = null;
    cancelProbes(s);
    NodeRuntime.Exit x = e.exit();
    Instant at = now();
    if ("StartError".equals(x.reason())) {
      node.events().warning(pod, "Failed", "Error: " + x.message());
    }
    s.state = s.state.exited(x.code(), x.reason(), x.message(), at);
    Flow.LOG.info("kubelet: {} container {} of pod {} exited with {}", node.nodeName(), e.name(), key, x.code());
    if (terminating) {
      return terminatingOrDone();
    }
    String policy = pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
    if (s.init) {
      if (x.code() == 0) {
        report();
        Slot next = nextInit(s);
        if (next != null) {
          next.state = ContainerState.waiting(next.name(), next.spec.getImage(), "ContainerCreating",
              next.state.restartCount());
          launch(next);
        } else {
          apps.values().forEach(a -> a.state = ContainerState.waiting(a.name(), a.spec.getImage(),
              "ContainerCreating", a.state.restartCount()));
          report();
          apps.values().forEach(this::launch);
        }
        return Behaviors.same();
      }
      if (policy.equals("Never")) {
        return podFinished();
      }
      restartWithBackOff(s);
      return Behaviors.same();
    }
    boolean restart = policy.equals("Always") || policy.equals("OnFailure") && x.code() != 0;
    if (restart) {
      restartWithBackOff(s);
      return Behaviors.same();
    }
    if (apps.values().stream().noneMatch(a -> a.running || a.state.phase() != ContainerState.Phase.EXITED)) {
      return podFinished();
    }
    report();
    return Behaviors.same();
  }

  /** kuberuntime doBackOff: the first restart is at once, later ones wait the back-off (CrashLoopBackOff). */
  private void restartWithBackOff(Slot s) {
    Instant finished = s.state.finishedAt() == null ? now() : s.state.finishedAt();
    if (!crashBackOff.isInBackOffSince(s.name(), finished, now())) {
      crashBackOff.next(s.name(), now());
      report();
      s.state = s.state.restarting();
      launch(s);
      return;
    }
    Duration wait = crashBackOff.get(s.name());
    Duration emulated = node.settings().timeScale().emulated(wait);
    String msg = "back-off " + goDuration(emulated) + " restarting failed container=" + s.name() + " pod=" + podRef();
    s.state = s.state.waitingWith("CrashLoopBackOff", msg);
    node.events().warning(pod, "BackOff", "Back-off restarting failed container " + s.name() + " in pod "
        + podRef());
    report();
    Duration remaining = wait.minus(Duration.between(finished, now()));
    timers.startSingleTimer("restart-" + s.name(), new RestartDue(s.name(), s.gen),
        remaining.isNegative() ? Duration.ZERO : remaining);
  }

  /** Go's time.Duration String for whole seconds: 10s, 1m20s, 5m0s. */
  static String goDuration(Duration d) {
    long s = Math.round(d.toMillis() / 1000.0);
    if (s < 60) {
      return s + "s";
    }
    return (s / 60) + "m" + (s % 60) + "s";
  }

  private Slot nextInit(Slot s) {
    boolean found = false;
    for (Slot i : inits.values()) {
      if (found) {
        return i;
      }
      found = i == s;
    }
    return null;
  }

  private long memoryLimit(Container c) {
    if (c.getResources() == null || c.getResources().getLimits() == null
        || c.getResources().getLimits().get("memory") == null) {
      return 0;
    }
    try {
      return io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(c.getResources().getLimits().get("memory"))
          .longValue();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** TERM, then KILL after the grace period (a liveness kill, a failed postStart). */
  private void stopContainer(Slot s, String reason, long graceSeconds) {
    if (!s.running || s.stopping) {
      return;
    }
    s.stopping = true;
    s.killReason = reason;
    cancelProbes(s);
    node.runtime().signal(s.handle, Signals.TERM);
    timers.startSingleTimer("kill-" + s.name(), new KillNow(s.name(), s.gen),
        real(Duration.ofSeconds(Math.max(graceSeconds, 0))));
  }

  private long graceOf(Long override) {
    if (override != null) {
      return override;
    }
    return pod.getSpec().getTerminationGracePeriodSeconds() == null ? 30 : pod.getSpec().getTerminationGracePeriodSeconds();
  }

  // ---------------------------------------------------------------- hooks

  /** Runs an exec or httpGet handler; {@code done} gets null on success, else the failure message. */
  private void runHook(Slot s, LifecycleHandler h, java.util.function.Consumer<String> done) {
    if (h.getExec() != null) {
      ExecAction ex = h.getExec();
      List<String> argv = ex.getCommand() == null ? List.of() : ex.getCommand();
      node.runtime().exec(s.handle, argv, null, null, r -> {
        if (r.code() != null && r.code() == 0) {
          done.accept(null);
        } else {
          done.accept("Exec lifecycle hook (" + argv + ") for Container \"" + s.name() + "\" in Pod \""
              + podRef() + "\" failed - error: command '" + String.join(" ", argv) + "' exited with "
              + r.code() + ": " + r.output().strip() + ", message: \"" + r.output().strip() + "\"");
        }
      });
    } else if (h.getHttpGet() != null) {
      HTTPGetAction g = h.getHttpGet();
      httpGet(s, g, Duration.ofSeconds(10), (ok, msg) -> done.accept(ok ? null : "HTTP lifecycle hook ("
          + g.getPath() + ") for Container \"" + s.name() + "\" in Pod \"" + podRef() + "\" failed - error: " + msg));
    } else if (h.getSleep() != null) {
      long secs = h.getSleep().getSeconds() == null ? 0 : h.getSleep().getSeconds();
      node.runtime().kernel().after(Duration.ofSeconds(secs), () -> done.accept(null));
    } else {
      done.accept(null);
    }
  }

  // ---------------------------------------------------------------- probes

  private Probe probe(Slot s, String type) {
    return switch (type) {
      case "startup" -> s.spec.getStartupProbe();
      case "liveness" -> s.spec.getLivenessProbe();
      default -> s.spec.getReadinessProbe();
    };
  }

  private void scheduleProbe(Slot s, String type, boolean first) {
    Probe p = probe(s, type);
    if (p == null) {
      return;
    }
    s.probes.computeIfAbsent(type, t -> new ProbeCounter(orDefault(p.getSuccessThreshold(), 1),
        orDefault(p.getFailureThreshold(), 3), type.equals("readiness") ? Boolean.FALSE : null));
    long delay = first ? orDefault(p.getInitialDelaySeconds(), 0) : orDefault(p.getPeriodSeconds(), 10);
    Duration d = first && delay == 0 ? Duration.ofMillis(0) : Duration.ofSeconds(delay);
    timers.startSingleTimer("probe-" + s.name() + "-" + type, new ProbeTick(s.name(), s.gen, type), real(d));
  }

  private void cancelProbes(Slot s) {
    for (String t : List.of("startup", "liveness", "readiness")) {
      timers.cancel("probe-" + s.name() + "-" + t);
    }
  }

  private static int orDefault(Integer v, int d) {
    return v == null || v <= 0 ? d : v;
  }

  private Behavior<Command> onProbeTick(ProbeTick t) {
    Slot s = slot(t.name());
    if (s == null || s.gen != t.gen() || !s.running || s.stopping || terminating) {
      return Behaviors.same();
    }
    Probe p = probe(s, t.type());
    ActorRef<Command> self = ctx.getSelf();
    int gen = s.gen;
    Duration timeout = Duration.ofSeconds(orDefault(p.getTimeoutSeconds(), 1));
    java.util.function.BiConsumer<Boolean, String> done = (ok, msg) -> self.tell(new ProbeDone(t.name(), gen,
        t.type(), ok, msg));
    if (p.getExec() != null) {
      List<String> argv = p.getExec().getCommand() == null ? List.of() : p.getExec().getCommand();
      node.runtime().exec(s.handle, argv, null, timeout, r -> {
        if (r.code() == null) {
          done.accept(false, "command timed out");
        } else {
          done.accept(r.code() == 0, r.output().strip());
        }
      });
    } else if (p.getHttpGet() != null) {
      httpGet(s, p.getHttpGet(), timeout, done);
    } else if (p.getTcpSocket() != null) {
      int port = port(s, p.getTcpSocket().getPort());
      String host = p.getTcpSocket().getHost() == null || p.getTcpSocket().getHost().isEmpty() ? podIp
          : p.getTcpSocket().getHost();
      node.runtime().request(host, port, NetRequest.connect(), timeout, r -> done.accept(r.is("accepted"),
          r.is("timeout") ? "dial tcp " + host + ":" + port + ": i/o timeout"
              : "dial tcp " + host + ":" + port + ": connect: connection refused"));
    } else if (p.getGrpc() != null) {
      int port = p.getGrpc().getPort() == null ? 0 : p.getGrpc().getPort();
      node.runtime().request(podIp, port, NetRequest.connect(), timeout, r -> done.accept(r.is("accepted"),
          "timeout: failed to connect service \"" + podIp + ":" + port + "\" within " + timeout.toSeconds() + "s"));
    } else {
      done.accept(true, "");
    }
    return Behaviors.same();
  }

  /** prober/http.go: GET scheme://host:port/path with the probe's headers; 200 ≤ code < 400 passes. */
  private void httpGet(Slot s, HTTPGetAction g, Duration timeout, java.util.function.BiConsumer<Boolean, String> done) {
    int port = port(s, g.getPort());
    String host = g.getHost() == null || g.getHost().isEmpty() ? podIp : g.getHost();
    String scheme = g.getScheme() == null ? "http" : g.getScheme().toLowerCase(java.util.Locale.ROOT);
    String path = g.getPath() == null || g.getPath().isEmpty() ? "/" : g.getPath().startsWith("/") ? g.getPath()
        : "/" + g.getPath();
    List<String> headers = new ArrayList<>();
    boolean ua = false;
    boolean hostHeader = false;
    if (g.getHttpHeaders() != null) {
      for (var h : g.getHttpHeaders()) {
        headers.add(h.getName() + ": " + h.getValue());
        ua |= h.getName().equalsIgnoreCase("User-Agent");
        hostHeader |= h.getName().equalsIgnoreCase("Host");
      }
    }
    if (!ua) {
      headers.add("User-Agent: kube-probe/1.32");
    }
    if (!hostHeader) {
      headers.add("Host: " + host + ":" + port);
    }
    headers.add("Accept: */*");
    String url = scheme + "://" + host + ":" + port + path;
    node.runtime().request(host, port, NetRequest.http("GET", path, headers, null), timeout, r -> {
      if (r.is("http")) {
        boolean ok = r.status() >= 200 && r.status() < 400;
        done.accept(ok, ok ? "" : "HTTP probe failed with statuscode: " + r.status());
      } else if (r.is("timeout")) {
        done.accept(false, "Get \"" + url + "\": context deadline exceeded (Client.Timeout exceeded while awaiting "
            + "headers)");
      } else if (r.is("refused")) {
        done.accept(false, "Get \"" + url + "\": dial tcp " + host + ":" + port + ": connect: connection refused");
      } else {
        done.accept(false, "Get \"" + url + "\": EOF");
      }
    });
  }

  /** A probe's port: a number, or the name of one of the container's ports. */
  private static int port(Slot s, IntOrString p) {
    if (p == null) {
      return 0;
    }
    if (p.getIntVal() != null) {
      return p.getIntVal();
    }
    String name = p.getStrVal();
    if (s.spec.getPorts() != null) {
      for (ContainerPort cp : s.spec.getPorts()) {
        if (name.equals(cp.getName())) {
          return cp.getContainerPort();
        }
      }
    }
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private Behavior<Command> onProbeDone(ProbeDone d) {
    Slot s = slot(d.name());
    if (s == null || s.gen != d.gen() || !s.running || s.stopping || terminating) {
      return Behaviors.same();
    }
    ProbeCounter counter = s.probes.get(d.type());
    if (counter == null) {
      return Behaviors.same();
    }
    String label = Character.toUpperCase(d.type().charAt(0)) + d.type().substring(1);
    if (!d.ok()) {
      node.events().warning(pod, "Unhealthy", label + " probe failed: " + d.message());
    }
    boolean changed = counter.record(d.ok());
    switch (d.type()) {
      case "startup" -> {
        if (changed && Boolean.TRUE.equals(counter.result())) {
          s.state = s.state.withStarted(true).withReady(s.spec.getReadinessProbe() == null);
          report();
          scheduleProbe(s, "liveness", true);
          scheduleProbe(s, "readiness", true);
          return Behaviors.same();
        }
        if (changed && Boolean.FALSE.equals(counter.result())) {
          node.events().normal(pod, "Killing", "Container " + s.name() + " failed startup probe, will be restarted");
          stopContainer(s, "startup", graceFor(probe(s, "startup")));
          return Behaviors.same();
        }
      }
      case "liveness" -> {
        if (changed && Boolean.FALSE.equals(counter.result())) {
          node.events().normal(pod, "Killing", "Container " + s.name() + " failed liveness probe, will be restarted");
          stopContainer(s, "liveness", graceFor(probe(s, "liveness")));
          return Behaviors.same();
        }
      }
      default -> {
        if (changed) {
          s.state = s.state.withReady(Boolean.TRUE.equals(counter.result()));
          report();
        }
      }
    }
    scheduleProbe(s, d.type(), false);
    return Behaviors.same();
  }

  private long graceFor(Probe p) {
    return p != null && p.getTerminationGracePeriodSeconds() != null ? p.getTerminationGracePeriodSeconds()
        : graceOf(null);
  }

  // ---------------------------------------------------------------- finished

  /** Every container has ended and none restarts: the pod is Succeeded or Failed; it stays until deleted. */
  private Behavior<Command> podFinished() {
    podTerminal = true;
    timers.cancelAll();
    Flow.LOG.info("kubelet: {} pod {} finished", node.nodeName(), key);
    killSandbox();
    report();
    return completed();
  }

  private void killSandbox() {
    for (Slot s : allSlots()) {
      if (s.running) {
        node.runtime().signal(s.handle, Signals.KILL);
      }
    }
    node.runtime().removeSandbox(sandbox);
    sandbox = null;
    sandboxReady = false;
  }

  private Behavior<Command> completed() {
    return Behaviors.receive(Command.class)
        .onMessage(Update.class, u -> {
          pod = u.pod();
          if (pod.getMetadata().getDeletionTimestamp() != null) {
            return finish();
          }
          return Behaviors.same();
        })
        .onMessageEquals(Removed.INSTANCE, this::removed)
        .onMessage(FinalStatusWritten.class, f -> stopped())
        .onAnyMessage(m -> Behaviors.same())
        .build();
  }

  // ---------------------------------------------------------------- terminating

  /** killPod: preStop hooks in parallel with the grace period, TERM after each hook, KILL at the end. */
  private Behavior<Command> beginTermination(Long graceOverride) {
    if (terminating) {
      return Behaviors.same();
    }
    terminating = true;
    timers.cancelAll();
    long grace = graceOverride != null ? graceOverride
        : pod.getMetadata().getDeletionGracePeriodSeconds() != null ? pod.getMetadata().getDeletionGracePeriodSeconds()
        : graceOf(null);
    Flow.LOG.info("kubelet: {} terminating pod {} with a grace period of {}s", node.nodeName(), key, grace);
    ActorRef<Command> self = ctx.getSelf();
    for (Slot s : allSlots()) {
      cancelProbes(s);
      if (!s.running) {
        continue;
      }
      node.events().normal(pod, "Killing", "Stopping container " + s.name());
      LifecycleHandler preStop = s.spec.getLifecycle() == null ? null : s.spec.getLifecycle().getPreStop();
      if (preStop != null && grace > 0) {
        s.preStopRunning = true;
        int gen = s.gen;
        runHook(s, preStop, err -> self.tell(new PreStopDone(s.name(), gen, err)));
      } else {
        node.runtime().signal(s.handle, grace > 0 ? Signals.TERM : Signals.KILL);
      }
    }
    timers.startSingleTimer(GraceExpired.INSTANCE, real(Duration.ofSeconds(Math.max(grace, 0))));
    return terminatingOrDone();
  }

  private Behavior<Command> terminatingOrDone() {
    if (allSlots().stream().noneMatch(s -> s.running)) {
      return terminated();
    }
    report();
    return Behaviors.receive(Command.class)
        .onMessage(Update.class, u -> {
          pod = u.pod();
          return Behaviors.same();
        })
        .onMessageEquals(Removed.INSTANCE, this::removed)
        .onMessage(Exited.class, this::onExited)
        .onMessage(PreStopDone.class, p -> {
          Slot s = slot(p.name());
          if (s != null && s.gen == p.gen() && s.preStopRunning) {
            s.preStopRunning = false;
            if (p.error() != null) {
              node.events().warning(pod, "FailedPreStopHook", p.error());
            }
            if (s.running) {
              node.runtime().signal(s.handle, Signals.TERM);
            }
          }
          return Behaviors.same();
        })
        .onMessageEquals(GraceExpired.INSTANCE, () -> {
          boolean extend = false;
          for (Slot s : allSlots()) {
            if (s.running && s.preStopRunning) {
              extend = true;
            } else if (s.running) {
              node.runtime().signal(s.handle, Signals.KILL);
            }
          }
          if (extend) {
            // kubelet: a preStop still running when the grace period ends gets a one-off 2 s more
            timers.startSingleTimer(ExtensionExpired.INSTANCE, real(Duration.ofSeconds(2)));
          }
          return Behaviors.same();
        })
        .onMessageEquals(ExtensionExpired.INSTANCE, () -> {
          for (Slot s : allSlots()) {
            if (s.running) {
              node.runtime().signal(s.handle, Signals.KILL);
            }
          }
          return Behaviors.same();
        })
        .onAnyMessage(m -> Behaviors.same())
        .build();
  }

  private Behavior<Command> terminated() {
    timers.cancelAll();
    for (Slot s : allSlots()) {
      if (s.state.phase() == ContainerState.Phase.WAITING && !s.init) {
        // Never started: reported as terminated so that the pod's phase can be final.
        s.state = s.state.exited(137, "ContainerStatusUnknown",
            "The container could not be located when the pod was terminated", now());
      }
    }
    podTerminal = true;
    killSandbox();
    Flow.LOG.info("kubelet: {} pod {} terminated", node.nodeName(), key);
    if (pod.getMetadata().getDeletionTimestamp() == null) {
      report();
      return completed(); // activeDeadlineSeconds: Failed, but the object stays
    }
    return finish();
  }

  private Behavior<Command> finish() {
    report();
    ActorRef<String> ack = ctx.messageAdapter(String.class, FinalStatusWritten::new);
    node.statusManager().tell(new StatusManager.Finished(uid, pod.getMetadata().getNamespace(),
        pod.getMetadata().getName(), ack));
    return Behaviors.receive(Command.class)
        .onMessage(FinalStatusWritten.class, f -> stopped())
        .onMessageEquals(Removed.INSTANCE, this::stopped)
        .onAnyMessage(m -> Behaviors.same())
        .build();
  }

  private Behavior<Command> stopped() {
    node.network().release(podIp);
    node.logs().removed(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), uid);
    return Behaviors.stopped();
  }

  private Behavior<Command> removed() {
    Flow.LOG.info("kubelet: {} pod {} was removed from the apiserver, killing what runs", node.nodeName(), key);
    timers.cancelAll();
    killSandbox();
    return stopped();
  }

  // ---------------------------------------------------------------- helpers

  private List<Slot> allSlots() {
    List<Slot> out = new ArrayList<>(inits.values());
    out.addAll(apps.values());
    return out;
  }

  private Slot slot(String name) {
    Slot s = inits.get(name);
    return s != null ? s : apps.get(name);
  }

  private void report() {
    Map<String, ContainerState> initStates = new LinkedHashMap<>();
    inits.forEach((n, s) -> initStates.put(n, s.state));
    Map<String, ContainerState> appStates = new LinkedHashMap<>();
    apps.forEach((n, s) -> appStates.put(n, s.state));
    var status = PodStatusBuilder.build(pod, new PodStatusBuilder.Sandbox(sandboxReady, podIp, node.nodeIp(),
        startTime), initStates, appStates, podTerminal, now());
    if (podReason != null) {
      status.setPhase("Failed");
      status.setReason(podReason);
      status.setMessage(podMessage);
    }
    node.statusManager().tell(new StatusManager.SetStatus(uid, pod.getMetadata().getNamespace(),
        pod.getMetadata().getName(), status));
  }

  private static String randomId() {
    byte[] b = new byte[32];
    ThreadLocalRandom.current().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** Go's Duration.String() for the sub-minute durations of a pull: 1.5s, 512ms. */
  static String seconds(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + "ms";
    }
    String s = java.math.BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString();
    return s + "s";
  }
}
