package io.kemu.kubelet.runtime.programs;

import io.kemu.kubelet.runtime.proc.Machine;
import io.kemu.kubelet.runtime.proc.Program;
import io.kemu.kubelet.shell.Shell;
import java.util.List;

/**
 * The executables the emulated images hold, by the tag their files carry: {@code busybox:<applet>} (busybox,
 * alpine), {@code coreutils:<tool>} (debian, ubuntu, centos), {@code dash}, {@code bash}, and the servers
 * ({@code nginx}, {@code redis-server}, {@code catalina}, {@code agnhost}, {@code pause}...).
 */
public final class Programs implements Machine.Programs {
  public static final Programs INSTANCE = new Programs();

  /** The applets of busybox that this emulator implements, installed in /bin of busybox-based images. */
  public static final List<String> BUSYBOX_APPLETS = List.of("sh", "ash", "cat", "touch", "rm", "mkdir", "rmdir",
      "ls", "cp", "mv", "ln", "chmod", "chown", "chgrp", "stat", "find", "basename", "dirname", "realpath",
      "readlink", "mktemp", "du", "df", "sync", "sleep", "true", "false", "env", "printenv", "hostname", "id",
      "whoami", "uname", "date", "ps", "kill", "killall", "pkill", "pidof", "pgrep", "timeout", "nohup", "which",
      "free", "nproc", "uptime", "xargs", "test", "[", "pwd", "mount", "tty", "head", "tail", "wc", "grep", "egrep",
      "fgrep", "sed", "awk", "cut", "tr", "sort", "uniq", "tee", "tac", "rev", "seq", "yes", "expr", "base64",
      "md5sum", "sha1sum", "sha256sum", "printf", "echo", "nslookup", "wget", "nc");

  /** GNU coreutils and friends of a Debian-like image (no wget, curl or nslookup there). */
  public static final List<String> COREUTILS = List.of("cat", "touch", "rm", "mkdir", "rmdir", "ls", "cp", "mv",
      "ln", "chmod", "chown", "chgrp", "stat", "find", "basename", "dirname", "realpath", "readlink", "mktemp", "du",
      "df", "sync", "sleep", "true", "false", "env", "printenv", "hostname", "id", "whoami", "uname", "date", "ps",
      "kill", "pkill", "pidof", "pgrep", "timeout", "nohup", "which", "free", "nproc", "uptime", "xargs", "test",
      "[", "pwd", "mount", "tty", "head", "tail", "wc", "grep", "egrep", "fgrep", "sed", "awk", "cut", "tr", "sort",
      "uniq", "tee", "tac", "rev", "seq", "yes", "expr", "base64", "md5sum", "sha1sum", "sha256sum", "printf",
      "echo");

  private Programs() {}

  @Override
  public Program create(String tag) {
    int colon = tag.indexOf(':');
    if (colon > 0) {
      String family = tag.substring(0, colon);
      String name = tag.substring(colon + 1);
      boolean busybox = family.equals("busybox");
      if (busybox && (name.equals("sh") || name.equals("ash"))) {
        return new Shell(Shell.Flavor.ASH);
      }
      Program p = NetTools.create(name, busybox);
      if (p == null) {
        p = FileTools.create(name, busybox);
      }
      if (p == null) {
        p = SystemTools.create(name, busybox);
      }
      if (p == null) {
        p = TextTools.create(name, busybox);
      }
      return p;
    }
    return switch (tag) {
      case "dash" -> new Shell(Shell.Flavor.DASH);
      case "bash" -> new Shell(Shell.Flavor.BASH);
      case "curl" -> NetTools.create("curl", false);
      case "php-fpm" -> new Servers.Idle("php-fpm", 9000);
      default -> Servers.create(tag);
    };
  }
}
