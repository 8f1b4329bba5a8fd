package io.kemu.kubelet.shell;

import java.util.List;
import java.util.Locale;

/**
 * printf(1): the format is reused while arguments remain; %s %b %c %d %i %o %u %x %X %e %f %g %% with flags, width
 * and precision (also {@code *}); numeric arguments accept a leading quote for a character's code.
 */
public final class Printf {
  private Printf() {}

  /** The output; {@code error[0]} is set to the first conversion error (the output continues, status 1). */
  public static String format(String fmt, List<String> args, String[] error) {
    StringBuilder out = new StringBuilder();
    int argi = 0;
    do {
      int[] used = {0};
      boolean stop = once(fmt, args, argi, out, used, error);
      argi += used[0];
      if (stop || used[0] == 0) {
        break;
      }
    } while (argi < args.size());
    return out.toString();
  }

  private static boolean once(String fmt, List<String> args, int start, StringBuilder out, int[] used,
                              String[] error) {
    int ai = start;
    for (int i = 0; i < fmt.length(); i++) {
      char c = fmt.charAt(i);
      if (c == '\\') {
        int j = i + 1;
        if (j < fmt.length() && fmt.charAt(j) == 'c') {
          used[0] = ai - start;
          return true;
        }
        int end = escapeEnd(fmt, i);
        out.append(Builtins.escapes(fmt.substring(i, end), false, null));
        i = end - 1;
        continue;
      }
      if (c != '%') {
        out.append(c);
        continue;
      }
      if (i + 1 < fmt.length() && fmt.charAt(i + 1) == '%') {
        out.append('%');
        i++;
        continue;
      }
      int j = i + 1;
      StringBuilder spec = new StringBuilder("%");
      while (j < fmt.length() && "-+ #0".indexOf(fmt.charAt(j)) >= 0) {
        spec.append(fmt.charAt(j++));
      }
      if (j < fmt.length() && fmt.charAt(j) == '*') {
        spec.append(ai < args.size() ? toLong(args.get(ai++), error) : 0);
        j++;
      }
      while (j < fmt.length() && Character.isDigit(fmt.charAt(j))) {
        spec.append(fmt.charAt(j++));
      }
      if (j < fmt.length() && fmt.charAt(j) == '.') {
        spec.append(fmt.charAt(j++));
        if (j < fmt.length() && fmt.charAt(j) == '*') {
          spec.append(ai < args.size() ? toLong(args.get(ai++), error) : 0);
          j++;
        }
        while (j < fmt.length() && Character.isDigit(fmt.charAt(j))) {
          spec.append(fmt.charAt(j++));
        }
      }
      while (j < fmt.length() && "hlLqjzt".indexOf(fmt.charAt(j)) >= 0) {
        j++;
      }
      if (j >= fmt.length()) {
        out.append(fmt, i, j);
        break;
      }
      char conv = fmt.charAt(j);
      String arg = ai < args.size() ? args.get(ai) : null;
      if (arg != null) {
        ai++;
      }
      String s = spec.toString();
      try {
        switch (conv) {
          case 's' -> out.append(String.format(Locale.ROOT, s + "s", arg == null ? "" : arg));
          case 'b' -> {
            int[] stop = new int[1];
            out.append(String.format(Locale.ROOT, s + "s", Builtins.escapes(arg == null ? "" : arg, true, stop)));
            if (stop[0] == 1) {
              used[0] = ai - start;
              return true;
            }
          }
          case 'c' -> out.append(arg == null || arg.isEmpty() ? "" : arg.substring(0, 1));
          case 'd', 'i' -> out.append(String.format(Locale.ROOT, s + "d", arg == null ? 0 : toLong(arg, error)));
          case 'u' -> out.append(String.format(Locale.ROOT, s + "d", arg == null ? 0 : toLong(arg, error)));
          case 'o' -> out.append(String.format(Locale.ROOT, s + "o", arg == null ? 0 : toLong(arg, error)));
          case 'x' -> out.append(String.format(Locale.ROOT, s + "x", arg == null ? 0 : toLong(arg, error)));
          case 'X' -> out.append(String.format(Locale.ROOT, s + "X", arg == null ? 0 : toLong(arg, error)));
          case 'e', 'E', 'f', 'F', 'g', 'G' -> out.append(String.format(Locale.ROOT, s + (conv == 'F' ? 'f' : conv),
              arg == null ? 0.0 : toDouble(arg, error)));
          default -> {
            if (error[0] == null) {
              error[0] = "%" + conv + ": invalid directive";
            }
            out.append(fmt, i, j + 1);
          }
        }
      } catch (java.util.IllegalFormatException e) {
        out.append(arg == null ? "" : arg);
      }
      i = j;
    }
    used[0] = ai - start;
    return false;
  }

  private static int escapeEnd(String fmt, int i) {
    int j = i + 1;
    if (j >= fmt.length()) {
      return j;
    }
    char e = fmt.charAt(j);
    if (e >= '0' && e <= '7') {
      int k = j;
      while (k < fmt.length() && k < j + 3 && fmt.charAt(k) >= '0' && fmt.charAt(k) <= '7') {
        k++;
      }
      return k;
    }
    if (e == 'x') {
      int k = j + 1;
      while (k < fmt.length() && k < j + 3 && Character.digit(fmt.charAt(k), 16) >= 0) {
        k++;
      }
      return k;
    }
    return j + 1;
  }

  static long toLong(String s, String[] error) {
    String t = s.trim();
    if (t.startsWith("'") || t.startsWith("\"")) {
      return t.length() > 1 ? t.charAt(1) : 0;
    }
    try {
      if (t.startsWith("0x") || t.startsWith("0X")) {
        return Long.parseLong(t.substring(2), 16);
      }
      if (t.startsWith("-0x")) {
        return -Long.parseLong(t.substring(3), 16);
      }
      if (t.length() > 1 && t.startsWith("0") && t.chars().allMatch(Character::isDigit)) {
        return Long.parseLong(t, 8);
      }
      return Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
    } catch (NumberFormatException e) {
      if (error[0] == null) {
        error[0] = s + ": invalid number";
      }
      return 0;
    }
  }

  private static double toDouble(String s, String[] error) {
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      if (error[0] == null) {
        error[0] = s + ": invalid number";
      }
      return 0;
    }
  }
}
