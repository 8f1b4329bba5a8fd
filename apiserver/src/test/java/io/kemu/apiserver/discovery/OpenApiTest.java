package io.kemu.apiserver.discovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kemu.api.KubeJson;
import io.kemu.api.Resources;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The documents kubectl reads: root, paths, operations. */
class OpenApiTest {

  @Test
  void rootListsEveryGroupVersionWithTheHashOfItsDocument() {
    OpenApi api = new OpenApi(SchemaGeneratorTest.TYPES);
    api.generated().toCompletableFuture().join();
    ObjectNode root = api.root();
    List<String> gvs = new ArrayList<>();
    root.path("paths").fieldNames().forEachRemaining(gvs::add);
    List<String> served = Resources.ALL.stream().map(t -> OpenApi.groupVersionPath(t.group(), t.version()))
        .distinct().toList();
    assertEquals(served, gvs);
    assertTrue(gvs.containsAll(List.of("api/v1", "apis/apps/v1", "apis/coordination.k8s.io/v1")), gvs.toString());
    OpenApi.Documents again = OpenApi.generate(SchemaGeneratorTest.TYPES);
    for (String gv : gvs) {
      String url = root.path("paths").path(gv).path("serverRelativeURL").asText();
      assertEquals("/openapi/v3/" + gv + "?hash=" + again.hashes().get(gv), url);
      assertTrue(url.matches(".*\\?hash=[0-9A-F]{64}"), url);
      // generation is deterministic: same bytes, same hash
      assertArrayEquals(again.documents().get(gv), api.document(gv));
    }
    assertNull(api.document("apis/nope/v1"));
  }

  @Test
  void operationsCarryWhatKubectlLooksFor() {
    JsonNode doc = KubeJson.tree(OpenApi.generate(SchemaGeneratorTest.TYPES).documents().get("api/v1"));
    JsonNode patch = doc.path("paths").path("/api/v1/namespaces/{namespace}/pods/{name}").path("patch");
    assertEquals("{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"}",
        patch.path("x-kubernetes-group-version-kind").toString());
    List<String> params = new ArrayList<>();
    patch.path("parameters").forEach(p -> params.add(p.path("name").asText() + "@" + p.path("in").asText()));
    assertTrue(params.contains("fieldValidation@query"), params.toString());
    // kubectl apply computes a strategic merge patch from the schemas only if the operation takes one
    assertTrue(patch.path("requestBody").path("content").has("application/strategic-merge-patch+json"));
    assertEquals("#/components/schemas/io.k8s.api.core.v1.Pod",
        patch.path("responses").path("200").path("content").path("application/json").path("schema").path("$ref")
            .asText());
    JsonNode post = doc.path("paths").path("/api/v1/namespaces/{namespace}/pods").path("post");
    assertEquals("#/components/schemas/io.k8s.api.core.v1.Pod",
        post.path("requestBody").path("content").path("*/*").path("schema").path("$ref").asText());
    assertEquals("#/components/schemas/io.k8s.api.core.v1.PodList", doc.path("paths").path("/api/v1/pods")
        .path("get").path("responses").path("200").path("content").path("application/json").path("schema")
        .path("$ref").asText());
    // cluster-scoped kinds have no namespace in their paths
    assertTrue(doc.path("paths").path("/api/v1/nodes/{name}").has("patch"));
    // subresources answer with their own kind
    JsonNode binding = doc.path("paths").path("/api/v1/namespaces/{namespace}/pods/{name}/binding").path("post");
    assertEquals("Binding", binding.path("x-kubernetes-group-version-kind").path("kind").asText());
    JsonNode log = doc.path("paths").path("/api/v1/namespaces/{namespace}/pods/{name}/log").path("get");
    assertFalse(log.path("responses").path("200").has("content"));
    JsonNode apps = KubeJson.tree(OpenApi.generate(SchemaGeneratorTest.TYPES).documents().get("apis/apps/v1"));
    JsonNode scale = apps.path("paths").path("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale");
    assertEquals("{\"group\":\"autoscaling\",\"version\":\"v1\",\"kind\":\"Scale\"}",
        scale.path("patch").path("x-kubernetes-group-version-kind").toString());
    assertTrue(apps.path("components").path("schemas").has("io.k8s.api.autoscaling.v1.Scale"));
  }

  @Test
  void withoutSchemasTheOperationsRemain() {
    JsonNode doc = KubeJson.tree(OpenApi.generate(Resources.ALL, false).documents().get("api/v1"));
    assertEquals(0, doc.path("components").path("schemas").size());
    JsonNode patch = doc.path("paths").path("/api/v1/namespaces/{namespace}/pods/{name}").path("patch");
    assertEquals("Pod", patch.path("x-kubernetes-group-version-kind").path("kind").asText());
    assertFalse(patch.path("requestBody").path("content").path("application/merge-patch+json").path("schema")
        .has("$ref"));
  }
}
