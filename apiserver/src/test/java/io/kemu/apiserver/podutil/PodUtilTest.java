package io.kemu.apiserver.podutil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodUtilTest {
  @Test
  void allContainersInUpstreamOrderWithEphemeralFieldsKept() {
    PodSpec spec = new PodSpecBuilder()
        .addNewInitContainer().withName("init").endInitContainer()
        .addNewContainer().withName("app").endContainer()
        .addNewEphemeralContainer().withName("debug").withImage("busybox").withTargetContainerName("app")
        .withNewSecurityContext().withPrivileged(true).endSecurityContext()
        .addNewPort().withContainerPort(8080).endPort()
        .addNewEnv().withName("A").withNewValueFrom().withNewSecretKeyRef().withName("s").withKey("k")
        .endSecretKeyRef().endValueFrom().endEnv()
        .addNewEnvFrom().withNewConfigMapRef().withName("cm").endConfigMapRef().endEnvFrom()
        .endEphemeralContainer().build();
    List<Container> all = PodUtil.allContainers(spec);
    assertEquals(List.of("init", "app", "debug"), all.stream().map(Container::getName).toList());
    Container debug = all.get(2);
    assertEquals(true, debug.getSecurityContext().getPrivileged());
    assertEquals(8080, debug.getPorts().get(0).getContainerPort());
    assertEquals("s", debug.getEnv().get(0).getValueFrom().getSecretKeyRef().getName());
    assertEquals("cm", debug.getEnvFrom().get(0).getConfigMapRef().getName());
    assertTrue(debug.getAdditionalProperties().isEmpty(), "targetContainerName is not a Container field");
  }

  @Test
  void noContainersAtAll() {
    assertEquals(List.of(), PodUtil.allContainers(new PodSpec()));
  }
}
