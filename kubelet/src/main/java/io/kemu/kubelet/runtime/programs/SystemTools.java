package io.kemu.kubelet.runtime.programs;

import io.kemu.kubelet.runtime.proc.Kernel;
import io.kemu.kubelet.runtime.proc.Machine;
import io.kemu.kubelet.runtime.proc.Proc;
import io.kemu.kubelet.runtime.proc.Signals;
import io.kemu.kubelet.shell.Shell;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Process and system utilities: sleep, env, printenv, hostname, id, uname, date, ps, kill, killall, timeout... */
final class SystemTools {
  private SystemTools() {}

  static Utility create(String name, boolean busybox) {
    return switch (name) {
      case "sleep" -> new Sleep(busybox);
      case "true" -> new Status("true", busybox, 0);
      case "false" -> new Status("false", busybox, 1);
      case "env" -> new Env(busybox);
      case "printenv" -> new Printenv(busybox);
      case "hostname" -> new Hostname(busybox);
      case "id" -> new Id(busybox);
      case "whoami" -> new Fixed("whoami", busybox, "root\n");
      case "uname" -> new Uname(busybox);
      case "date" -> new Date(busybox);
      case "ps" -> new Ps(busybox);
      case "kill" -> new Kill(busybox);
      case "killall", "pkill" -> new Killall(name, busybox);
      case "pidof", "pgrep" -> new Pidof(name, busybox);
      case "timeout" -> new Timeout(busybox);
      case "nohup" -> new Nohup(busybox);
      case "which" -> new Which(busybox);
      case "free" -> new Fixed("free", busybox, "               total        used        free      shared  buff/cache"
          + "   available\nMem:        32768000      512000    31000000        1024     1256000    32000000\n"
          + "Swap:              0           0           0\n");
      case "nproc" -> new Fixed("nproc", busybox, "8\n");
      case "uptime" -> new Fixed("uptime", busybox, " 10:00:00 up 1 day,  0:00,  0 users,  load average: 0.00, "
          + "0.00, 0.00\n");
      case "xargs" -> new Xargs(busybox);
      case "test", "[" -> new TestTool(name, busybox);
      case "pwd" -> new Pwd(busybox);
      case "mount" -> new Mount(busybox);
      case "tty" -> new Fixed("tty", busybox, "not a tty\n", 1);
      default -> null;
    };
  }

  static final class Status extends Utility {
    private final int code;

    Status(String name, boolean busybox, int code) {
      super(name, busybox);
      this.code = code;
    }

    @Override
    int run(Proc p, List<String> args) {
      return code;
    }
  }

  static final class Fixed extends Utility {
    private final String text;
    private final int code;

    Fixed(String name, boolean busybox, String text) {
      this(name, busybox, text, 0);
    }

    Fixed(String name, boolean busybox, String text, int code) {
      super(name, busybox);
      this.text = text;
      this.code = code;
    }

    @Override
    int run(Proc p, List<String> args) {
      out(p, text);
      return code;
    }
  }

  static final class TestTool extends Utility {
    TestTool(String name, boolean busybox) {
      super(name, busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      return Shell.test(p, args, name.equals("["));
    }
  }

  static final class Pwd extends Utility {
    Pwd(boolean busybox) {
      super("pwd", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      out(p, p.cwd() + "\n");
      return 0;
    }
  }

  /** sleep NUMBER[smhd]... (fractions and "infinity" accepted); the time is emulated, scaled by kemu.time-scale. */
  static final class Sleep extends Utility {
    Sleep(boolean busybox) {
      super("sleep", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      if (args.isEmpty()) {
        err(p, busybox ? "usage: sleep [N]..." : "missing operand");
        return 1;
      }
      Duration total = Duration.ZERO;
      for (String a : args) {
        Duration d = parseDuration(a);
        if (d == null) {
          err(p, busybox ? "invalid number '" + a + "'" : "invalid time interval '" + a + "'");
          return 1;
        }
        if (d.getSeconds() >= Long.MAX_VALUE / 4) {
          return ASYNC; // forever: only a signal ends it
        }
        total = total.plus(d);
      }
      p.sleep(total, () -> p.exit(0));
      return ASYNC;
    }
  }

  /** "5", "0.5", "2m", "1h", "infinity"; null if invalid. */
  static Duration parseDuration(String a) {
    if (a.equals("infinity") || a.equals("inf")) {
      return Duration.ofSeconds(Long.MAX_VALUE / 2);
    }
    String num = a;
    long unit = 1;
    if (!a.isEmpty() && "smhd".indexOf(a.charAt(a.length() - 1)) >= 0) {
      unit = switch (a.charAt(a.length() - 1)) {
        case 'm' -> 60;
        case 'h' -> 3600;
        case 'd' -> 86400;
        default -> 1;
      };
      num = a.substring(0, a.length() - 1);
    }
    try {
      double v = Double.parseDouble(num);
      if (v < 0 || Double.isNaN(v)) {
        return null;
      }
      if (v * unit > 1e12) {
        return Duration.ofSeconds(Long.MAX_VALUE / 2);
      }
      return Duration.ofNanos((long) (v * unit * 1e9));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static final class Env extends Utility {
    Env(boolean busybox) {
      super("env", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      Map<String, String> env = new LinkedHashMap<>(p.env());
      int i = 0;
      while (i < args.size()) {
        String a = args.get(i);
        if (a.equals("-i") || a.equals("-")) {
          env.clear();
        } else if (a.equals("-u") && i + 1 < args.size()) {
          env.remove(args.get(++i));
        } else if (a.contains("=") && !a.startsWith("=")) {
          env.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        } else {
          break;
        }
        i++;
      }
      if (i >= args.size()) {
        StringBuilder sb = new StringBuilder();
        env.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        out(p, sb.toString());
        return 0;
      }
      List<String> argv = new ArrayList<>(args.subList(i, args.size()));
      Machine.Lookup l = p.machine().lookup(argv, env, p.cwd());
      if (!l.found()) {
        err(p, busybox ? "can't execute '" + argv.get(0) + "': No such file or directory"
            : "'" + argv.get(0) + "': No such file or directory");
        return 127;
      }
      p.exec(l.argv(), env, l.program());
      return ASYNC;
    }
  }

  static final class Printenv extends Utility {
    Printenv(boolean busybox) {
      super("printenv", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      StringBuilder sb = new StringBuilder();
      if (args.isEmpty()) {
        p.env().forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        out(p, sb.toString());
        return 0;
      }
      int st = 0;
      for (String n : args) {
        String v = p.env().get(n);
        if (v == null) {
          st = 1;
        } else {
          sb.append(v).append('\n');
        }
      }
      out(p, sb.toString());
      return st;
    }
  }

  static final class Hostname extends Utility {
    Hostname(boolean busybox) {
      super("hostname", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      if (args.contains("-i") || args.contains("-I")) {
        out(p, (p.machine().net() == null ? "127.0.0.1" : p.machine().net().podIp()) + (args.contains("-I") ? " \n"
            : "\n"));
        return 0;
      }
      out(p, p.machine().hostname() + "\n");
      return 0;
    }
  }

  static final class Id extends Utility {
    Id(boolean busybox) {
      super("id", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      boolean name = args.contains("-n") || args.contains("-un") || args.contains("-nu") || args.contains("-gn");
      if (args.stream().anyMatch(a -> a.contains("u"))) {
        out(p, name ? "root\n" : "0\n");
      } else if (args.stream().anyMatch(a -> a.contains("g"))) {
        out(p, name ? "root\n" : "0\n");
      } else {
        out(p, busybox ? "uid=0(root) gid=0(root) groups=0(root),10(wheel)\n" : "uid=0(root) gid=0(root) "
            + "groups=0(root)\n");
      }
      return 0;
    }
  }

  static final class Uname extends Utility {
    Uname(boolean busybox) {
      super("uname", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      String host = p.machine().hostname();
      String kernel = "6.1.0-kemu";
      String version = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.0-kemu";
      if (args.contains("-a")) {
        out(p, "Linux " + host + " " + kernel + " " + version + " x86_64 " + (busybox ? "GNU/Linux" : "GNU/Linux")
            + "\n");
        return 0;
      }
      List<String> parts = new ArrayList<>();
      for (String a : args) {
        for (char c : a.replace("-", "").toCharArray()) {
          parts.add(switch (c) {
            case 'n' -> host;
            case 'r' -> kernel;
            case 'v' -> version;
            case 'm', 'p', 'i' -> "x86_64";
            case 'o' -> "GNU/Linux";
            default -> "Linux";
          });
        }
      }
      out(p, (parts.isEmpty() ? "Linux" : String.join(" ", parts)) + "\n");
      return 0;
    }
  }

  static final class Date extends Utility {
    Date(boolean busybox) {
      super("date", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      Instant now = p.kernel().now();
      String fmt = null;
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        if (a.startsWith("+")) {
          fmt = a.substring(1);
        } else if ((a.equals("-d") || a.equals("--date")) && i + 1 < args.size()) {
          String d = args.get(++i);
          if (d.startsWith("@")) {
            now = Instant.ofEpochSecond(parseLong(d.substring(1), 0));
          }
        } else if (a.equals("-I") || a.startsWith("--iso")) {
          fmt = "%Y-%m-%d";
        } else if (a.equals("-R")) {
          fmt = "%a, %d %b %Y %H:%M:%S +0000";
        }
      }
      ZonedDateTime t = now.atZone(ZoneOffset.UTC);
      out(p, strftime(fmt == null ? "%a %b %e %H:%M:%S %Z %Y" : fmt, t) + "\n");
      return 0;
    }
  }

  static String strftime(String fmt, ZonedDateTime t) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < fmt.length(); i++) {
      char c = fmt.charAt(i);
      if (c != '%' || i + 1 >= fmt.length()) {
        sb.append(c);
        continue;
      }
      char f = fmt.charAt(++i);
      switch (f) {
        case 'Y' -> sb.append(t.getYear());
        case 'y' -> sb.append(String.format("%02d", t.getYear() % 100));
        case 'm' -> sb.append(String.format("%02d", t.getMonthValue()));
        case 'd' -> sb.append(String.format("%02d", t.getDayOfMonth()));
        case 'e' -> sb.append(String.format("%2d", t.getDayOfMonth()));
        case 'H' -> sb.append(String.format("%02d", t.getHour()));
        case 'k' -> sb.append(String.format("%2d", t.getHour()));
        case 'I' -> sb.append(String.format("%02d", t.getHour() % 12 == 0 ? 12 : t.getHour() % 12));
        case 'l' -> sb.append(String.format("%2d", t.getHour() % 12 == 0 ? 12 : t.getHour() % 12));
        case 'p' -> sb.append(t.getHour() < 12 ? "AM" : "PM");
        case 'M' -> sb.append(String.format("%02d", t.getMinute()));
        case 'S' -> sb.append(String.format("%02d", t.getSecond()));
        case 'N' -> sb.append(String.format("%09d", t.getNano()));
        case 's' -> sb.append(t.toEpochSecond());
        case 'Z' -> sb.append("UTC");
        case 'z' -> sb.append("+0000");
        case 'a' -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ROOT));
        case 'A' -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ROOT));
        case 'b', 'h' -> sb.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ROOT));
        case 'B' -> sb.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ROOT));
        case 'j' -> sb.append(String.format("%03d", t.getDayOfYear()));
        case 'u' -> sb.append(t.getDayOfWeek().getValue());
        case 'w' -> sb.append(t.getDayOfWeek().getValue() % 7);
        case 'F' -> sb.append(strftime("%Y-%m-%d", t));
        case 'T' -> sb.append(strftime("%H:%M:%S", t));
        case 'D' -> sb.append(strftime("%m/%d/%y", t));
        case 'R' -> sb.append(strftime("%H:%M", t));
        case 'c' -> sb.append(strftime("%a %b %e %H:%M:%S %Y", t));
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        case '%' -> sb.append('%');
        default -> sb.append('%').append(f);
      }
    }
    return sb.toString();
  }

  static final class Ps extends Utility {
    Ps(boolean busybox) {
      super("ps", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      StringBuilder sb = new StringBuilder(busybox ? "PID   USER     TIME  COMMAND\n"
          : "    PID TTY          TIME CMD\n");
      for (Proc q : p.machine().processes()) {
        if (busybox) {
          sb.append(String.format("%5d %-8s  0:00 %s%n", q.pid(), "root", String.join(" ", q.argv())));
        } else {
          sb.append(String.format("%7d ?        00:00:00 %s%n", q.pid(), q.name()));
        }
      }
      out(p, sb.toString());
      return 0;
    }
  }

  static int signalArg(String a) {
    return Signals.parse(a.startsWith("-") ? a.substring(1) : a);
  }

  static final class Kill extends Utility {
    Kill(boolean busybox) {
      super("kill", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      int sig = Signals.TERM;
      List<String> pids = new ArrayList<>();
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        if (a.equals("-s") && i + 1 < args.size()) {
          sig = Signals.parse(args.get(++i));
        } else if (a.equals("-l")) {
          out(p, "HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM\n");
          return 0;
        } else if (a.startsWith("-") && a.length() > 1 && pids.isEmpty()) {
          sig = signalArg(a);
        } else {
          pids.add(a);
        }
      }
      if (sig < 0) {
        err(p, "bad signal name");
        return 1;
      }
      int st = 0;
      for (String a : pids) {
        Proc q = p.machine().process((int) parseLong(a, -1));
        if (q == null) {
          err(p, busybox ? "can't kill pid " + a + ": No such process" : "(" + a + "): No such process");
          st = 1;
        } else if (sig != 0) {
          q.signal(sig);
        }
      }
      return st;
    }
  }

  static final class Killall extends Utility {
    Killall(String name, boolean busybox) {
      super(name, busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      int sig = Signals.TERM;
      boolean quiet = false;
      boolean full = false;
      List<String> names = new ArrayList<>();
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        if (a.equals("-q")) {
          quiet = true;
        } else if (a.equals("-f")) {
          full = true;
        } else if (a.equals("-s") && i + 1 < args.size()) {
          sig = Signals.parse(args.get(++i));
        } else if (a.startsWith("-") && a.length() > 1) {
          sig = signalArg(a);
        } else {
          names.add(a);
        }
      }
      int st = 0;
      for (String n : names) {
        List<Proc> found = new ArrayList<>();
        for (Proc q : p.machine().processes()) {
          if (q == p) {
            continue;
          }
          boolean match = name.equals("pkill") ? (full ? String.join(" ", q.argv()) : q.name()).contains(n)
              : q.name().equals(n);
          if (match) {
            found.add(q);
          }
        }
        if (found.isEmpty()) {
          if (!quiet && name.equals("killall")) {
            err(p, n + ": no process killed");
          }
          st = 1;
          continue;
        }
        if (sig != 0) {
          for (Proc q : found) {
            q.signal(sig);
          }
        }
      }
      return st;
    }
  }

  static final class Pidof extends Utility {
    Pidof(String name, boolean busybox) {
      super(name, busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      List<String> pids = new ArrayList<>();
      for (String n : args) {
        if (n.startsWith("-")) {
          continue;
        }
        for (Proc q : p.machine().processes()) {
          if (q != p && (name.equals("pgrep") ? q.name().contains(n) : q.name().equals(n))) {
            pids.add(Integer.toString(q.pid()));
          }
        }
      }
      if (pids.isEmpty()) {
        return 1;
      }
      out(p, String.join(name.equals("pgrep") ? "\n" : " ", pids) + "\n");
      return 0;
    }
  }

  static final class Timeout extends Utility {
    Timeout(boolean busybox) {
      super("timeout", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      int sig = Signals.TERM;
      int i = 0;
      while (i < args.size() && args.get(i).startsWith("-")) {
        String a = args.get(i);
        if (a.equals("-s") && i + 1 < args.size()) {
          sig = Signals.parse(args.get(++i));
        } else if (a.startsWith("--signal=")) {
          sig = Signals.parse(a.substring(9));
        } else if (a.equals("-k") && i + 1 < args.size()) {
          i++;
        }
        i++;
      }
      if (i + 1 >= args.size()) {
        err(p, "missing operand");
        return 125;
      }
      Duration d = parseDuration(args.get(i));
      if (d == null) {
        err(p, "invalid time interval '" + args.get(i) + "'");
        return 125;
      }
      List<String> argv = new ArrayList<>(args.subList(i + 1, args.size()));
      Machine.Lookup l = p.machine().lookup(argv, p.env(), p.cwd());
      if (!l.found()) {
        err(p, "failed to run command '" + argv.get(0) + "': No such file or directory");
        return 127;
      }
      Proc child = p.machine().spawn(p, l.argv(), p.env(), p.cwd(), p.stdin().dup(), p.stdout().dup(),
          p.stderr().dup(), l.program());
      boolean[] timedOut = {false};
      int s = sig;
      Kernel.Cancellable timer = p.kernel().after(d, () -> {
        timedOut[0] = true;
        child.signal(s);
      });
      p.blockOn(timer);
      child.onExit(st -> p.exit(timedOut[0] ? 124 : st));
      return ASYNC;
    }
  }

  static final class Nohup extends Utility {
    Nohup(boolean busybox) {
      super("nohup", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      if (args.isEmpty()) {
        err(p, "missing operand");
        return 125;
      }
      Machine.Lookup l = p.machine().lookup(args, p.env(), p.cwd());
      if (!l.found()) {
        err(p, "failed to run command '" + args.get(0) + "': No such file or directory");
        return 127;
      }
      p.exec(l.argv(), l.program());
      return ASYNC;
    }
  }

  static final class Which extends Utility {
    Which(boolean busybox) {
      super("which", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      int st = 0;
      StringBuilder sb = new StringBuilder();
      for (String a : args) {
        if (a.startsWith("-")) {
          continue;
        }
        Machine.Lookup l = p.machine().lookup(List.of(a), p.env(), p.cwd());
        if (l.found()) {
          sb.append(l.path()).append('\n');
        } else {
          st = 1;
        }
      }
      out(p, sb.toString());
      return st;
    }
  }

  static final class Xargs extends Utility {
    Xargs(boolean busybox) {
      super("xargs", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      int i = 0;
      String replace = null;
      int perCall = Integer.MAX_VALUE;
      while (i < args.size() && args.get(i).startsWith("-")) {
        String a = args.get(i);
        if (a.equals("-I") && i + 1 < args.size()) {
          replace = args.get(++i);
          perCall = 1;
        } else if (a.equals("-n") && i + 1 < args.size()) {
          perCall = (int) parseLong(args.get(++i), 1);
        }
        i++;
      }
      List<String> cmd = i < args.size() ? new ArrayList<>(args.subList(i, args.size())) : new ArrayList<>(
          List.of("echo"));
      String rep = replace;
      int n = perCall;
      p.stdin().readAll(b -> {
        String in = text(b);
        List<String> items = rep != null ? lines(in) : List.of(in.trim().isEmpty() ? new String[0]
            : in.trim().split("\\s+"));
        List<List<String>> calls = new ArrayList<>();
        if (items.isEmpty() && rep == null) {
          calls.add(new ArrayList<>(cmd));
        }
        for (int s = 0; s < items.size(); s += n) {
          List<String> argv = new ArrayList<>();
          List<String> chunk = items.subList(s, Math.min(items.size(), s + n));
          if (rep != null) {
            for (String c : cmd) {
              argv.add(c.replace(rep, chunk.get(0)));
            }
          } else {
            argv.addAll(cmd);
            argv.addAll(chunk);
          }
          calls.add(argv);
        }
        runCalls(p, calls, 0, 0);
      });
      return ASYNC;
    }

    private void runCalls(Proc p, List<List<String>> calls, int i, int worst) {
      if (i >= calls.size()) {
        p.exit(worst);
        return;
      }
      List<String> argv = calls.get(i);
      Machine.Lookup l = p.machine().lookup(argv, p.env(), p.cwd());
      if (!l.found()) {
        err(p, argv.get(0) + ": No such file or directory");
        p.exit(127);
        return;
      }
      Proc child = p.machine().spawn(p, l.argv(), p.env(), p.cwd(), io.kemu.kubelet.runtime.proc.InStream.empty(
          p.kernel()), p.stdout().dup(), p.stderr().dup(), l.program());
      child.onExit(st -> runCalls(p, calls, i + 1, st != 0 ? 123 : worst));
    }
  }

  static final class Mount extends Utility {
    Mount(boolean busybox) {
      super("mount", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      StringBuilder sb = new StringBuilder("overlay on / type overlay (rw,relatime)\n"
          + "proc on /proc type proc (rw,nosuid,nodev,noexec,relatime)\n"
          + "tmpfs on /dev type tmpfs (rw,nosuid,size=65536k,mode=755)\n");
      p.machine().fs().mounts().values().stream().sorted((a, b) -> a.path().compareTo(b.path())).forEach(m ->
          sb.append("/dev/vda1 on ").append(m.path()).append(" type ext4 (").append(m.readOnly() ? "ro" : "rw")
              .append(",relatime)\n"));
      out(p, sb.toString());
      return 0;
    }
  }
}
