package io.kemu.kubelet.runtime.programs;

import io.kemu.kubelet.runtime.fs.FsException;
import io.kemu.kubelet.runtime.fs.Vfs;
import io.kemu.kubelet.runtime.proc.Proc;
import io.kemu.kubelet.runtime.proc.Program;
import io.kemu.kubelet.runtime.proc.Signals;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A command-line tool: {@link #run} returns the exit status, or {@link #ASYNC} when it ends later by itself
 * (reading stdin, sleeping, waiting for the network). Two flavours word their errors differently: busybox ("cat:
 * can't open 'x': No such file or directory") and GNU coreutils ("cat: x: No such file or directory").
 */
abstract class Utility implements Program {
  static final int ASYNC = -1;

  final boolean busybox;
  final String name;

  Utility(String name, boolean busybox) {
    this.name = name;
    this.busybox = busybox;
  }

  @Override
  public final void main(Proc p) {
    int code;
    try {
      code = run(p, new ArrayList<>(p.args()));
    } catch (UsageError e) {
      p.eprintln(name + ": " + e.getMessage());
      code = e.status;
    }
    if (code != ASYNC) {
      p.exit(code);
    }
  }

  abstract int run(Proc p, List<String> args);

  static final class UsageError extends RuntimeException {
    final int status;

    UsageError(String message, int status) {
      super(message, null, false, false);
      this.status = status;
    }

    UsageError(String message) {
      this(message, 1);
    }
  }

  // ---------------------------------------------------------------- output

  /** Writes to stdout; a write to a closed pipe kills the process with SIGPIPE, as the default disposition does. */
  static boolean out(Proc p, String s) {
    return out(p, s.getBytes(StandardCharsets.UTF_8));
  }

  static boolean out(Proc p, byte[] b) {
    if (p.stdout().isBroken()) {
      p.die(Signals.PIPE);
      return false;
    }
    p.stdout().write(b);
    return true;
  }

  void err(Proc p, String msg) {
    p.eprintln(name + ": " + msg);
  }

  /** "can't open 'x': reason" (busybox) or "x: reason" (GNU). */
  void openError(Proc p, String path, FsException e) {
    err(p, busybox ? "can't open '" + path + "': " + e.reason() : path + ": " + e.reason());
  }

  // ---------------------------------------------------------------- input

  /** Reads each named file (or stdin for none or "-") in order; errors are reported and counted. */
  void readInputs(Proc p, List<String> files, Consumer<List<byte[]>> done, int[] errors) {
    if (files.isEmpty()) {
      p.stdin().readAll(b -> done.accept(List.of(b)));
      return;
    }
    List<byte[]> out = new ArrayList<>();
    readNext(p, files, 0, out, done, errors);
  }

  private void readNext(Proc p, List<String> files, int i, List<byte[]> acc, Consumer<List<byte[]>> done,
                        int[] errors) {
    if (i == files.size()) {
      done.accept(acc);
      return;
    }
    String f = files.get(i);
    if (f.equals("-")) {
      p.stdin().readAll(b -> {
        acc.add(b);
        readNext(p, files, i + 1, acc, done, errors);
      });
      return;
    }
    try {
      Vfs.Node n = p.machine().fs().stat(p.cwd(), f);
      if (n instanceof Vfs.Dir) {
        err(p, busybox ? "read error: Is a directory" : f + ": Is a directory");
        errors[0]++;
      } else {
        acc.add(p.machine().fs().read(p.cwd(), f));
      }
    } catch (FsException e) {
      openError(p, f, e);
      errors[0]++;
    }
    readNext(p, files, i + 1, acc, done, errors);
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  static List<String> lines(String s) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\n') {
        out.add(s.substring(start, i));
        start = i + 1;
      }
    }
    if (start < s.length()) {
      out.add(s.substring(start));
    }
    return out;
  }

  /** Splits "-abc" style flags off the front; returns the operands. Flags with values are taken by {@code withArg}. */
  static List<String> options(List<String> args, String flagsWithArg, java.util.Map<Character, String> into) {
    List<String> operands = new ArrayList<>();
    boolean end = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (end || !a.startsWith("-") || a.equals("-") || a.length() < 2) {
        operands.add(a);
        continue;
      }
      if (a.equals("--")) {
        end = true;
        continue;
      }
      if (a.startsWith("--")) {
        int eq = a.indexOf('=');
        into.put('\0', (into.getOrDefault('\0', "") + " " + a).trim());
        if (eq > 0) {
          into.put('\1', a.substring(eq + 1));
        }
        continue;
      }
      for (int j = 1; j < a.length(); j++) {
        char c = a.charAt(j);
        if (flagsWithArg.indexOf(c) >= 0) {
          String v = j + 1 < a.length() ? a.substring(j + 1) : (i + 1 < args.size() ? args.get(++i) : "");
          into.put(c, v);
          break;
        }
        into.put(c, "");
      }
    }
    return operands;
  }

  static long parseLong(String s, long dflt) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return dflt;
    }
  }
}
