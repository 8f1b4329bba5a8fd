package io.kemu.etcd.mvcc;

import io.kemu.api.CborSerializable;
import java.util.List;

/** Every retained version (tombstones included) with its sub-revision: enough to rebuild index and log. */
public record MvccSnapshot(long revision, long compactRevision, List<StoredVersion> versions)
    implements CborSerializable {

  public record StoredVersion(String key, byte[] value, long createRevision, long modRevision, long version,
                              long lease, int sub) implements CborSerializable {}
}
