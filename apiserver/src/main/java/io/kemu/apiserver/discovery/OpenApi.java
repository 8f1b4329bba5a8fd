package io.kemu.apiserver.discovery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kemu.api.KubeJson;
import io.kemu.api.ResourceType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * /openapi/v3: the root lists one document per served group-version with a content hash (kubectl caches by
 * it); each document describes the operations of its resources, with the query parameters kubectl looks for
 * (fieldValidation tells it the server validates fields itself) and x-kubernetes-group-version-kind.
 */
public final class OpenApi {
  private final Map<String, byte[]> documents = new LinkedHashMap<>();
  private final Map<String, String> hashes = new LinkedHashMap<>();

  public OpenApi(List<ResourceType> resources) {
    Map<String, List<ResourceType>> byGv = new LinkedHashMap<>();
    for (ResourceType t : resources) {
      String gv = t.group().isEmpty() ? "api/" + t.version() : "apis/" + t.group() + "/" + t.version();
      byGv.computeIfAbsent(gv, k -> new java.util.ArrayList<>()).add(t);
    }
    byGv.forEach((gv, types) -> {
      byte[] doc = KubeJson.bytes(document(types));
      documents.put(gv, doc);
      hashes.put(gv, hash(doc));
    });
  }

  public ObjectNode root() {
    ObjectNode root = KubeJson.MAPPER.createObjectNode();
    ObjectNode paths = root.putObject("paths");
    hashes.forEach((gv, h) -> paths.putObject(gv).put("serverRelativeURL", "/openapi/v3/" + gv + "?hash=" + h));
    return root;
  }

  /** The document of "api/v1" or "apis/{group}/{version}", or null. */
  public byte[] document(String groupVersionPath) {
    return documents.get(groupVersionPath);
  }

  private static ObjectNode document(List<ResourceType> types) {
    ObjectNode doc = KubeJson.MAPPER.createObjectNode();
    doc.put("openapi", "3.0.0");
    ObjectNode info = doc.putObject("info");
    info.put("title", "Kubernetes");
    info.put("version", "v1.32.4");
    ObjectNode paths = doc.putObject("paths");
    for (ResourceType t : types) {
      String base = t.collectionPath(t.namespaced() ? "{namespace}" : null);
      String item = base + "/{name}";
      ObjectNode collection = paths.putObject(base);
      collection.set("get", operation("list" + t.kind(), "list", t, List.of("labelSelector", "fieldSelector",
          "limit", "continue", "resourceVersion", "resourceVersionMatch", "timeoutSeconds", "watch",
          "allowWatchBookmarks")));
      collection.set("post", operation("create" + t.kind(), "post", t, List.of("dryRun", "fieldManager",
          "fieldValidation")));
      ObjectNode one = paths.putObject(item);
      one.set("get", operation("read" + t.kind(), "get", t, List.of()));
      one.set("put", operation("replace" + t.kind(), "put", t, List.of("dryRun", "fieldManager", "fieldValidation")));
      one.set("patch", operation("patch" + t.kind(), "patch", t, List.of("dryRun", "fieldManager",
          "fieldValidation", "force")));
      one.set("delete", operation("delete" + t.kind(), "delete", t, List.of("dryRun", "gracePeriodSeconds",
          "propagationPolicy")));
      for (String s : t.subresources()) {
        ObjectNode sub = paths.putObject(item + "/" + s);
        Discovery.Sub d = Discovery.sub(t, s);
        if (d.verbs().contains("patch")) {
          sub.set("patch", operation("patch" + t.kind() + cap(s), "patch", t, List.of("dryRun", "fieldManager",
              "fieldValidation", "force")));
        }
        if (d.verbs().contains("get")) {
          sub.set("get", operation("read" + t.kind() + cap(s), "get", t, List.of()));
        }
      }
    }
    doc.putObject("components").putObject("schemas");
    return doc;
  }

  private static ObjectNode operation(String id, String action, ResourceType t, List<String> params) {
    ObjectNode op = KubeJson.MAPPER.createObjectNode();
    op.put("operationId", id);
    ArrayNode ps = op.putArray("parameters");
    for (String p : params) {
      ObjectNode pn = ps.addObject();
      pn.put("name", p);
      pn.put("in", "query");
      pn.putObject("schema").put("type", "string").put("uniqueItems", true);
    }
    op.put("x-kubernetes-action", action);
    ObjectNode gvk = op.putObject("x-kubernetes-group-version-kind");
    gvk.put("group", t.group());
    gvk.put("version", t.version());
    gvk.put("kind", t.kind());
    return op;
  }

  private static String cap(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String hash(byte[] doc) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-512").digest(doc);
      return HexFormat.of().withUpperCase().formatHex(d, 0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
