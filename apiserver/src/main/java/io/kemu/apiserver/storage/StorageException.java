package io.kemu.apiserver.storage;

/** storage.StorageError: the registry turns these into NotFound, AlreadyExists, Conflict or Gone. */
public final class StorageException extends RuntimeException {
  public enum Code { KEY_NOT_FOUND, KEY_EXISTS, RESOURCE_VERSION_CONFLICTS, INVALID_OBJ, COMPACTED }

  private final Code code;
  private final String key;

  public StorageException(Code code, String key, String message) {
    super(message, null, false, false);
    this.code = code;
    this.key = key;
  }

  public Code code() {
    return code;
  }

  public String key() {
    return key;
  }
}
