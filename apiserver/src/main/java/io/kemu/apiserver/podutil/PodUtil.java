package io.kemu.apiserver.podutil;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.kemu.api.KubeJson;
import java.util.ArrayList;
import java.util.List;

/** pkg/api/v1/pod: helpers over a pod's containers. */
public final class PodUtil {
  private PodUtil() {}

  /**
   * VisitContainers with AllContainers: init containers, containers, then ephemeral containers, the latter as
   * Containers with the same fields (EphemeralContainerCommon is Container's field set).
   */
  public static List<Container> allContainers(PodSpec spec) {
    List<Container> out = new ArrayList<>();
    if (spec.getInitContainers() != null) {
      out.addAll(spec.getInitContainers());
    }
    if (spec.getContainers() != null) {
      out.addAll(spec.getContainers());
    }
    if (spec.getEphemeralContainers() != null) {
      for (EphemeralContainer e : spec.getEphemeralContainers()) {
        Container c = KubeJson.convert(e, Container.class);
        c.getAdditionalProperties().remove("targetContainerName");
        out.add(c);
      }
    }
    return out;
  }
}
