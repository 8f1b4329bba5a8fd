package io.kemu.apiserver.discovery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kemu.api.KubeJson;
import io.kemu.api.ResourceType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * API discovery from the resource table: the aggregated form (apidiscovery.k8s.io/v2, what kubectl 1.32 asks
 * for first) and the legacy APIVersions / APIGroupList / APIResourceList documents.
 */
public final class Discovery {
  static final List<String> ALL_VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch",
      "update", "watch");

  /** A subresource's verbs and the kind it answers with. */
  record Sub(List<String> verbs, String group, String version, String kind) {}

  /** A create-only resource served without storage (the self reviews). */
  public record Virtual(String group, String version, String kind, String resource) {}

  private final List<ResourceType> resources;
  private final List<Virtual> virtual;
  private final String serverAddress;

  public Discovery(List<ResourceType> resources, List<Virtual> virtual, String serverAddress) {
    this.resources = resources;
    this.virtual = virtual;
    this.serverAddress = serverAddress;
  }

  static List<String> verbs(ResourceType t) {
    return t.resource().equals("namespaces")
        ? List.of("create", "delete", "get", "list", "patch", "update", "watch") : ALL_VERBS;
  }

  static Sub sub(ResourceType t, String name) {
    return switch (name) {
      case "status" -> new Sub(List.of("get", "patch", "update"), t.group(), t.version(), t.kind());
      case "binding" -> new Sub(List.of("create"), "", "v1", "Binding");
      case "log" -> new Sub(List.of("get"), "", "v1", "Pod");
      case "finalize" -> new Sub(List.of("update"), "", "v1", "Namespace");
      case "scale" -> new Sub(List.of("get", "patch", "update"), "autoscaling", "v1", "Scale");
      case "eviction" -> new Sub(List.of("create"), "policy", "v1", "Eviction");
      case "token" -> new Sub(List.of("create"), "authentication.k8s.io", "v1", "TokenRequest");
      default -> new Sub(List.of("get"), t.group(), t.version(), t.kind());
    };
  }

  /** group → version → resources, groups in table order, the core group first. */
  private Map<String, Map<String, List<ResourceType>>> byGroup() {
    Map<String, Map<String, List<ResourceType>>> m = new LinkedHashMap<>();
    for (ResourceType t : resources) {
      m.computeIfAbsent(t.group(), g -> new LinkedHashMap<>()).computeIfAbsent(t.version(), v -> new ArrayList<>())
          .add(t);
    }
    for (Virtual v : virtual) {
      m.computeIfAbsent(v.group(), g -> new LinkedHashMap<>()).computeIfAbsent(v.version(), x -> new ArrayList<>());
    }
    return m;
  }

  private List<Virtual> virtualIn(String group, String version) {
    return virtual.stream().filter(v -> v.group().equals(group) && v.version().equals(version)).toList();
  }

  public ObjectNode aggregated(boolean core) {
    ObjectNode list = KubeJson.MAPPER.createObjectNode();
    list.put("kind", "APIGroupDiscoveryList");
    list.put("apiVersion", "apidiscovery.k8s.io/v2");
    list.putObject("metadata");
    ArrayNode items = list.putArray("items");
    byGroup().forEach((group, versions) -> {
      if (group.isEmpty() != core) {
        return;
      }
      ObjectNode item = items.addObject();
      ObjectNode meta = item.putObject("metadata");
      meta.put("name", group);
      meta.putNull("creationTimestamp");
      ArrayNode vs = item.putArray("versions");
      versions.forEach((version, types) -> {
        ObjectNode v = vs.addObject();
        v.put("version", version);
        ArrayNode rs = v.putArray("resources");
        for (ResourceType t : types) {
          ObjectNode r = rs.addObject();
          r.put("resource", t.resource());
          kind(r.putObject("responseKind"), t.group(), t.version(), t.kind());
          r.put("scope", t.namespaced() ? "Namespaced" : "Cluster");
          r.put("singularResource", t.singular());
          strings(r.putArray("verbs"), verbs(t));
          if (!t.shortNames().isEmpty()) {
            strings(r.putArray("shortNames"), t.shortNames());
          }
          if (!t.categories().isEmpty()) {
            strings(r.putArray("categories"), t.categories());
          }
          if (!t.subresources().isEmpty()) {
            ArrayNode subs = r.putArray("subresources");
            for (String s : t.subresources()) {
              Sub sub = sub(t, s);
              ObjectNode sn = subs.addObject();
              sn.put("subresource", s);
              kind(sn.putObject("responseKind"), sub.group(), sub.version(), sub.kind());
              strings(sn.putArray("verbs"), sub.verbs());
            }
          }
        }
        for (Virtual vr : virtualIn(group, version)) {
          ObjectNode r = rs.addObject();
          r.put("resource", vr.resource());
          kind(r.putObject("responseKind"), vr.group(), vr.version(), vr.kind());
          r.put("scope", "Cluster");
          r.put("singularResource", vr.kind().toLowerCase());
          strings(r.putArray("verbs"), List.of("create"));
        }
        v.put("freshness", "Current");
      });
    });
    return list;
  }

  public ObjectNode apiVersions() {
    ObjectNode n = KubeJson.MAPPER.createObjectNode();
    n.put("kind", "APIVersions");
    n.putArray("versions").add("v1");
    ObjectNode addr = n.putArray("serverAddressByClientCIDRs").addObject();
    addr.put("clientCIDR", "0.0.0.0/0");
    addr.put("serverAddress", serverAddress);
    return n;
  }

  public ObjectNode apiGroupList() {
    ObjectNode n = KubeJson.MAPPER.createObjectNode();
    n.put("kind", "APIGroupList");
    n.put("apiVersion", "v1");
    ArrayNode groups = n.putArray("groups");
    byGroup().forEach((group, versions) -> {
      if (!group.isEmpty()) {
        groups.add(apiGroup(group, versions.keySet()));
      }
    });
    return n;
  }

  /** /apis/{group}, or null if the group is not served. */
  public ObjectNode apiGroup(String group) {
    Map<String, List<ResourceType>> versions = byGroup().get(group);
    if (versions == null || group.isEmpty()) {
      return null;
    }
    ObjectNode g = apiGroup(group, versions.keySet());
    g.put("kind", "APIGroup");
    g.put("apiVersion", "v1");
    return g;
  }

  private static ObjectNode apiGroup(String group, Iterable<String> versions) {
    ObjectNode g = KubeJson.MAPPER.createObjectNode();
    g.put("name", group);
    ArrayNode vs = g.putArray("versions");
    String preferred = null;
    for (String v : versions) {
      ObjectNode vn = vs.addObject();
      vn.put("groupVersion", group + "/" + v);
      vn.put("version", v);
      preferred = preferred == null ? v : preferred;
    }
    ObjectNode p = g.putObject("preferredVersion");
    p.put("groupVersion", group + "/" + preferred);
    p.put("version", preferred);
    return g;
  }

  /** /api/v1 or /apis/{group}/{version}, or null if not served. */
  public ObjectNode resourceList(String group, String version) {
    Map<String, List<ResourceType>> versions = byGroup().get(group);
    if (versions == null || !versions.containsKey(version)) {
      return null;
    }
    ObjectNode n = KubeJson.MAPPER.createObjectNode();
    n.put("kind", "APIResourceList");
    n.put("apiVersion", "v1");
    n.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode rs = n.putArray("resources");
    for (ResourceType t : versions.get(version)) {
      ObjectNode r = rs.addObject();
      r.put("name", t.resource());
      r.put("singularName", t.singular());
      r.put("namespaced", t.namespaced());
      r.put("kind", t.kind());
      strings(r.putArray("verbs"), verbs(t));
      if (!t.shortNames().isEmpty()) {
        strings(r.putArray("shortNames"), t.shortNames());
      }
      if (!t.categories().isEmpty()) {
        strings(r.putArray("categories"), t.categories());
      }
      for (String s : t.subresources()) {
        Sub sub = sub(t, s);
        ObjectNode sr = rs.addObject();
        sr.put("name", t.resource() + "/" + s);
        sr.put("singularName", "");
        sr.put("namespaced", t.namespaced());
        if (!sub.group().equals(t.group())) {
          sr.put("group", sub.group());
          sr.put("version", sub.version());
        }
        sr.put("kind", sub.kind());
        strings(sr.putArray("verbs"), sub.verbs());
      }
    }
    for (Virtual vr : virtualIn(group, version)) {
      ObjectNode r = rs.addObject();
      r.put("name", vr.resource());
      r.put("singularName", vr.kind().toLowerCase());
      r.put("namespaced", false);
      r.put("kind", vr.kind());
      strings(r.putArray("verbs"), List.of("create"));
    }
    return n;
  }

  private static void kind(ObjectNode n, String group, String version, String kind) {
    n.put("group", group);
    n.put("version", version);
    n.put("kind", kind);
  }

  private static void strings(ArrayNode arr, List<String> values) {
    values.forEach(arr::add);
  }
}
