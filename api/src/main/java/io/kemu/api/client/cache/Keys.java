package io.kemu.api.client.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** client-go's MetaNamespaceKeyFunc and SplitMetaNamespaceKey: {@code namespace/name}, or {@code name}. */
public final class Keys {
  private Keys() {}

  public static String key(String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
  }

  public static String key(HasMetadata obj) {
    return key(obj.getMetadata().getNamespace(), obj.getMetadata().getName());
  }

  /** The namespace of a key ("" for cluster-scoped objects). */
  public static String namespace(String key) {
    int slash = key.indexOf('/');
    return slash < 0 ? "" : key.substring(0, slash);
  }

  public static String name(String key) {
    int slash = key.indexOf('/');
    return slash < 0 ? key : key.substring(slash + 1);
  }
}
