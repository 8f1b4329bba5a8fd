package io.kemu.api.client.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class IndexerTest {
  static Pod pod(String ns, String name, String node, String ownerUid) {
    PodBuilder b = new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
        .withNewSpec().withNodeName(node).endSpec();
    if (ownerUid != null) {
      b.editMetadata().addNewOwnerReference().withUid(ownerUid).withName("rs").withKind("ReplicaSet")
          .withApiVersion("apps/v1").withController(true).endOwnerReference().endMetadata();
    }
    return b.build();
  }

  @Test
  void indicesFollowAddsUpdatesAndRemovals() {
    Indexer<Pod> idx = new Indexer<>();
    idx.addIndexer("node", p -> List.of(p.getSpec().getNodeName()));
    idx.put(pod("a", "p1", "n1", "u1"));
    idx.put(pod("a", "p2", "n1", null));
    idx.put(pod("b", "p1", "n2", "u1"));
    idx.addIndexer(Indexer.CONTROLLER_UID, Indexer::controllerUidIndex);
    assertEquals(2, idx.byIndex("node", "n1").size());
    assertEquals(2, idx.byIndex(Indexer.CONTROLLER_UID, "u1").size());
    assertEquals(2, idx.byNamespace("a").size());

    idx.put(pod("a", "p1", "n2", null));
    assertEquals(1, idx.byIndex("node", "n1").size());
    assertEquals(1, idx.byIndex(Indexer.CONTROLLER_UID, "u1").size());

    assertEquals("p2", idx.remove("a/p2").getMetadata().getName());
    assertEquals(0, idx.byIndex("node", "n1").size());
    assertNull(idx.get("a", "p2"));
    assertEquals(2, idx.size());
  }

  @Test
  void keysAreNamespaceSlashName() {
    assertEquals("ns/x", Keys.key("ns", "x"));
    assertEquals("x", Keys.key(null, "x"));
    assertEquals("ns", Keys.namespace("ns/x"));
    assertEquals("x", Keys.name("ns/x"));
    assertEquals("", Keys.namespace("x"));
  }
}
