package io.kemu.kubelet.shell;

import java.util.regex.Pattern;

/**
 * Shell pattern matching (XCU 2.13): {@code *}, {@code ?}, bracket expressions with ranges, negation and character
 * classes; a backslash makes the next character literal (quoted characters reach here escaped).
 */
public final class Glob {
  private Glob() {}

  public static boolean hasMagic(String pattern) {
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '*' || c == '?' || c == '[') {
        return true;
      }
    }
    return false;
  }

  /** The pattern without its escapes (the literal it stands for when it has no magic). */
  public static String unescape(String pattern) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length()) {
        sb.append(pattern.charAt(++i));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Escapes every pattern character of a literal. */
  public static String escape(String literal) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < literal.length(); i++) {
      char c = literal.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }

  public static boolean matches(String pattern, String s) {
    return toRegex(pattern, false).matcher(s).matches();
  }

  /** A Java regex; {@code minimal} makes {@code *} reluctant (for ${x%pat} and ${x#pat}). */
  public static Pattern toRegex(String pattern, boolean minimal) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      switch (c) {
        case '\\' -> {
          if (i + 1 < pattern.length()) {
            re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
          } else {
            re.append("\\\\");
          }
        }
        case '*' -> re.append(minimal ? "[\\s\\S]*?" : "[\\s\\S]*");
        case '?' -> re.append("[\\s\\S]");
        case '[' -> {
          int end = bracketEnd(pattern, i);
          if (end < 0) {
            re.append("\\[");
          } else {
            re.append(bracket(pattern.substring(i + 1, end)));
            i = end;
          }
        }
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }

  private static int bracketEnd(String p, int open) {
    int j = open + 1;
    if (j < p.length() && (p.charAt(j) == '!' || p.charAt(j) == '^')) {
      j++;
    }
    if (j < p.length() && p.charAt(j) == ']') {
      j++;
    }
    while (j < p.length()) {
      char c = p.charAt(j);
      if (c == '[' && j + 1 < p.length() && p.charAt(j + 1) == ':') {
        int close = p.indexOf(":]", j + 2);
        if (close > 0) {
          j = close + 2;
          continue;
        }
      }
      if (c == '\\') {
        j += 2;
        continue;
      }
      if (c == ']') {
        return j;
      }
      j++;
    }
    return -1;
  }

  private static String bracket(String body) {
    StringBuilder sb = new StringBuilder("[");
    int i = 0;
    if (!body.isEmpty() && (body.charAt(0) == '!' || body.charAt(0) == '^')) {
      sb.append('^');
      i = 1;
    }
    for (; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '[' && i + 1 < body.length() && body.charAt(i + 1) == ':') {
        int close = body.indexOf(":]", i + 2);
        if (close > 0) {
          String cls = body.substring(i + 2, close);
          sb.append(switch (cls) {
            case "alpha" -> "\\p{Alpha}";
            case "digit" -> "\\d";
            case "alnum" -> "\\p{Alnum}";
            case "upper" -> "\\p{Upper}";
            case "lower" -> "\\p{Lower}";
            case "space" -> "\\s";
            case "blank" -> " \\t";
            case "punct" -> "\\p{Punct}";
            case "xdigit" -> "\\p{XDigit}";
            case "cntrl" -> "\\p{Cntrl}";
            case "print" -> "\\p{Print}";
            case "graph" -> "\\p{Graph}";
            default -> "";
          });
          i = close + 1;
          continue;
        }
      }
      if (c == '\\' && i + 1 < body.length()) {
        c = body.charAt(++i);
      }
      if (c == '-' && sb.length() > 1 && i + 1 < body.length()) {
        sb.append('-');
        continue;
      }
      if ("[]\\^-&".indexOf(c) >= 0) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.append(']').toString();
  }
}
