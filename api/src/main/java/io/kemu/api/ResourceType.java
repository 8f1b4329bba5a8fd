package io.kemu.api;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * One served resource: what discovery advertises, where the registry stores it (kube-apiserver's etcd
 * prefixes, e.g. nodes under /registry/minions) and which fabric8 class models it.
 */
public record ResourceType(String group, String version, String kind, String resource, String singular,
                           boolean namespaced, List<String> shortNames, List<String> categories,
                           List<String> subresources, String etcdPrefix, Class<? extends HasMetadata> type) {

  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  public String groupResource() {
    return group.isEmpty() ? resource : resource + "." + group;
  }

  /** The storage key of an object: {@code /registry/pods/default/nginx}, {@code /registry/minions/node-1}. */
  public String key(String namespace, String name) {
    return namespaced ? etcdPrefix + "/" + namespace + "/" + name : etcdPrefix + "/" + name;
  }

  /** The storage prefix of a namespace's objects, or of all of them when namespace is null. */
  public String prefix(String namespace) {
    return namespaced && namespace != null && !namespace.isEmpty()
        ? etcdPrefix + "/" + namespace + "/" : etcdPrefix + "/";
  }

  /** The base URL path of the collection, e.g. {@code /api/v1/namespaces/default/pods}. */
  public String collectionPath(String namespace) {
    String root = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    return namespaced && namespace != null ? root + "/namespaces/" + namespace + "/" + resource : root + "/" + resource;
  }
}
