package io.kemu.apiserver.watchcache;

/**
 * What one watcher receives: ADDED, MODIFIED, DELETED with an object; BOOKMARK with only a resourceVersion;
 * ERROR carrying a Status (410 when the watcher must relist).
 */
public record WatchEvent(Type type, CachedObject object, long resourceVersion, byte[] status) {
  public enum Type { ADDED, MODIFIED, DELETED, BOOKMARK, ERROR }

  public static WatchEvent bookmark(long rv) {
    return new WatchEvent(Type.BOOKMARK, null, rv, null);
  }

  public static WatchEvent error(byte[] status) {
    return new WatchEvent(Type.ERROR, null, 0, status);
  }
}
