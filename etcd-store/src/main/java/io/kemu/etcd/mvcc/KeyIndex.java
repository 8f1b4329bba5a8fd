package io.kemu.etcd.mvcc;

import io.kemu.api.etcd.EtcdProtocol.KeyValue;
import java.util.ArrayList;
import java.util.List;

/**
 * The history of one key, as etcd's keyIndex: every version since the last compaction, oldest first. A
 * deletion appends a tombstone (version 0, no value) that ends a "generation"; a later put starts a new one
 * with a fresh createRevision and version 1.
 *
 * <p>Example: put@2, put@4, delete@6, put@8 keeps [2, 4, T6, 8]. Compacting at 5 keeps the newest version
 * ≤ 5 (4) and what follows: [4, T6, 8]. Compacting at 7 finds the tombstone T6 as newest ≤ 7: the whole
 * first generation goes, leaving [8]. Compacting at 9 keeps [8]; a key whose last version is a tombstone ≤ the
 * compaction revision disappears from the index.
 */
final class KeyIndex {
  /** One stored version, with the position of its operation inside its transaction (etcd's sub-revision). */
  record Version(KeyValue kv, int sub) {
    boolean isTombstone() {
      return kv.version() == 0;
    }
  }

  final String key;
  private final ArrayList<Version> versions = new ArrayList<>(2);

  KeyIndex(String key) {
    this.key = key;
  }

  void append(KeyValue kv, int sub) {
    versions.add(new Version(kv, sub));
  }

  /** The newest live value, or null if the key does not exist now. */
  KeyValue latest() {
    if (versions.isEmpty()) {
      return null;
    }
    Version v = versions.get(versions.size() - 1);
    return v.isTombstone() ? null : v.kv();
  }

  /** The live value as of {@code rev}, or null. */
  KeyValue at(long rev) {
    int i = indexAtOrBefore(rev);
    if (i < 0) {
      return null;
    }
    Version v = versions.get(i);
    return v.isTombstone() ? null : v.kv();
  }

  /** The version preceding the one at position i (the "prevKv" of its event), or null. */
  KeyValue before(int i) {
    if (i <= 0) {
      return null;
    }
    Version v = versions.get(i - 1);
    return v.isTombstone() ? null : v.kv();
  }

  List<Version> versions() {
    return versions;
  }

  /**
   * Drops the versions that no read at or after {@code rev} can see. Returns true when nothing is left, so that
   * the caller removes the key.
   */
  boolean compact(long rev) {
    int i = indexAtOrBefore(rev);
    if (i > 0) {
      versions.subList(0, i).clear();
    }
    if (i >= 0 && versions.get(0).isTombstone()) {
      versions.remove(0);
    }
    return versions.isEmpty();
  }

  private int indexAtOrBefore(long rev) {
    int lo = 0;
    int hi = versions.size() - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (versions.get(mid).kv().modRevision() <= rev) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }
}
