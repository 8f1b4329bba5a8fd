package io.kemu.apiserver.watchcache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kemu.api.KubeJson;
import java.util.Map;

/**
 * One object version as the watch cache holds it: the JSON tree with its resourceVersion set, the bytes
 * every watcher receives, and the labels and fields that selectors read (the cacher's storeElement).
 * Immutable once built; the typed form is decoded once, on first use (printers need it).
 */
public final class CachedObject {
  private final String key;
  private final long resourceVersion;
  private final ObjectNode tree;
  private final byte[] json;
  private final Map<String, String> labels;
  private final Map<String, String> fields;
  private final Class<? extends HasMetadata> type;
  /** The value as stored (no resourceVersion) and its etcd lease, when known: the current state of an update. */
  private final byte[] stored;
  private final long lease;
  private volatile HasMetadata typed;

  public CachedObject(String key, long resourceVersion, ObjectNode tree, Map<String, String> labels,
                      Map<String, String> fields, Class<? extends HasMetadata> type) {
    this(key, resourceVersion, tree, KubeJson.bytes(tree), null, 0, labels, fields, type);
  }

  /** {@code json} must be {@code tree} serialized; {@code stored} the stored value it was read from (or null). */
  public CachedObject(String key, long resourceVersion, ObjectNode tree, byte[] json, byte[] stored, long lease,
                      Map<String, String> labels, Map<String, String> fields, Class<? extends HasMetadata> type) {
    this.key = key;
    this.resourceVersion = resourceVersion;
    this.tree = tree;
    this.json = json;
    this.stored = stored;
    this.lease = lease;
    this.labels = labels;
    this.fields = fields;
    this.type = type;
  }

  /** The stored value this object was decoded from, or null if it was not built from one. */
  public byte[] stored() {
    return stored;
  }

  public long lease() {
    return lease;
  }

  public String key() {
    return key;
  }

  public long resourceVersion() {
    return resourceVersion;
  }

  /** Do not modify: shared by every reader. */
  public ObjectNode tree() {
    return tree;
  }

  public byte[] json() {
    return json;
  }

  public Map<String, String> labels() {
    return labels;
  }

  public Map<String, String> fields() {
    return fields;
  }

  public String namespace() {
    return tree.path("metadata").path("namespace").asText("");
  }

  public String name() {
    return tree.path("metadata").path("name").asText("");
  }

  /** A fresh typed copy is not needed by callers that only read; this one is shared, treat it as read-only. */
  public HasMetadata typed() {
    HasMetadata t = typed;
    if (t == null) {
      t = KubeJson.read(json, type);
      typed = t;
    }
    return t;
  }

  /** The same object stamped with another resourceVersion (a deletion is reported at the deleting revision). */
  public CachedObject atRevision(long rev) {
    ObjectNode copy = tree.deepCopy();
    ((ObjectNode) copy.path("metadata")).put("resourceVersion", Long.toString(rev));
    return new CachedObject(key, rev, copy, labels, fields, type);
  }
}
