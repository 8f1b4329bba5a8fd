package io.kemu.kubelet.shell;

import io.kemu.kubelet.runtime.fs.FsException;
import io.kemu.kubelet.runtime.fs.Vfs;
import io.kemu.kubelet.runtime.proc.Machine;
import io.kemu.kubelet.runtime.proc.OutStream;
import io.kemu.kubelet.runtime.proc.Proc;
import io.kemu.kubelet.runtime.proc.Signals;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * The shell's builtin utilities (XCU 2.14 special builtins and the regular ones every shell has): they run inside
 * the shell process and change its state. echo, printf and test are builtins here as in all three shells.
 */
final class Builtins {
  private Builtins() {}

  private static final Set<String> REGULAR = Set.of("true", "false", "echo", "printf", "test", "[", "cd", "pwd",
      "read", "wait", "kill", "local", "type", "command", "umask", "jobs", "getopts", "hash", "ulimit", "alias",
      "unalias", "source", "let", "which", "printenv-builtin");

  static boolean isBuiltin(Interp in, String name) {
    if (name.equals("let") || name.equals("source")) {
      return in.flavor != Shell.Flavor.DASH;
    }
    if (name.equals("which") || name.equals("printenv-builtin")) {
      return false;
    }
    return REGULAR.contains(name);
  }

  static void run(Interp in, List<String> argv, Interp.Fds f, IntConsumer k) {
    String name = argv.get(0);
    List<String> args = argv.subList(1, argv.size());
    OutStream out = f.stdout();
    switch (name) {
      case ":", "true", "hash", "alias", "unalias" -> k.accept(0);
      case "false" -> k.accept(1);
      case "echo" -> k.accept(write(in, out, echo(in.flavor, args)));
      case "printf" -> printf(in, args, f, k);
      case "test" -> k.accept(test(in, args, f));
      case "[" -> {
        if (args.isEmpty() || !args.get(args.size() - 1).equals("]")) {
          errorTo(in, f, "[: missing ]");
          k.accept(2);
        } else {
          k.accept(test(in, args.subList(0, args.size() - 1), f));
        }
      }
      case "cd" -> k.accept(cd(in, args, f));
      case "pwd" -> k.accept(write(in, out, in.proc.cwd() + "\n"));
      case "export", "readonly" -> k.accept(export(in, name, args, f));
      case "unset" -> k.accept(unset(in, args, f));
      case "set" -> k.accept(set(in, args, f));
      case "shift" -> k.accept(shift(in, args, f));
      case "exit" -> {
        int code = args.isEmpty() ? in.status : parseStatus(args.get(0));
        in.exitShell(code);
      }
      case "return" -> {
        in.returnStatus = args.isEmpty() ? in.status : parseStatus(args.get(0));
        if (in.funcDepth == 0) {
          errorTo(in, f, "return: can only `return' from a function or sourced script");
          k.accept(1);
          return;
        }
        in.ctl = Interp.Ctl.RETURN;
        k.accept(in.returnStatus);
      }
      case "break", "continue" -> {
        int n = args.isEmpty() ? 1 : parseStatus(args.get(0));
        if (in.loopDepth == 0) {
          k.accept(0);
          return;
        }
        in.ctl = name.equals("break") ? Interp.Ctl.BREAK : Interp.Ctl.CONTINUE;
        in.ctlLevels = Math.max(1, Math.min(n, in.loopDepth));
        k.accept(0);
      }
      case "eval" -> in.evalString(String.join(" ", args), k);
      case ".", "source" -> source(in, args, f, k);
      case "exec" -> exec(in, args, f, k);
      case "trap" -> k.accept(trap(in, args, f));
      case "wait" -> waitBuiltin(in, args, f, k);
      case "kill" -> k.accept(kill(in, args, f));
      case "read" -> read(in, args, f, k);
      case "local" -> k.accept(local(in, args, f));
      case "type" -> k.accept(type(in, args, f, false));
      case "command" -> command(in, args, f, k);
      case "umask" -> k.accept(args.isEmpty() ? write(in, out, "0022\n") : 0);
      case "ulimit" -> k.accept(write(in, out, "unlimited\n"));
      case "times" -> k.accept(write(in, out, "0m0.00s 0m0.00s\n0m0.00s 0m0.00s\n"));
      case "jobs" -> {
        StringBuilder sb = new StringBuilder();
        int n = 1;
        for (Proc p : in.jobs) {
          if (!p.exited()) {
            sb.append('[').append(n).append("]  Running  ").append(String.join(" ", p.argv())).append('\n');
          }
          n++;
        }
        k.accept(write(in, out, sb.toString()));
      }
      case "let" -> {
        long last = 0;
        for (String a : args) {
          try {
            last = Arith.eval(a, arithVars(in));
          } catch (Arith.ArithException e) {
            errorTo(in, f, "let: " + a + ": " + e.getMessage());
            k.accept(1);
            return;
          }
        }
        k.accept(last == 0 ? 1 : 0);
      }
      case "getopts" -> k.accept(getopts(in, args, f));
      default -> {
        errorTo(in, f, name + ": not found");
        k.accept(127);
      }
    }
  }

  static Arith.Vars arithVars(Interp in) {
    return new Arith.Vars() {
      public String get(String n) {
        return in.var(n);
      }

      public void set(String n, String v) {
        in.assign(n, v);
      }
    };
  }

  private static int parseStatus(String s) {
    try {
      return Integer.parseInt(s.trim()) & 0xff;
    } catch (NumberFormatException e) {
      return 2;
    }
  }

  static void errorTo(Interp in, Interp.Fds f, String msg) {
    f.stderr().write((in.errorLine(msg) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Writes a builtin's output; a write to a pipe nobody reads kills the shell with SIGPIPE. */
  static int write(Interp in, OutStream out, String s) {
    if (s.isEmpty()) {
      return 0;
    }
    if (out.isBroken()) {
      in.proc.die(Signals.PIPE);
      return 141;
    }
    out.write(s.getBytes(StandardCharsets.UTF_8));
    return 0;
  }

  // ---------------------------------------------------------------- echo / printf

  static String echo(Shell.Flavor flavor, List<String> args) {
    boolean newline = true;
    boolean escapes = flavor == Shell.Flavor.DASH;
    int i = 0;
    while (i < args.size()) {
      String a = args.get(i);
      if (a.length() < 2 || a.charAt(0) != '-') {
        break;
      }
      String opts = a.substring(1);
      boolean valid = opts.chars().allMatch(c -> flavor == Shell.Flavor.DASH ? c == 'n' : "neE".indexOf(c) >= 0);
      if (!valid) {
        break;
      }
      for (char c : opts.toCharArray()) {
        switch (c) {
          case 'n' -> newline = false;
          case 'e' -> escapes = true;
          case 'E' -> escapes = false;
          default -> { }
        }
      }
      i++;
    }
    StringBuilder sb = new StringBuilder();
    for (int j = i; j < args.size(); j++) {
      if (j > i) {
        sb.append(' ');
      }
      if (escapes) {
        int[] stop = new int[1];
        sb.append(escapes(args.get(j), true, stop));
        if (stop[0] == 1) {
          return sb.toString();
        }
      } else {
        sb.append(args.get(j));
      }
    }
    if (newline) {
      sb.append('\n');
    }
    return sb.toString();
  }

  /** Backslash escapes of echo -e / printf %b; {@code stop[0]} is set by \c. */
  static String escapes(String s, boolean echoStyle, int[] stop) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 >= s.length()) {
        sb.append(c);
        continue;
      }
      char e = s.charAt(++i);
      switch (e) {
        case 'a' -> sb.append('\007');
        case 'b' -> sb.append('\b');
        case 'c' -> {
          if (stop != null) {
            stop[0] = 1;
          }
          return sb.toString();
        }
        case 'e' -> sb.append('\033');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'v' -> sb.append('\013');
        case '\\' -> sb.append('\\');
        case '"' -> sb.append(echoStyle ? "\\\"" : "\"");
        case '\'' -> sb.append(echoStyle ? "\\'" : "'");
        case 'x' -> {
          int j = i + 1;
          int v = 0;
          while (j < s.length() && j < i + 3 && Character.digit(s.charAt(j), 16) >= 0) {
            v = v * 16 + Character.digit(s.charAt(j), 16);
            j++;
          }
          if (j == i + 1) {
            sb.append("\\x");
          } else {
            sb.append((char) v);
            i = j - 1;
          }
        }
        case '0', '1', '2', '3', '4', '5', '6', '7' -> {
          int j = i;
          int max = e == '0' && echoStyle ? i + 4 : i + 3;
          if (e == '0' && echoStyle) {
            j = i + 1;
          }
          int v = 0;
          int start = j;
          while (j < s.length() && j < max && s.charAt(j) >= '0' && s.charAt(j) <= '7') {
            v = v * 8 + (s.charAt(j) - '0');
            j++;
          }
          if (j == start && !(e == '0' && echoStyle)) {
            sb.append('\\').append(e);
          } else {
            sb.append((char) v);
            i = j - 1;
          }
        }
        default -> sb.append('\\').append(e);
      }
    }
    return sb.toString();
  }

  private static void printf(Interp in, List<String> args, Interp.Fds f, IntConsumer k) {
    if (args.isEmpty()) {
      errorTo(in, f, "printf: usage: printf format [arguments]");
      k.accept(2);
      return;
    }
    String[] err = new String[1];
    String s = Printf.format(args.get(0), args.subList(1, args.size()), err);
    int st = write(in, f.stdout(), s);
    if (err[0] != null) {
      errorTo(in, f, "printf: " + err[0]);
      st = 1;
    }
    k.accept(st);
  }

  // ---------------------------------------------------------------- test

  static int test(Interp in, List<String> args, Interp.Fds f) {
    try {
      return new Test(in.fs(), in.cwd(), in.flavor, args).evaluate() ? 0 : 1;
    } catch (Test.TestError e) {
      errorTo(in, f, e.getMessage());
      return 2;
    }
  }

  /** test(1): POSIX's argument-count rules up to four arguments, then -a/-o/!/() precedence. */
  static final class Test {
    static final class TestError extends RuntimeException {
      TestError(String m) {
        super(m, null, false, false);
      }
    }

    private static final Set<String> UNARY = Set.of("-b", "-c", "-d", "-e", "-f", "-g", "-h", "-L", "-k", "-n", "-p",
        "-r", "-s", "-S", "-t", "-u", "-w", "-x", "-z", "-O", "-G", "-N");
    private static final Set<String> BINARY = Set.of("=", "==", "!=", "<", ">", "-eq", "-ne", "-gt", "-ge", "-lt",
        "-le", "-nt", "-ot", "-ef");

    private final Vfs fs;
    private final String cwd;
    private final Shell.Flavor flavor;
    private final List<String> a;
    private int i;

    Test(Vfs fs, String cwd, Shell.Flavor flavor, List<String> args) {
      this.fs = fs;
      this.cwd = cwd;
      this.flavor = flavor;
      this.a = args;
    }

    boolean evaluate() {
      switch (a.size()) {
        case 0:
          return false;
        case 1:
          return !a.get(0).isEmpty();
        case 2:
          if (a.get(0).equals("!")) {
            return a.get(1).isEmpty();
          }
          if (UNARY.contains(a.get(0))) {
            return unary(a.get(0), a.get(1));
          }
          throw new TestError(flavor == Shell.Flavor.BASH ? "test: " + a.get(0) + ": unary operator expected"
              : "test: " + a.get(0) + ": unexpected operator");
        case 3:
          if (BINARY.contains(a.get(1))) {
            return binary(a.get(0), a.get(1), a.get(2));
          }
          if (a.get(0).equals("!")) {
            return !new Test(fs, cwd, flavor, a.subList(1, 3)).evaluate();
          }
          if (a.get(0).equals("(") && a.get(2).equals(")")) {
            return !a.get(1).isEmpty();
          }
          break;
        case 4:
          if (a.get(0).equals("!")) {
            return !new Test(fs, cwd, flavor, a.subList(1, 4)).evaluate();
          }
          break;
        default:
          break;
      }
      boolean r = or();
      if (i < a.size()) {
        throw new TestError("test: " + a.get(i) + ": unexpected operator");
      }
      return r;
    }

    private boolean or() {
      boolean r = and();
      while (i < a.size() && a.get(i).equals("-o")) {
        i++;
        boolean rhs = and();
        r = r || rhs;
      }
      return r;
    }

    private boolean and() {
      boolean r = not();
      while (i < a.size() && a.get(i).equals("-a")) {
        i++;
        boolean rhs = not();
        r = r && rhs;
      }
      return r;
    }

    private boolean not() {
      if (i < a.size() && a.get(i).equals("!")) {
        i++;
        return !not();
      }
      return primary();
    }

    private boolean primary() {
      if (i >= a.size()) {
        throw new TestError("test: argument expected");
      }
      String t = a.get(i);
      if (t.equals("(")) {
        i++;
        boolean r = or();
        if (i >= a.size() || !a.get(i).equals(")")) {
          throw new TestError("test: closing paren expected");
        }
        i++;
        return r;
      }
      if (i + 2 < a.size() + 0 && i + 2 <= a.size() - 1 && BINARY.contains(a.get(i + 1))) {
        boolean r = binary(t, a.get(i + 1), a.get(i + 2));
        i += 3;
        return r;
      }
      if (UNARY.contains(t) && i + 1 < a.size()) {
        boolean r = unary(t, a.get(i + 1));
        i += 2;
        return r;
      }
      i++;
      return !t.isEmpty();
    }

    private long integer(String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        throw new TestError(switch (flavor) {
          case ASH -> "test: invalid number '" + s + "'";
          case DASH -> "test: Illegal number: " + s;
          case BASH -> "test: " + s + ": integer expression expected";
        });
      }
    }

    private boolean binary(String l, String op, String r) {
      return switch (op) {
        case "=", "==" -> l.equals(r);
        case "!=" -> !l.equals(r);
        case "<" -> l.compareTo(r) < 0;
        case ">" -> l.compareTo(r) > 0;
        case "-eq" -> integer(l) == integer(r);
        case "-ne" -> integer(l) != integer(r);
        case "-gt" -> integer(l) > integer(r);
        case "-ge" -> integer(l) >= integer(r);
        case "-lt" -> integer(l) < integer(r);
        case "-le" -> integer(l) <= integer(r);
        case "-nt", "-ot" -> {
          Vfs.Node a1 = fs.find(cwd, l);
          Vfs.Node b1 = fs.find(cwd, r);
          if (a1 == null || b1 == null) {
            yield op.equals("-nt") ? a1 != null : b1 != null;
          }
          yield op.equals("-nt") ? a1.mtime.isAfter(b1.mtime) : a1.mtime.isBefore(b1.mtime);
        }
        case "-ef" -> fs.find(cwd, l) != null && fs.find(cwd, l) == fs.find(cwd, r);
        default -> false;
      };
    }

    private boolean unary(String op, String arg) {
      switch (op) {
        case "-n":
          return !arg.isEmpty();
        case "-z":
          return arg.isEmpty();
        case "-t":
          return false;
        case "-h":
        case "-L":
          try {
            return fs.lstat(cwd, arg) instanceof Vfs.Link;
          } catch (FsException e) {
            return false;
          }
        default:
          break;
      }
      Vfs.Node n = arg.isEmpty() ? null : fs.find(cwd, arg);
      if (n == null) {
        return false;
      }
      return switch (op) {
        case "-e" -> true;
        case "-f" -> n instanceof Vfs.File file && file.device == null;
        case "-d" -> n instanceof Vfs.Dir;
        case "-c" -> n instanceof Vfs.File file && file.device != null;
        case "-s" -> n instanceof Vfs.Dir || n instanceof Vfs.File file && file.data.length > 0;
        case "-r" -> true;
        case "-w" -> !fs.isReadOnly(cwd, arg);
        case "-x" -> n instanceof Vfs.Dir || (n.mode & 0111) != 0;
        case "-u" -> (n.mode & 04000) != 0;
        case "-g" -> (n.mode & 02000) != 0;
        case "-k" -> (n.mode & 01000) != 0;
        case "-O", "-G" -> true;
        default -> false;
      };
    }
  }

  // ---------------------------------------------------------------- state

  private static int cd(Interp in, List<String> args, Interp.Fds f) {
    String target = args.isEmpty() ? (in.var("HOME") == null ? "/" : in.var("HOME")) : args.get(0);
    boolean print = false;
    if (target.equals("-")) {
      target = in.var("OLDPWD") == null ? in.cwd() : in.var("OLDPWD");
      print = true;
    }
    String abs = Vfs.normalize(in.cwd(), target);
    Vfs.Node n = in.fs().find(in.cwd(), target);
    if (!(n instanceof Vfs.Dir)) {
      String reason = n == null ? "No such file or directory" : "Not a directory";
      errorTo(in, f, switch (in.flavor) {
        case ASH -> "cd: can't cd to " + target + ": " + reason;
        case DASH -> "cd: can't cd to " + target;
        case BASH -> "cd: " + target + ": " + reason;
      });
      return in.flavor == Shell.Flavor.DASH ? 2 : 1;
    }
    in.assign("OLDPWD", in.cwd());
    in.assign("PWD", abs);
    in.proc.setCwd(abs);
    if (print) {
      write(in, f.stdout(), abs + "\n");
    }
    return 0;
  }

  private static int export(Interp in, String name, List<String> args, Interp.Fds f) {
    boolean ro = name.equals("readonly");
    List<String> rest = new ArrayList<>(args);
    if (!rest.isEmpty() && (rest.get(0).equals("-p") || rest.get(0).equals("-n"))) {
      if (rest.get(0).equals("-n")) {
        for (String v : rest.subList(1, rest.size())) {
          Interp.Var var = in.vars.get(v);
          if (var != null) {
            var.exported = false;
          }
        }
        return 0;
      }
      rest.remove(0);
    }
    if (rest.isEmpty()) {
      StringBuilder sb = new StringBuilder();
      new TreeMap<>(in.vars).forEach((k, v) -> {
        if (ro ? v.readonly : v.exported) {
          sb.append(ro ? "readonly " : "export ").append(k);
          if (v.value != null) {
            sb.append("='").append(v.value.replace("'", "'\\''")).append('\'');
          }
          sb.append('\n');
        }
      });
      return write(in, f.stdout(), sb.toString());
    }
    for (String a : rest) {
      int eq = a.indexOf('=');
      String n = eq < 0 ? a : a.substring(0, eq);
      if (!n.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        errorTo(in, f, name + ": " + n + ": bad variable name");
        return in.flavor == Shell.Flavor.BASH ? 1 : 2;
      }
      Interp.Var v = in.vars.get(n);
      if (eq >= 0) {
        if (v != null && v.readonly) {
          errorTo(in, f, n + ": is read only");
          return 2;
        }
        if (v == null) {
          v = new Interp.Var(a.substring(eq + 1), false);
          in.vars.put(n, v);
        } else {
          v.value = a.substring(eq + 1);
        }
      } else if (v == null) {
        v = new Interp.Var(null, false);
        in.vars.put(n, v);
      }
      if (ro) {
        v.readonly = true;
      } else {
        v.exported = true;
      }
    }
    return 0;
  }

  private static int unset(Interp in, List<String> args, Interp.Fds f) {
    boolean functions = false;
    for (String a : args) {
      if (a.equals("-f")) {
        functions = true;
        continue;
      }
      if (a.equals("-v")) {
        continue;
      }
      if (functions) {
        in.functions.remove(a);
      } else {
        Interp.Var v = in.vars.get(a);
        if (v != null && v.readonly) {
          errorTo(in, f, "unset: " + a + ": is read only");
          return 1;
        }
        in.vars.remove(a);
      }
    }
    return 0;
  }

  private static int set(Interp in, List<String> args, Interp.Fds f) {
    if (args.isEmpty()) {
      StringBuilder sb = new StringBuilder();
      new TreeMap<>(in.vars).forEach((k, v) -> {
        if (v.value != null) {
          sb.append(k).append("='").append(v.value.replace("'", "'\\''")).append("'\n");
        }
      });
      return write(in, f.stdout(), sb.toString());
    }
    int i = 0;
    while (i < args.size()) {
      String a = args.get(i);
      if (a.equals("--")) {
        in.positional = new ArrayList<>(args.subList(i + 1, args.size()));
        return 0;
      }
      if ((a.equals("-o") || a.equals("+o")) && i + 1 < args.size()) {
        boolean on = a.startsWith("-");
        switch (args.get(i + 1)) {
          case "errexit" -> in.errexit = on;
          case "nounset" -> in.nounset = on;
          case "xtrace" -> in.xtrace = on;
          case "pipefail" -> in.pipefail = on;
          case "noglob" -> in.noglob = on;
          case "noclobber" -> in.noclobber = on;
          case "allexport" -> in.allexport = on;
          default -> { }
        }
        i += 2;
        continue;
      }
      if ((a.startsWith("-") || a.startsWith("+")) && a.length() > 1) {
        boolean on = a.startsWith("-");
        for (char c : a.substring(1).toCharArray()) {
          switch (c) {
            case 'e' -> in.errexit = on;
            case 'u' -> in.nounset = on;
            case 'x' -> in.xtrace = on;
            case 'f' -> in.noglob = on;
            case 'C' -> in.noclobber = on;
            case 'a' -> in.allexport = on;
            default -> { }
          }
        }
        i++;
        continue;
      }
      in.positional = new ArrayList<>(args.subList(i, args.size()));
      return 0;
    }
    return 0;
  }

  private static int shift(Interp in, List<String> args, Interp.Fds f) {
    int n = args.isEmpty() ? 1 : parseStatus(args.get(0));
    if (n > in.positional.size()) {
      errorTo(in, f, in.flavor == Shell.Flavor.BASH ? "shift: " + n + ": shift count out of range"
          : "shift: can't shift that many");
      return in.flavor == Shell.Flavor.BASH ? 1 : 2;
    }
    in.positional = new ArrayList<>(in.positional.subList(n, in.positional.size()));
    return 0;
  }

  private static int local(Interp in, List<String> args, Interp.Fds f) {
    if (in.localFrames.isEmpty()) {
      errorTo(in, f, "local: not in a function");
      return in.flavor == Shell.Flavor.BASH ? 1 : 2;
    }
    Map<String, Interp.Var> frame = in.localFrames.peek();
    for (String a : args) {
      int eq = a.indexOf('=');
      String n = eq < 0 ? a : a.substring(0, eq);
      if (!frame.containsKey(n)) {
        Interp.Var old = in.vars.get(n);
        frame.put(n, old == null ? null : old.copy());
      }
      if (eq >= 0) {
        in.vars.put(n, new Interp.Var(a.substring(eq + 1), in.vars.containsKey(n) && in.vars.get(n).exported));
      } else if (!in.vars.containsKey(n)) {
        in.vars.put(n, new Interp.Var(null, false));
      }
    }
    return 0;
  }

  private static void source(Interp in, List<String> args, Interp.Fds f, IntConsumer k) {
    if (args.isEmpty()) {
      errorTo(in, f, ".: filename argument required");
      k.accept(2);
      return;
    }
    String file = args.get(0);
    String path = file;
    if (!file.contains("/")) {
      for (String dir : (in.var("PATH") == null ? Machine.DEFAULT_PATH : in.var("PATH")).split(":")) {
        if (in.fs().isFile(in.cwd(), dir + "/" + file)) {
          path = dir + "/" + file;
          break;
        }
      }
    }
    String text;
    try {
      text = in.fs().readString(in.cwd(), path);
    } catch (FsException e) {
      errorTo(in, f, in.flavor == Shell.Flavor.ASH ? ".: can't open '" + file + "'" : ".: cannot open " + file
          + ": " + e.reason());
      in.exitShell(in.flavor == Shell.Flavor.BASH ? 1 : 2);
      return;
    }
    in.evalString(text, k);
  }

  private static void exec(Interp in, List<String> args, Interp.Fds f, IntConsumer k) {
    if (args.isEmpty()) {
      // "exec >file": the redirections stay for the rest of the shell
      Interp.Fds keep = f.copy();
      f.toClose.clear();
      in.fds = keep;
      k.accept(0);
      return;
    }
    Machine.Lookup l = in.machine.lookup(args, in.exportedEnv(), in.cwd());
    if (!l.found()) {
      errorTo(in, f, "exec: " + args.get(0) + ": not found");
      in.exitShell(127);
      return;
    }
    in.proc.replaceIo(f.stdin(), f.stdout(), f.stderr());
    in.proc.exec(l.argv(), in.exportedEnv(), l.program());
  }

  // ---------------------------------------------------------------- signals and jobs

  private static int trap(Interp in, List<String> args, Interp.Fds f) {
    if (args.isEmpty() || args.get(0).equals("-p")) {
      StringBuilder sb = new StringBuilder();
      new TreeMap<>(in.traps).forEach((sig, action) -> sb.append("trap -- '").append(action.replace("'", "'\\''"))
          .append("' ").append(sig == 0 ? "EXIT" : Signals.name(sig)).append('\n'));
      return write(in, f.stdout(), sb.toString());
    }
    if (args.get(0).equals("-l")) {
      return write(in, f.stdout(), "1) SIGHUP 2) SIGINT 3) SIGQUIT 9) SIGKILL 10) SIGUSR1 12) SIGUSR2 13) SIGPIPE "
          + "14) SIGALRM 15) SIGTERM 17) SIGCHLD\n");
    }
    List<String> rest = new ArrayList<>(args);
    if (rest.get(0).equals("--")) {
      rest.remove(0);
    }
    String action = rest.remove(0);
    if (rest.isEmpty() && Signals.parse(action) >= 0) {
      // "trap SIG": reset
      in.traps.remove(Signals.parse(action));
      return 0;
    }
    int st = 0;
    for (String s : rest) {
      int sig = Signals.parse(s);
      if (sig < 0 || sig == Signals.KILL || sig == Signals.STOP) {
        errorTo(in, f, "trap: " + s + ": bad trap");
        st = 1;
        continue;
      }
      if (action.equals("-")) {
        in.traps.remove(sig);
      } else {
        in.traps.put(sig, action);
      }
    }
    return st;
  }

  private static void waitBuiltin(Interp in, List<String> args, Interp.Fds f, IntConsumer k) {
    List<Proc> targets = new ArrayList<>();
    int status = 0;
    if (args.isEmpty()) {
      for (Proc p : in.jobs) {
        targets.add(p);
      }
    } else {
      for (String a : args) {
        int pid;
        try {
          pid = Integer.parseInt(a.startsWith("%") ? a.substring(1) : a);
        } catch (NumberFormatException e) {
          errorTo(in, f, "wait: " + a + ": invalid process id");
          k.accept(2);
          return;
        }
        Proc found = null;
        if (a.startsWith("%")) {
          found = pid >= 1 && pid <= in.jobs.size() ? in.jobs.get(pid - 1) : null;
        } else {
          for (Proc p : in.jobs) {
            if (p.pid() == pid) {
              found = p;
            }
          }
        }
        if (found == null) {
          status = 127;
          continue;
        }
        targets.add(found);
      }
    }
    if (targets.isEmpty()) {
      k.accept(status);
      return;
    }
    boolean[] done = new boolean[1];
    int[] remaining = {targets.size()};
    int[] last = {0};
    in.waitInterrupt = code -> {
      if (!done[0]) {
        done[0] = true;
        in.step(() -> k.accept(code));
      }
    };
    for (Proc p : targets) {
      p.onExit(st -> {
        last[0] = st;
        if (args.isEmpty()) {
          in.jobs.remove(p);
        }
        if (--remaining[0] == 0 && !done[0]) {
          done[0] = true;
          in.waitInterrupt = null;
          in.step(() -> k.accept(args.isEmpty() ? 0 : last[0]));
        }
      });
    }
  }

  private static int kill(Interp in, List<String> args, Interp.Fds f) {
    int sig = Signals.TERM;
    List<String> rest = new ArrayList<>(args);
    if (!rest.isEmpty() && rest.get(0).equals("-l")) {
      if (rest.size() > 1) {
        try {
          int n = Integer.parseInt(rest.get(1));
          return write(in, f.stdout(), Signals.name(n > 128 ? n - 128 : n) + "\n");
        } catch (NumberFormatException e) {
          return write(in, f.stdout(), Signals.parse(rest.get(1)) + "\n");
        }
      }
      return write(in, f.stdout(), "HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM\n");
    }
    if (!rest.isEmpty() && (rest.get(0).equals("-s") || rest.get(0).equals("-n")) && rest.size() > 1) {
      sig = Signals.parse(rest.get(1));
      rest = rest.subList(2, rest.size());
    } else if (!rest.isEmpty() && rest.get(0).startsWith("-") && rest.get(0).length() > 1
        && !rest.get(0).equals("--")) {
      sig = Signals.parse(rest.get(0).substring(1));
      rest = rest.subList(1, rest.size());
    }
    if (!rest.isEmpty() && rest.get(0).equals("--")) {
      rest = rest.subList(1, rest.size());
    }
    if (sig < 0) {
      errorTo(in, f, "kill: invalid signal specification");
      return 1;
    }
    if (rest.isEmpty()) {
      errorTo(in, f, "kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ...");
      return 2;
    }
    int st = 0;
    for (String target : rest) {
      List<Proc> procs = new ArrayList<>();
      try {
        if (target.startsWith("%")) {
          int n = Integer.parseInt(target.substring(1));
          if (n >= 1 && n <= in.jobs.size()) {
            procs.add(in.jobs.get(n - 1));
          }
        } else {
          int pid = Integer.parseInt(target);
          if (pid == 0 || pid == -1) {
            procs.addAll(in.machine.processes());
          } else {
            Proc p = in.machine.process(Math.abs(pid));
            if (p != null) {
              procs.add(p);
            }
          }
        }
      } catch (NumberFormatException e) {
        errorTo(in, f, "kill: " + target + ": arguments must be process or job IDs");
        st = 1;
        continue;
      }
      procs.removeIf(Proc::exited);
      if (procs.isEmpty()) {
        errorTo(in, f, switch (in.flavor) {
          case ASH -> "can't kill pid " + target + ": No such process";
          case DASH -> "kill: No such process";
          case BASH -> "kill: (" + target + ") - No such process";
        });
        st = 1;
        continue;
      }
      if (sig != 0) {
        for (Proc p : procs) {
          p.signal(sig);
        }
      }
    }
    return st;
  }

  // ---------------------------------------------------------------- read

  private static void read(Interp in, List<String> args, Interp.Fds f, IntConsumer k) {
    boolean raw = false;
    String prompt = null;
    List<String> names = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("-r")) {
        raw = true;
      } else if (a.equals("-p") && i + 1 < args.size()) {
        prompt = args.get(++i);
      } else if ((a.equals("-t") || a.equals("-n") || a.equals("-u") || a.equals("-d")) && i + 1 < args.size()) {
        i++;
      } else if (a.equals("-s")) {
        continue;
      } else {
        names.add(a);
      }
    }
    if (names.isEmpty()) {
      names.add("REPLY");
    }
    if (prompt != null) {
      f.stderr().write(prompt.getBytes(StandardCharsets.UTF_8));
    }
    boolean rawMode = raw;
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    readLine(in, f, line, rawMode, got -> {
      String text = line.toString(StandardCharsets.UTF_8);
      if (!rawMode) {
        text = text.replaceAll("\\\\(.)", "$1");
      }
      String ifs = in.var("IFS") == null ? " \t\n" : in.var("IFS");
      List<String> values = splitForRead(text, ifs, names.size());
      for (int i = 0; i < names.size(); i++) {
        in.assign(names.get(i), i < values.size() ? values.get(i) : "");
      }
      k.accept(got ? 0 : 1);
    });
  }

  private static void readLine(Interp in, Interp.Fds f, ByteArrayOutputStream acc, boolean raw,
                               java.util.function.Consumer<Boolean> done) {
    f.stdin().read(chunk -> {
      if (chunk == null) {
        done.accept(acc.size() > 0);
        return;
      }
      for (int i = 0; i < chunk.length; i++) {
        if (chunk[i] == '\n') {
          int len = acc.size();
          byte[] so = acc.toByteArray();
          if (!raw && len > 0 && so[len - 1] == '\\') {
            acc.reset();
            acc.write(so, 0, len - 1);
            continue;
          }
          byte[] rest = new byte[chunk.length - i - 1];
          System.arraycopy(chunk, i + 1, rest, 0, rest.length);
          f.stdin().unread(rest);
          done.accept(true);
          return;
        }
        acc.write(chunk[i]);
      }
      readLine(in, f, acc, raw, done);
    });
  }

  static List<String> splitForRead(String text, String ifs, int n) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < text.length() && ifs.indexOf(text.charAt(i)) >= 0 && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    while (i < text.length() && out.size() < n - 1) {
      int j = i;
      while (j < text.length() && ifs.indexOf(text.charAt(j)) < 0) {
        j++;
      }
      out.add(text.substring(i, j));
      i = j;
      if (i < text.length()) {
        i++;
        while (i < text.length() && ifs.indexOf(text.charAt(i)) >= 0 && Character.isWhitespace(text.charAt(i))) {
          i++;
        }
      }
    }
    if (i < text.length()) {
      String last = text.substring(i);
      int end = last.length();
      while (end > 0 && ifs.indexOf(last.charAt(end - 1)) >= 0 && Character.isWhitespace(last.charAt(end - 1))) {
        end--;
      }
      out.add(last.substring(0, end));
    }
    return out;
  }

  // ---------------------------------------------------------------- lookup

  private static int type(Interp in, List<String> args, Interp.Fds f, boolean shortForm) {
    int st = 0;
    StringBuilder sb = new StringBuilder();
    for (String n : args) {
      if (in.functions.containsKey(n)) {
        sb.append(shortForm ? n : n + " is a function").append('\n');
      } else if (Interp.SPECIAL_BUILTINS.contains(n) || isBuiltin(in, n)) {
        sb.append(shortForm ? n : n + " is a shell builtin").append('\n');
      } else {
        Machine.Lookup l = in.machine.lookup(List.of(n), in.exportedEnv(), in.cwd());
        if (l.found()) {
          sb.append(shortForm ? l.path() : n + " is " + l.path()).append('\n');
        } else {
          if (!shortForm) {
            errorTo(in, f, n + ": not found");
          }
          st = 1;
        }
      }
    }
    write(in, f.stdout(), sb.toString());
    return st;
  }

  private static void command(Interp in, List<String> args, Interp.Fds f, IntConsumer k) {
    if (!args.isEmpty() && (args.get(0).equals("-v") || args.get(0).equals("-V"))) {
      k.accept(type(in, args.subList(1, args.size()), f, args.get(0).equals("-v")));
      return;
    }
    if (args.isEmpty()) {
      k.accept(0);
      return;
    }
    List<String> argv = args.get(0).equals("-p") ? args.subList(1, args.size()) : args;
    if (Interp.SPECIAL_BUILTINS.contains(argv.get(0)) || isBuiltin(in, argv.get(0))) {
      run(in, new ArrayList<>(argv), f, k);
    } else {
      in.external(new ArrayList<>(argv), List.of(), f, k);
    }
  }

  private static int getopts(Interp in, List<String> args, Interp.Fds f) {
    if (args.size() < 2) {
      errorTo(in, f, "getopts: usage: getopts optstring name [arg]");
      return 2;
    }
    String spec = args.get(0);
    String name = args.get(1);
    List<String> params = args.size() > 2 ? args.subList(2, args.size()) : in.positional;
    int optind;
    try {
      optind = Integer.parseInt(in.var("OPTIND") == null ? "1" : in.var("OPTIND"));
    } catch (NumberFormatException e) {
      optind = 1;
    }
    String sub = in.var("_GETOPTS_SUB") == null ? "1" : in.var("_GETOPTS_SUB");
    int pos = Integer.parseInt(sub);
    if (optind > params.size()) {
      in.assign(name, "?");
      return 1;
    }
    String cur = params.get(optind - 1);
    if (!cur.startsWith("-") || cur.equals("-")) {
      in.assign(name, "?");
      return 1;
    }
    if (cur.equals("--")) {
      in.assign("OPTIND", Integer.toString(optind + 1));
      in.assign(name, "?");
      return 1;
    }
    char c = cur.charAt(pos);
    int idx = spec.indexOf(c);
    boolean last = pos + 1 >= cur.length();
    if (idx < 0) {
      in.assign(name, "?");
      if (!spec.startsWith(":")) {
        errorTo(in, f, "illegal option -- " + c);
      }
    } else {
      in.assign(name, String.valueOf(c));
      if (idx + 1 < spec.length() && spec.charAt(idx + 1) == ':') {
        if (!last) {
          in.assign("OPTARG", cur.substring(pos + 1));
        } else if (optind < params.size()) {
          in.assign("OPTARG", params.get(optind));
          optind++;
        }
        last = true;
      }
    }
    if (last) {
      in.assign("OPTIND", Integer.toString(optind + 1));
      in.assign("_GETOPTS_SUB", "1");
    } else {
      in.assign("_GETOPTS_SUB", Integer.toString(pos + 1));
    }
    return 0;
  }
}
