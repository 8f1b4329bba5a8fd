package io.kemu.apiserver.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kemu.api.KubeJson;
import io.kemu.api.ResourceType;
import io.kemu.apiserver.errors.ApiException;
import io.kemu.apiserver.printers.Printers;
import io.kemu.apiserver.printers.TableColumn;
import io.kemu.apiserver.printers.TableRowCondition;
import io.kemu.apiserver.request.MediaTypes;
import io.kemu.apiserver.request.MediaTypes.Output;
import io.kemu.apiserver.watchcache.CachedObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** Encodes objects, lists, Tables and Status answers the way kube-apiserver writes them. */
public final class Responses {
  private Responses() {}

  public static ApiResponse.Complete error(ApiException e) {
    return new ApiResponse.Complete(e.code(), MediaTypes.JSON, e.toStatusBytes(), List.of());
  }

  public static ApiResponse.Complete json(int code, Object body, List<String> warnings) {
    return new ApiResponse.Complete(code, MediaTypes.JSON, KubeJson.bytes(body), warnings);
  }

  /** One object, as JSON, YAML, a one-row Table or PartialObjectMetadata. */
  public static ApiResponse.Complete object(int code, HasMetadata obj, Output out, String includeObject,
                                            Instant now, List<String> warnings) {
    return switch (out) {
      case TABLE -> new ApiResponse.Complete(code, MediaTypes.TABLE, KubeJson.bytes(table(List.of(obj),
          obj.getMetadata().getResourceVersion(), null, includeObject, true, now)), warnings);
      case PARTIAL_METADATA -> new ApiResponse.Complete(code, MediaTypes.PARTIAL,
          KubeJson.bytes(partial(KubeJson.MAPPER.valueToTree(obj))), warnings);
      case YAML -> new ApiResponse.Complete(code, MediaTypes.YAML, yaml(KubeJson.MAPPER.valueToTree(obj)), warnings);
      default -> new ApiResponse.Complete(code, MediaTypes.JSON, KubeJson.bytes(obj), warnings);
    };
  }

  public static ApiResponse.Complete list(ResourceType type, List<CachedObject> items, String rv, String cont,
                                          Long remaining, Output out, String includeObject, Instant now) {
    switch (out) {
      case TABLE -> {
        ObjectNode t = table(items.stream().map(CachedObject::typed).toList(), rv, cont, includeObject, true, now);
        if (items.isEmpty()) {
          ((ArrayNode) t.withArray("columnDefinitions")).removeAll();
          ArrayNode cols = t.putArray("columnDefinitions");
          for (TableColumn c : Printers.columns(type.kind())) {
            cols.add(column(c));
          }
        }
        return new ApiResponse.Complete(200, MediaTypes.TABLE, KubeJson.bytes(t), List.of());
      }
      case PARTIAL_METADATA -> {
        ObjectNode l = KubeJson.MAPPER.createObjectNode();
        l.put("kind", "PartialObjectMetadataList");
        l.put("apiVersion", "meta.k8s.io/v1");
        listMeta(l, rv, cont, remaining);
        ArrayNode arr = l.putArray("items");
        items.forEach(o -> arr.add(partial(o.tree())));
        return new ApiResponse.Complete(200, MediaTypes.PARTIAL_LIST, KubeJson.bytes(l), List.of());
      }
      case YAML -> {
        return new ApiResponse.Complete(200, MediaTypes.YAML, yaml(KubeJson.tree(listJson(type, items, rv, cont,
            remaining))), List.of());
      }
      default -> {
        return new ApiResponse.Complete(200, MediaTypes.JSON, listJson(type, items, rv, cont, remaining), List.of());
      }
    }
  }

  /** A typed list, written from the cached bytes without re-serializing each object. */
  public static byte[] listJson(ResourceType type, List<CachedObject> items, String rv, String cont, Long remaining) {
    ObjectNode head = KubeJson.MAPPER.createObjectNode();
    head.put("kind", type.kind() + "List");
    head.put("apiVersion", type.apiVersion());
    listMeta(head, rv, cont, remaining);
    String h = KubeJson.string(head);
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + items.size() * 1024);
    out.writeBytes(h.substring(0, h.length() - 1).getBytes(StandardCharsets.UTF_8));
    out.writeBytes(",\"items\":[".getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.writeBytes(items.get(i).json());
    }
    out.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static void listMeta(ObjectNode list, String rv, String cont, Long remaining) {
    ObjectNode meta = list.putObject("metadata");
    meta.put("resourceVersion", rv);
    if (cont != null && !cont.isEmpty()) {
      meta.put("continue", cont);
    }
    if (remaining != null && remaining > 0) {
      meta.put("remainingItemCount", remaining);
    }
  }

  /**
   * meta.k8s.io/v1 Table. Cells come from the printers; each row carries PartialObjectMetadata unless
   * includeObject=None, or the whole object with includeObject=Object (kubectl --sort-by asks for it).
   */
  public static ObjectNode table(List<? extends HasMetadata> objects, String rv, String cont, String includeObject,
                                 boolean withColumns, Instant now) {
    ObjectNode t = KubeJson.MAPPER.createObjectNode();
    t.put("kind", "Table");
    t.put("apiVersion", "meta.k8s.io/v1");
    ObjectNode meta = t.putObject("metadata");
    if (rv != null) {
      meta.put("resourceVersion", rv);
    }
    if (cont != null && !cont.isEmpty()) {
      meta.put("continue", cont);
    }
    if (withColumns) {
      ArrayNode cols = t.putArray("columnDefinitions");
      if (!objects.isEmpty()) {
        for (TableColumn c : Printers.columns(objects.get(0))) {
          cols.add(column(c));
        }
      }
    }
    ArrayNode rows = t.putArray("rows");
    for (HasMetadata o : objects) {
      rows.add(row(o, includeObject, now));
    }
    return t;
  }

  public static ObjectNode row(HasMetadata o, String includeObject, Instant now) {
    ObjectNode row = KubeJson.MAPPER.createObjectNode();
    ArrayNode cells = row.putArray("cells");
    for (Object cell : Printers.cells(o, now)) {
      cells.addPOJO(cell);
    }
    List<TableRowCondition> conditions = Printers.rowConditions(o);
    if (!conditions.isEmpty()) {
      ArrayNode cs = row.putArray("conditions");
      conditions.forEach(c -> cs.add(KubeJson.MAPPER.valueToTree(c)));
    }
    if ("Object".equals(includeObject)) {
      row.set("object", KubeJson.MAPPER.valueToTree(o));
    } else if (!"None".equals(includeObject)) {
      row.set("object", partial(KubeJson.MAPPER.valueToTree(o)));
    }
    return row;
  }

  public static ObjectNode column(TableColumn c) {
    ObjectNode n = KubeJson.MAPPER.createObjectNode();
    n.put("name", c.name());
    n.put("type", c.type());
    n.put("format", c.format());
    n.put("description", c.description());
    n.put("priority", c.priority());
    return n;
  }

  public static ObjectNode partial(JsonNode obj) {
    ObjectNode p = KubeJson.MAPPER.createObjectNode();
    p.put("kind", "PartialObjectMetadata");
    p.put("apiVersion", "meta.k8s.io/v1");
    ObjectNode meta = obj.path("metadata").isObject() ? ((ObjectNode) obj.path("metadata")).deepCopy()
        : KubeJson.MAPPER.createObjectNode();
    meta.remove("managedFields");
    p.set("metadata", meta);
    return p;
  }

  static byte[] yaml(JsonNode tree) {
    try {
      return KubeJson.YAML.writeValueAsBytes(tree);
    } catch (Exception e) {
      throw ApiException.internal(e.getMessage());
    }
  }

  /** metav1.Status Success, as DELETE answers for kinds that do not return the deleted object. */
  public static ObjectNode success(int code, String group, String kind, String name, String uid) {
    ObjectNode s = KubeJson.MAPPER.createObjectNode();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Success");
    ObjectNode d = s.putObject("details");
    d.put("name", name);
    if (group != null && !group.isEmpty()) {
      d.put("group", group);
    }
    d.put("kind", kind);
    if (uid != null) {
      d.put("uid", uid);
    }
    if (code != 200) {
      s.put("code", code);
    }
    return s;
  }
}
