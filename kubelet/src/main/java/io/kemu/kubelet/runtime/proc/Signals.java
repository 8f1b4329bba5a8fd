package io.kemu.kubelet.runtime.proc;

import java.util.Locale;
import java.util.Map;

/** Linux signal numbers and names (x86-64). */
public final class Signals {
  private Signals() {}

  public static final int HUP = 1;
  public static final int INT = 2;
  public static final int QUIT = 3;
  public static final int KILL = 9;
  public static final int USR1 = 10;
  public static final int USR2 = 12;
  public static final int PIPE = 13;
  public static final int ALRM = 14;
  public static final int TERM = 15;
  public static final int CHLD = 17;
  public static final int CONT = 18;
  public static final int STOP = 19;
  public static final int WINCH = 28;

  /** The pseudo-signal of shell traps that run when the shell exits. */
  public static final int EXIT = 0;

  private static final Map<String, Integer> BY_NAME = Map.ofEntries(Map.entry("HUP", HUP), Map.entry("INT", INT),
      Map.entry("QUIT", QUIT), Map.entry("KILL", KILL), Map.entry("USR1", USR1), Map.entry("USR2", USR2),
      Map.entry("PIPE", PIPE), Map.entry("ALRM", ALRM), Map.entry("TERM", TERM), Map.entry("CHLD", CHLD),
      Map.entry("CONT", CONT), Map.entry("STOP", STOP), Map.entry("WINCH", WINCH), Map.entry("EXIT", EXIT),
      Map.entry("ABRT", 6), Map.entry("SEGV", 11), Map.entry("TRAP", 5), Map.entry("BUS", 7), Map.entry("FPE", 8),
      Map.entry("TSTP", 20), Map.entry("TTIN", 21), Map.entry("TTOU", 22), Map.entry("URG", 23));

  /** A signal by name (TERM, SIGTERM, term) or number; -1 if unknown. */
  public static int parse(String s) {
    String n = s.toUpperCase(Locale.ROOT);
    if (n.startsWith("SIG")) {
      n = n.substring(3);
    }
    Integer v = BY_NAME.get(n);
    if (v != null) {
      return v;
    }
    try {
      int num = Integer.parseInt(s);
      return num >= 0 && num < 65 ? num : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  public static String name(int sig) {
    for (Map.Entry<String, Integer> e : BY_NAME.entrySet()) {
      if (e.getValue() == sig) {
        return e.getKey();
      }
    }
    return Integer.toString(sig);
  }

  /** strsignal(3), as pause and shells print it. */
  public static String description(int sig) {
    return switch (sig) {
      case HUP -> "Hangup";
      case INT -> "Interrupt";
      case QUIT -> "Quit";
      case KILL -> "Killed";
      case USR1 -> "User defined signal 1";
      case USR2 -> "User defined signal 2";
      case PIPE -> "Broken pipe";
      case ALRM -> "Alarm clock";
      case TERM -> "Terminated";
      default -> "Signal " + sig;
    };
  }
}
