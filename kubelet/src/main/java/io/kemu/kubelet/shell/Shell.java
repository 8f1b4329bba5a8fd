package io.kemu.kubelet.shell;

import io.kemu.kubelet.runtime.fs.FsException;
import io.kemu.kubelet.runtime.proc.Proc;
import io.kemu.kubelet.runtime.proc.Program;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The shell as a program: {@code sh -c 'script' [name [args...]]}, {@code sh script [args...]}, or a script read
 * from standard input (a container whose command is plain {@code sh} and has no stdin reads end of file and exits
 * 0, as on a real node). Three flavours differ in their messages and a few builtins: busybox ash (busybox, alpine),
 * dash (debian's /bin/sh) and bash.
 */
public final class Shell implements Program {
  public enum Flavor { ASH, DASH, BASH }

  private final Flavor flavor;
  private Interp interp;

  public Shell(Flavor flavor) {
    this.flavor = flavor;
  }

  public Flavor flavor() {
    return flavor;
  }

  @Override
  public void main(Proc p) {
    interp = new Interp(flavor, p);
    List<String> args = new ArrayList<>(p.args());
    interp.arg0 = p.name().equals("bash") || p.name().equals("sh") || p.name().equals("ash")
        || p.name().equals("dash") ? p.name() : p.argv().get(0);
    String command = null;
    boolean readStdin = false;
    while (!args.isEmpty() && args.get(0).startsWith("-") && args.get(0).length() > 1 && command == null) {
      String opt = args.remove(0);
      if (opt.equals("--")) {
        break;
      }
      if (opt.equals("-o") || opt.equals("+o")) {
        if (!args.isEmpty()) {
          setLongOption(args.remove(0), opt.startsWith("-"));
        }
        continue;
      }
      if (opt.startsWith("--")) {
        continue; // --login, --norc...
      }
      for (char c : opt.substring(1).toCharArray()) {
        switch (c) {
          case 'c' -> command = "";
          case 'e' -> interp.errexit = true;
          case 'u' -> interp.nounset = true;
          case 'x' -> interp.xtrace = true;
          case 'f' -> interp.noglob = true;
          case 's' -> readStdin = true;
          default -> { }
        }
      }
    }
    if (command != null) {
      if (args.isEmpty()) {
        interp.error("-c requires an argument");
        p.exit(2);
        return;
      }
      command = args.remove(0);
      if (!args.isEmpty()) {
        interp.arg0 = args.remove(0);
      }
      interp.positional = args;
      runText(command, true);
      return;
    }
    if (!readStdin && !args.isEmpty()) {
      String file = args.remove(0);
      interp.positional = args;
      interp.arg0 = file;
      try {
        runText(p.machine().fs().readString(p.cwd(), file), false);
      } catch (FsException e) {
        p.eprintln(p.name() + ": " + (flavor == Flavor.DASH ? "0: " : "") + (flavor == Flavor.ASH
            ? "can't open '" + file + "'" : "cannot open " + file) + ": " + e.reason());
        p.exit(flavor == Flavor.BASH ? 127 : 2);
      }
      return;
    }
    interp.positional = args;
    p.stdin().readAll(bytes -> runText(new String(bytes, StandardCharsets.UTF_8), false));
  }

  private void setLongOption(String name, boolean on) {
    switch (name) {
      case "errexit" -> interp.errexit = on;
      case "nounset" -> interp.nounset = on;
      case "xtrace" -> interp.xtrace = on;
      case "pipefail" -> interp.pipefail = on;
      case "noglob" -> interp.noglob = on;
      default -> { }
    }
  }

  private void runText(String text, boolean dashC) {
    Ast.Node script;
    try {
      script = Parser.parse(text);
    } catch (ShellSyntaxException e) {
      interp.line = e.line();
      interp.error(syntaxMessage(flavor, e));
      interp.proc.exit(2);
      return;
    }
    // "sh -c 'cmd args'" with one simple command execs it, as dash, bash and busybox do
    interp.execLast = dashC && script instanceof Ast.Simple;
    interp.runScript(script);
  }

  static String syntaxMessage(Flavor flavor, ShellSyntaxException e) {
    return switch (flavor) {
      case ASH -> "syntax error: unexpected " + quoteToken(e.token());
      case DASH -> "Syntax error: " + quoteToken(e.token()) + " unexpected";
      case BASH -> "syntax error near unexpected token `" + e.token() + "'";
    };
  }

  private static String quoteToken(String t) {
    return t.startsWith("end of file") || t.equals("newline") || t.startsWith("bad substitution") ? t : "\"" + t + "\"";
  }

  /** test(1) / [(1) as a program (an exec probe running "test -f /tmp/ready"). */
  public static int test(Proc p, java.util.List<String> args, boolean bracket) {
    java.util.List<String> a = args;
    String name = bracket ? "[" : "test";
    if (bracket) {
      if (a.isEmpty() || !a.get(a.size() - 1).equals("]")) {
        p.eprintln(name + ": missing ]");
        return 2;
      }
      a = a.subList(0, a.size() - 1);
    }
    try {
      return new Builtins.Test(p.machine().fs(), p.cwd(), Flavor.ASH, a).evaluate() ? 0 : 1;
    } catch (Builtins.Test.TestError e) {
      p.eprintln(e.getMessage());
      return 2;
    }
  }

  @Override
  public void signal(Proc p, int sig) {
    if (interp == null) {
      p.defaultAction(sig);
    } else {
      interp.signal(sig);
    }
  }
}
