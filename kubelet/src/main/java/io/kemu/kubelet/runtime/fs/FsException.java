package io.kemu.kubelet.runtime.fs;

/** A failed file operation with its errno, printed by the tools as strerror(3) does. */
public final class FsException extends Exception {
  public enum Errno {
    ENOENT("No such file or directory"), EEXIST("File exists"), ENOTDIR("Not a directory"),
    EISDIR("Is a directory"), EROFS("Read-only file system"), ENOTEMPTY("Directory not empty"),
    EACCES("Permission denied"), EBUSY("Resource busy"), ELOOP("Symbolic link loop"), EINVAL("Invalid argument"),
    EXDEV("Invalid cross-device link");

    public final String message;

    Errno(String message) {
      this.message = message;
    }
  }

  private final Errno errno;
  private final String path;

  public FsException(Errno errno, String path) {
    super(path + ": " + errno.message, null, false, false);
    this.errno = errno;
    this.path = path;
  }

  public Errno errno() {
    return errno;
  }

  public String path() {
    return path;
  }

  /** strerror(errno). */
  public String reason() {
    return errno.message;
  }
}
