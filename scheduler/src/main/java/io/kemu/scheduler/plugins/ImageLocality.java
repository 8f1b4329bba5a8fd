package io.kemu.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Container;
import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.Handle;
import io.kemu.scheduler.framework.NodeInfo;
import io.kemu.scheduler.framework.PodInfo;
import io.kemu.scheduler.framework.Plugins;
import java.util.List;

/**
 * plugins/imagelocality: prefers nodes that already have the pod's images, weighted by image size and by how
 * widely the image is spread (an image on every node helps no node in particular).
 */
public final class ImageLocality implements Plugins.ScorePlugin {
  public static final String NAME = "ImageLocality";
  static final long MB = 1024 * 1024;
  static final long MIN_THRESHOLD = 23 * MB;
  static final long MAX_CONTAINER_THRESHOLD = 1000 * MB;

  private final Handle handle;

  public ImageLocality(Handle handle) {
    this.handle = handle;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    int totalNumNodes = handle.snapshot().numNodes();
    List<Container> init = pod.pod().getSpec().getInitContainers() == null ? List.of()
        : pod.pod().getSpec().getInitContainers();
    List<Container> containers = pod.pod().getSpec().getContainers() == null ? List.of()
        : pod.pod().getSpec().getContainers();
    long sum = sumImageScores(node, init, totalNumNodes) + sumImageScores(node, containers, totalNumNodes);
    return calculatePriority(sum, init.size() + containers.size());
  }

  static long calculatePriority(long sumScores, int numContainers) {
    long maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
    if (sumScores < MIN_THRESHOLD) {
      sumScores = MIN_THRESHOLD;
    } else if (sumScores > maxThreshold) {
      sumScores = maxThreshold;
    }
    return Plugins.MAX_NODE_SCORE * (sumScores - MIN_THRESHOLD) / (maxThreshold - MIN_THRESHOLD);
  }

  private static long sumImageScores(NodeInfo node, List<Container> containers, int totalNumNodes) {
    long sum = 0;
    for (Container c : containers) {
      NodeInfo.ImageStateSummary s = node.imageStates().get(normalizedImageName(c.getImage()));
      if (s != null) {
        sum += scaledImageScore(s, totalNumNodes);
      }
    }
    return sum;
  }

  /** scaledImageScore: size times the fraction of nodes that have the image. */
  static long scaledImageScore(NodeInfo.ImageStateSummary s, int totalNumNodes) {
    double spread = (double) s.numNodes() / (double) totalNumNodes;
    return (long) (s.size() * spread);
  }

  /** normalizedImageName: an image without a tag means :latest. */
  public static String normalizedImageName(String name) {
    if (name == null) {
      return "";
    }
    if (name.lastIndexOf(':') <= name.lastIndexOf('/')) {
      return name + ":latest";
    }
    return name;
  }
}
