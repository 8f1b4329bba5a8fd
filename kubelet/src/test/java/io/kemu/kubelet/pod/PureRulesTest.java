package io.kemu.kubelet.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kemu.kubelet.runtime.ImageCatalog;
import io.kemu.kubelet.runtime.Images;
import io.kemu.kubelet.runtime.net.ClusterNet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure rules under the pod worker: back-off, probe counting, container config, image references. */
class PureRulesTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void backOffDoublesFromTenSecondsToFiveMinutesAndResetsAfterTenQuietMinutes() {
    BackOff b = new BackOff();
    assertFalse(b.isInBackOffSince("c", T0, T0), "the first crash restarts at once");
    b.next("c", T0);
    assertEquals(Duration.ofSeconds(10), b.get("c"));
    assertTrue(b.isInBackOffSince("c", T0.plusSeconds(1), T0.plusSeconds(5)));
    assertFalse(b.isInBackOffSince("c", T0.plusSeconds(1), T0.plusSeconds(11)));
    Instant t = T0;
    for (int i = 0; i < 10; i++) {
      t = t.plusSeconds(20);
      b.next("c", t);
    }
    assertEquals(Duration.ofSeconds(300), b.get("c"), "capped");
    b.next("c", t.plusSeconds(601));
    assertEquals(Duration.ofSeconds(10), b.get("c"), "a container that ran 10 minutes starts over");
  }

  @Test
  void probeCounterNeedsConsecutiveResults() {
    ProbeCounter liveness = new ProbeCounter(1, 3, null);
    assertFalse(liveness.record(false));
    assertFalse(liveness.record(false));
    assertTrue(liveness.record(true) && liveness.result());
    assertFalse(liveness.record(false));
    assertFalse(liveness.record(false));
    assertTrue(liveness.record(false), "third consecutive failure");
    assertEquals(Boolean.FALSE, liveness.result());

    ProbeCounter readiness = new ProbeCounter(2, 1, Boolean.FALSE);
    assertFalse(readiness.record(true));
    assertTrue(readiness.record(true));
    assertTrue(readiness.record(false));
  }

  @Test
  void commandAndArgsFollowDockersRules() {
    ImageCatalog.Image agnhost = ImageCatalog.image(Images.normalize("registry.k8s.io/e2e-test-images/agnhost:2.40"));
    Container args = new ContainerBuilder().withName("c").withArgs("liveness").build();
    assertEquals(List.of("/agnhost", "liveness"), ContainerConfig.argv(args, agnhost, Map.of()));
    Container none = new ContainerBuilder().withName("c").build();
    assertEquals(List.of("/agnhost", "pause"), ContainerConfig.argv(none, agnhost, Map.of()));
    Container cmd = new ContainerBuilder().withName("c").withCommand("echo").withArgs("$(GREETING) $$(x) $(NOPE)")
        .build();
    assertEquals(List.of("echo", "hi $(x) $(NOPE)"), ContainerConfig.argv(cmd, agnhost, Map.of("GREETING", "hi")));
  }

  @Test
  void environmentHasHostnameServiceLinksAndExpandedValues() {
    Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").endMetadata().withNewSpec()
        .endSpec().build();
    Container c = new ContainerBuilder().withName("c").addNewEnv().withName("A").withValue("x").endEnv()
        .addNewEnv().withName("B").withValue("$(A)-y").endEnv()
        .addNewEnv().withName("POD").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef()
        .endValueFrom().endEnv().build();
    List<ClusterNet.Service> services = List.of(
        new ClusterNet.Service("default", "kubernetes", "10.96.0.1", Map.of(), List.of(
            new ClusterNet.ServicePort("https", 443, "6443", "TCP"))),
        new ClusterNet.Service("ns", "my-db", "10.96.3.4", Map.of(), List.of(
            new ClusterNet.ServicePort(null, 5432, "5432", "TCP"))),
        new ClusterNet.Service("other", "skip", "10.96.9.9", Map.of(), List.of(
            new ClusterNet.ServicePort(null, 80, "80", "TCP"))));
    Map<String, String> env = ContainerConfig.env(pod, c, ImageCatalog.image(Images.normalize("busybox")), services,
        f -> f.equals("metadata.name") ? "p" : null);
    assertEquals("p", env.get("HOSTNAME"));
    assertEquals("tcp://10.96.0.1:443", env.get("KUBERNETES_PORT"));
    assertEquals("443", env.get("KUBERNETES_SERVICE_PORT_HTTPS"));
    assertEquals("10.96.3.4", env.get("MY_DB_SERVICE_HOST"));
    assertEquals("tcp", env.get("MY_DB_PORT_5432_TCP_PROTO"));
    assertNull(env.get("SKIP_SERVICE_HOST"));
    assertEquals("x-y", env.get("B"));
    assertEquals("p", env.get("POD"));
  }

  @Test
  void imageReferencesAndPulls() {
    assertTrue(ImageReference.valid("nginx"));
    assertTrue(ImageReference.valid("registry.k8s.io/e2e-test-images/agnhost:2.40"));
    assertTrue(ImageReference.valid("localhost:5000/team/app@sha256:" + "a".repeat(64)));
    assertFalse(ImageReference.valid("Busybox::x"));
    assertFalse(ImageReference.valid("nginx:"));
    assertFalse(ImageReference.valid(" nginx"));
    assertNull(ImageReference.pullFailure("docker.io/library/nginx:1.29", List.of("registry.invalid")));
    assertTrue(ImageReference.pullFailure("registry.invalid/app:1", List.of("registry.invalid"))
        .endsWith("dial tcp: lookup registry.invalid: no such host"));
    assertTrue(ImageReference.pullFailure("docker.io/library/nginx:doesnotexist", List.of())
        .contains("code = NotFound"));
  }

  @Test
  void goDurations() {
    assertEquals("10s", PodWorker.goDuration(Duration.ofSeconds(10)));
    assertEquals("2m40s", PodWorker.goDuration(Duration.ofSeconds(160)));
    assertEquals("5m0s", PodWorker.goDuration(Duration.ofSeconds(300)));
  }

  @Test
  void envFromConfigMapsAndSecretsWithKubesMessages() {
    Container c = new ContainerBuilder().withName("c")
        .addNewEnvFrom().withPrefix("CFG_").withNewConfigMapRef().withName("cfg").endConfigMapRef().endEnvFrom()
        .addNewEnv().withName("PASS").withNewValueFrom().withNewSecretKeyRef().withName("db").withKey("password")
        .endSecretKeyRef().endValueFrom().endEnv().build();
    Map<String, EnvSources.Source> ok = Map.of("cm/cfg", new EnvSources.Source(Map.of("mode", "fast")),
        "s/db", new EnvSources.Source(Map.of("password", "s3cret")));
    EnvSources.Resolved r = EnvSources.resolve("ns", c, ok);
    assertNull(r.error());
    assertEquals(Map.of("CFG_mode", "fast"), r.from());
    assertEquals(Map.of("PASS", "s3cret"), r.values());

    Map<String, EnvSources.Source> noKey = Map.of("cm/cfg", new EnvSources.Source(Map.of()),
        "s/db", new EnvSources.Source(Map.of()));
    assertEquals("couldn't find key password in Secret ns/db", EnvSources.resolve("ns", c, noKey).error());
    Map<String, EnvSources.Source> noMap = Map.of("cm/cfg", new EnvSources.Source(null),
        "s/db", new EnvSources.Source(Map.of("password", "x")));
    assertEquals("configmap \"cfg\" not found", EnvSources.resolve("ns", c, noMap).error());
  }
}
