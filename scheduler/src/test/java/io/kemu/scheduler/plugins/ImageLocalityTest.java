package io.kemu.scheduler.plugins;

import static io.kemu.scheduler.Fixtures.makeNode;
import static io.kemu.scheduler.Fixtures.makePod;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.kemu.scheduler.cache.SchedulerCache;
import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.Framework;
import io.kemu.scheduler.framework.PodInfo;
import io.kemu.scheduler.framework.Snapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TestImageLocalityPriority (image_locality_test.go). */
class ImageLocalityTest {
  static final long MB = 1024 * 1024;

  static ContainerImage image(long sizeMb, String... names) {
    ContainerImage i = new ContainerImage();
    i.setNames(List.of(names));
    i.setSizeBytes(sizeMb * MB);
    return i;
  }

  static Node node(String name, ContainerImage... images) {
    Node n = makeNode().name(name).obj();
    n.getStatus().setImages(List.of(images));
    return n;
  }

  static final Node NODE_40_300_2000 = node("node1", image(40, "gcr.io/40:latest", "gcr.io/40:v1", "gcr.io/40:v1"),
      image(300, "gcr.io/300:latest", "gcr.io/300:v1"), image(2000, "gcr.io/2000:latest"));
  static final Node NODE_250_10 = node("node2", image(250, "gcr.io/250:latest"),
      image(10, "gcr.io/10:latest", "gcr.io/10:v1"));

  long[] scores(Pod pod, Node... nodes) {
    SchedulerCache cache = new SchedulerCache();
    for (Node n : nodes) {
      cache.addOrUpdateNode(n);
    }
    Snapshot snap = Snapshot.of(List.of());
    cache.updateSnapshot(snap);
    Framework fw = new Framework("test", null, Framework.Environment.forTests());
    fw.setSnapshot(snap);
    ImageLocality plugin = new ImageLocality(fw);
    long[] out = new long[nodes.length];
    for (int i = 0; i < nodes.length; i++) {
      out[i] = plugin.score(new CycleState(), PodInfo.of(pod), snap.get(nodes[i].getMetadata().getName()));
    }
    return out;
  }

  @Test
  void twoImagesSpreadOnTwoNodesPreferTheLargerImageOne() {
    // node1: gcr.io/40 40MB, on 1 of 2 nodes: 20MB -> 0; node2: gcr.io/250 250MB/2 = 125MB:
    // 100 * (125 - 23) / (2000 - 23) = 5
    Pod p = makePod().container("gcr.io/40").container("gcr.io/250").obj();
    org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {0, 5}, scores(p, NODE_40_300_2000, NODE_250_10));
  }

  @Test
  void twoImagesOnOneNodePreferThisNode() {
    // node1: gcr.io/40 + gcr.io/300: (40 + 300)/2 = 170MB -> 100 * (170 - 23) / (2000 - 23) = 7
    Pod p = makePod().container("gcr.io/40").container("gcr.io/300").obj();
    org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {7, 0}, scores(p, NODE_40_300_2000, NODE_250_10));
  }

  @Test
  void ifExceedLimitUseLimit() {
    // node1: gcr.io/2000 2000MB/2 = 1000MB, one container: limit 1000MB -> 100; node2: 10MB/2 -> 0
    Pod p = makePod().container("gcr.io/2000").container("gcr.io/10").obj();
    // two containers: maxThreshold 2000MB; node1 1000MB -> 100 * (1000 - 23) / (2000 - 23) = 49
    org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {49, 0}, scores(p, NODE_40_300_2000, NODE_250_10));
  }

  @Test
  void normalizedImageNameAddsLatest() {
    assertEquals("gcr.io/40:latest", ImageLocality.normalizedImageName("gcr.io/40"));
    assertEquals("localhost:5000/img:latest", ImageLocality.normalizedImageName("localhost:5000/img"));
    assertEquals("gcr.io/40:v1", ImageLocality.normalizedImageName("gcr.io/40:v1"));
  }
}
