package io.kemu.etcd.mvcc;

import io.kemu.api.CborSerializable;

/**
 * One effective modification inside a committed revision: what the journal records, and all that recovery
 * needs to rebuild the same state (createRevision and version follow from the history).
 */
public record Change(boolean delete, String key, byte[] value, long lease) implements CborSerializable {
  public static Change put(String key, byte[] value, long lease) {
    return new Change(false, key, value, lease);
  }

  public static Change delete(String key) {
    return new Change(true, key, null, 0);
  }
}
