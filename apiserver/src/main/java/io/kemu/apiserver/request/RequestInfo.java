package io.kemu.apiserver.request;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a request is about (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go): for resource requests the
 * API group, version, namespace, resource, name, subresource and the verb (get/list/watch/create/update/patch/
 * delete/deletecollection); for anything else only the path and the HTTP verb.
 */
public record RequestInfo(boolean resourceRequest, String path, String verb, String apiPrefix, String apiGroup,
                          String apiVersion, String namespace, String resource, String subresource, String name) {

  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

  public static RequestInfo parse(String method, String path, Map<String, String> query) {
    String httpVerb = method.toLowerCase();
    String[] raw = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
    RequestInfo nonResource = new RequestInfo(false, path, httpVerb, "", "", "", "", "", "", "");
    if (raw.length < 2 || !(raw[0].equals("api") || raw[0].equals("apis"))) {
      return nonResource;
    }
    List<String> parts = new ArrayList<>(Arrays.asList(raw));
    String prefix = parts.remove(0);
    String group = "";
    if (prefix.equals("apis")) {
      if (parts.size() < 2) {
        return nonResource; // /apis/{group}: discovery
      }
      group = parts.remove(0);
    }
    String version = parts.remove(0);
    if (parts.isEmpty()) {
      return nonResource; // /api/v1, /apis/{group}/{version}: discovery
    }
    String verb = switch (httpVerb) {
      case "post" -> "create";
      case "get", "head" -> "get";
      case "put" -> "update";
      case "patch" -> "patch";
      case "delete" -> "delete";
      default -> "";
    };
    boolean watchPrefix = false;
    if (parts.get(0).equals("watch")) {
      parts.remove(0);
      watchPrefix = true;
      verb = "watch";
    }
    String namespace = "";
    if (!parts.isEmpty() && parts.get(0).equals("namespaces")) {
      if (parts.size() > 1) {
        namespace = parts.get(1);
        if (parts.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(parts.get(2))) {
          parts = parts.subList(2, parts.size());
        }
      }
    }
    String resource = parts.isEmpty() ? "" : parts.get(0);
    String name = parts.size() >= 2 ? parts.get(1) : "";
    String subresource = parts.size() >= 3 ? parts.get(2) : "";
    if (name.isEmpty() && verb.equals("get")) {
      verb = "list";
    }
    String w = query.get("watch");
    if (!watchPrefix && ("true".equals(w) || "1".equals(w)) && (verb.equals("list") || verb.equals("get"))) {
      verb = "watch";
    }
    if (name.isEmpty() && verb.equals("delete")) {
      verb = "deletecollection";
    }
    return new RequestInfo(true, path, verb, prefix, group, version, namespace, resource, subresource, name);
  }

  /** The in-cluster endpoint's requests carry these fields directly. */
  public static RequestInfo of(String verb, String group, String version, String namespace, String resource,
                               String name, String subresource) {
    String path = (group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version)
        + (namespace == null || namespace.isEmpty() ? "" : "/namespaces/" + namespace) + "/" + resource
        + (name == null || name.isEmpty() ? "" : "/" + name)
        + (subresource == null || subresource.isEmpty() ? "" : "/" + subresource);
    return new RequestInfo(true, path, verb, group.isEmpty() ? "api" : "apis", group, version,
        namespace == null ? "" : namespace, resource, subresource == null ? "" : subresource, name == null ? "" : name);
  }
}
