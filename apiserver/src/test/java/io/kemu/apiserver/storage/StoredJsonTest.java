package io.kemu.apiserver.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kemu.api.KubeJson;
import io.kemu.apiserver.watchcache.WatchCache;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StoredJsonTest {
  private static void sameAsTree(String stored, long rv) {
    byte[] json = stored.getBytes(StandardCharsets.UTF_8);
    byte[] spliced = StoredJson.withResourceVersion(json, rv);
    ObjectNode expected = WatchCache.treeWithRevision(json, rv);
    assertEquals(expected, KubeJson.tree(spliced), stored);
  }

  @Test
  void insertsTheResourceVersionIntoTopLevelMetadataOnly() {
    sameAsTree("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\",\"namespace\":\"b\"},\"spec\":{}}", 42);
    sameAsTree("{\"metadata\":{}}", 1);
    sameAsTree(" { \"kind\" : \"X\" , \"metadata\" : { } , \"z\" : [ 1 , 2 ] } ", 7);
    // a nested "metadata" (a pod template) and strings with braces, quotes, escapes and non-ASCII come first
    sameAsTree("{\"spec\":{\"template\":{\"metadata\":{\"labels\":{\"a\":\"}{\\\"][\"}}}},\"s\":\"metadata\\\\\","
        + "\"n\":-1.5e3,\"t\":true,\"u\":null,\"metadata\":{\"name\":\"é\",\"annotations\":{\"x\":\"{\\\"metadata\\\":{}}\"}}}",
        9_007_199_254_740_993L);
    Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").addToLabels("app", "web")
        .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer().endSpec()
        .build();
    sameAsTree(KubeJson.string(pod), 123456);
  }

  @Test
  void leavesUnexpectedInputToTheTreePath() {
    assertNull(StoredJson.withResourceVersion("{\"kind\":\"Status\"}".getBytes(), 1), "no metadata");
    assertNull(StoredJson.withResourceVersion("{\"metadata\":null}".getBytes(), 1), "metadata not an object");
    assertNull(StoredJson.withResourceVersion("{\"metadata\":{\"resourceVersion\":\"3\"}}".getBytes(), 4),
        "already has one");
    assertNull(StoredJson.withResourceVersion("[1,2]".getBytes(), 1), "not an object");
    assertNull(StoredJson.withResourceVersion("{\"metadata\":{\"name\":\"a\"".getBytes(), 1), "truncated");
    assertNull(StoredJson.withResourceVersion("".getBytes(), 1), "empty");
  }
}
