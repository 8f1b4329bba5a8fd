package io.kemu.etcd.mvcc;

import io.kemu.api.etcd.EtcdProtocol;

/** A request the store refuses; the message is etcd's own text so that clients can map it. */
public final class MvccException extends RuntimeException {
  private final long compactRevision;

  private MvccException(String message, long compactRevision) {
    super(message, null, false, false);
    this.compactRevision = compactRevision;
  }

  public static MvccException compacted(long compactRevision) {
    return new MvccException(EtcdProtocol.ERR_COMPACTED, compactRevision);
  }

  public static MvccException futureRevision() {
    return new MvccException(EtcdProtocol.ERR_FUTURE_REV, 0);
  }

  public static MvccException of(String message) {
    return new MvccException(message, 0);
  }

  public long compactRevision() {
    return compactRevision;
  }
}
