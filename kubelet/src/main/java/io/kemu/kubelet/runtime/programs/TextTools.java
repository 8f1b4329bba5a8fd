package io.kemu.kubelet.runtime.programs;

import io.kemu.kubelet.runtime.fs.FsException;
import io.kemu.kubelet.runtime.fs.Vfs;
import io.kemu.kubelet.runtime.proc.Proc;
import io.kemu.kubelet.shell.Printf;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Text utilities: head, tail, wc, grep, sed, cut, tr, sort, uniq, tee, tac, rev, seq, yes, expr, base64, sums. */
final class TextTools {
  private TextTools() {}

  static Utility create(String name, boolean busybox) {
    return switch (name) {
      case "head" -> new Head(busybox);
      case "tail" -> new Tail(busybox);
      case "wc" -> new Wc(busybox);
      case "grep", "egrep", "fgrep" -> new Grep(name, busybox);
      case "sed" -> new Sed(busybox);
      case "awk" -> new Awk(busybox);
      case "cut" -> new Cut(busybox);
      case "tr" -> new Tr(busybox);
      case "sort" -> new Sort(busybox);
      case "uniq" -> new Uniq(busybox);
      case "tee" -> new Tee(busybox);
      case "tac" -> new Tac(busybox);
      case "rev" -> new Rev(busybox);
      case "seq" -> new Seq(busybox);
      case "yes" -> new Yes(busybox);
      case "expr" -> new Expr(busybox);
      case "base64" -> new B64(busybox);
      case "md5sum", "sha1sum", "sha256sum" -> new Sum(name, busybox);
      case "printf" -> new PrintfTool(busybox);
      case "echo" -> new EchoTool(busybox);
      default -> null;
    };
  }

  static final class EchoTool extends Utility {
    EchoTool(boolean busybox) {
      super("echo", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      boolean newline = true;
      boolean escapes = false;
      int i = 0;
      while (i < args.size() && args.get(i).matches("-[neE]+")) {
        for (char c : args.get(i).substring(1).toCharArray()) {
          if (c == 'n') {
            newline = false;
          } else {
            escapes = c == 'e';
          }
        }
        i++;
      }
      StringBuilder sb = new StringBuilder();
      for (int j = i; j < args.size(); j++) {
        if (j > i) {
          sb.append(' ');
        }
        sb.append(escapes ? Printf.format("%b", List.of(args.get(j)), new String[1]) : args.get(j));
      }
      if (newline) {
        sb.append('\n');
      }
      out(p, sb.toString());
      return 0;
    }
  }

  static final class PrintfTool extends Utility {
    PrintfTool(boolean busybox) {
      super("printf", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      if (args.isEmpty()) {
        err(p, "missing operand");
        return 1;
      }
      String[] error = new String[1];
      out(p, Printf.format(args.get(0), args.subList(1, args.size()), error));
      if (error[0] != null) {
        err(p, error[0]);
        return 1;
      }
      return 0;
    }
  }

  /** -n N, -N, +N forms of head and tail. */
  private static long count(Map<Character, String> o, List<String> args, long dflt) {
    if (o.containsKey('n')) {
      return Utility.parseLong(o.get('n').replace("+", ""), dflt);
    }
    for (String a : args) {
      if (a.matches("-\\d+")) {
        return Long.parseLong(a.substring(1));
      }
    }
    return dflt;
  }

  static final class Head extends Utility {
    Head(boolean busybox) {
      super("head", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      Map<Character, String> o = new HashMap<>();
      List<String> clean = new ArrayList<>();
      for (String a : args) {
        if (!a.matches("-\\d+")) {
          clean.add(a);
        }
      }
      List<String> files = options(clean, "nc", o);
      long n = count(o, args, 10);
      if (files.isEmpty()) {
        if (o.containsKey('c')) {
          long bytes = parseLong(o.get('c'), 0);
          p.stdin().readAll(b -> {
            out(p, java.util.Arrays.copyOf(b, (int) Math.min(bytes, b.length)));
            p.exit(0);
          });
          return ASYNC;
        }
        streamHead(p, n, new StringBuilder(), new long[] {0});
        return ASYNC;
      }
      int[] errors = {0};
      readInputs(p, files, chunks -> {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < chunks.size(); i++) {
          if (files.size() > 1) {
            sb.append(i > 0 ? "\n" : "").append("==> ").append(files.get(i)).append(" <==\n");
          }
          List<String> ls = lines(text(chunks.get(i)));
          for (int j = 0; j < Math.min(n, ls.size()); j++) {
            sb.append(ls.get(j)).append('\n');
          }
        }
        out(p, sb.toString());
        p.exit(errors[0] > 0 ? 1 : 0);
      }, errors);
      return ASYNC;
    }

    private void streamHead(Proc p, long n, StringBuilder pendingLine, long[] seen) {
      if (seen[0] >= n) {
        p.stdin().close();
        p.exit(0);
        return;
      }
      p.stdin().read(chunk -> {
        if (chunk == null) {
          if (pendingLine.length() > 0) {
            out(p, pendingLine.toString());
          }
          p.exit(0);
          return;
        }
        String s = text(chunk);
        StringBuilder emit = new StringBuilder();
        for (int i = 0; i < s.length() && seen[0] < n; i++) {
          char c = s.charAt(i);
          pendingLine.append(c);
          if (c == '\n') {
            emit.append(pendingLine);
            pendingLine.setLength(0);
            seen[0]++;
          }
        }
        out(p, emit.toString());
        streamHead(p, n, pendingLine, seen);
      });
    }
  }

  static final class Tail extends Utility {
    Tail(boolean busybox) {
      super("tail", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      Map<Character, String> o = new HashMap<>();
      List<String> clean = new ArrayList<>();
      for (String a : args) {
        if (!a.matches("-\\d+")) {
          clean.add(a);
        }
      }
      List<String> files = options(clean, "ncs", o);
      long n = count(o, args, 10);
      boolean fromStart = o.containsKey('n') && o.get('n').startsWith("+");
      boolean follow = o.containsKey('f') || o.containsKey('F') || o.getOrDefault('\0', "").contains("--follow");
      if (files.isEmpty()) {
        p.stdin().readAll(b -> {
          out(p, last(text(b), n, fromStart));
          p.exit(0);
        });
        return ASYNC;
      }
      int[] errors = {0};
      StringBuilder sb = new StringBuilder();
      long[] sizes = new long[files.size()];
      for (int i = 0; i < files.size(); i++) {
        String f = files.get(i);
        try {
          Vfs.Node node = p.machine().fs().stat(p.cwd(), f);
          byte[] data = node instanceof Vfs.File file && file.device != null ? new byte[0]
              : p.machine().fs().read(p.cwd(), f);
          if (files.size() > 1) {
            sb.append(i > 0 ? "\n" : "").append("==> ").append(f).append(" <==\n");
          }
          sb.append(last(text(data), n, fromStart));
          sizes[i] = data.length;
        } catch (FsException e) {
          err(p, busybox ? "can't open '" + f + "': " + e.reason() : "cannot open '" + f + "' for reading: "
              + e.reason());
          errors[0]++;
          sizes[i] = -1;
        }
      }
      out(p, sb.toString());
      if (!follow) {
        return errors[0] > 0 ? 1 : 0;
      }
      poll(p, files, sizes);
      return ASYNC;
    }

    /** tail -f: prints what is appended, once a second, until killed. */
    private void poll(Proc p, List<String> files, long[] sizes) {
      p.sleep(Duration.ofSeconds(1), () -> {
        for (int i = 0; i < files.size(); i++) {
          Vfs.Node node = p.machine().fs().find(p.cwd(), files.get(i));
          if (node instanceof Vfs.File f && f.device == null) {
            if (f.data.length > sizes[i] && sizes[i] >= 0) {
              out(p, java.util.Arrays.copyOfRange(f.data, (int) sizes[i], f.data.length));
            }
            sizes[i] = f.data.length;
          }
        }
        poll(p, files, sizes);
      });
    }

    private static String last(String s, long n, boolean fromStart) {
      List<String> ls = lines(s);
      int from = fromStart ? (int) Math.max(0, n - 1) : (int) Math.max(0, ls.size() - n);
      StringBuilder sb = new StringBuilder();
      for (int i = Math.min(from, ls.size()); i < ls.size(); i++) {
        sb.append(ls.get(i)).append('\n');
      }
      return sb.toString();
    }
  }

  static final class Wc extends Utility {
    Wc(boolean busybox) {
      super("wc", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      Map<Character, String> o = new HashMap<>();
      List<String> files = options(args, "", o);
      boolean all = !o.containsKey('l') && !o.containsKey('w') && !o.containsKey('c') && !o.containsKey('m');
      int[] errors = {0};
      readInputs(p, files, chunks -> {
        StringBuilder sb = new StringBuilder();
        long tl = 0;
        long tw = 0;
        long tc = 0;
        for (int i = 0; i < chunks.size(); i++) {
          String s = text(chunks.get(i));
          long l = s.chars().filter(c -> c == '\n').count();
          long w = s.isBlank() ? 0 : s.trim().split("\\s+").length;
          long c = chunks.get(i).length;
          tl += l;
          tw += w;
          tc += c;
          sb.append(format(all, o, l, w, c, files.isEmpty() ? null : files.get(i)));
        }
        if (files.size() > 1) {
          sb.append(format(all, o, tl, tw, tc, "total"));
        }
        out(p, sb.toString());
        p.exit(errors[0] > 0 ? 1 : 0);
      }, errors);
      return ASYNC;
    }

    private String format(boolean all, Map<Character, String> o, long l, long w, long c, String name) {
      List<String> cols = new ArrayList<>();
      if (all || o.containsKey('l')) {
        cols.add(Long.toString(l));
      }
      if (all || o.containsKey('w')) {
        cols.add(Long.toString(w));
      }
      if (all || o.containsKey('c') || o.containsKey('m')) {
        cols.add(Long.toString(c));
      }
      StringBuilder sb = new StringBuilder();
      boolean single = cols.size() == 1 && name == null;
      for (String col : cols) {
        sb.append(single ? col : String.format(busybox ? "%9s" : "%7s", col)).append(single ? "" : " ");
      }
      String line = sb.toString();
      if (name != null) {
        line = line + name;
      } else {
        line = line.stripTrailing();
      }
      return line + "\n";
    }
  }

  /** POSIX basic regular expressions in Java syntax. */
  static String breToJava(String bre) {
    StringBuilder sb = new StringBuilder();
    boolean inBracket = false;
    for (int i = 0; i < bre.length(); i++) {
      char c = bre.charAt(i);
      if (inBracket) {
        if (c == ']' && sb.charAt(sb.length() - 1) != '[' && !(sb.length() >= 2
            && sb.charAt(sb.length() - 1) == '^' && sb.charAt(sb.length() - 2) == '[')) {
          inBracket = false;
        } else if (c == '[' && i + 1 < bre.length() && bre.charAt(i + 1) == ':') {
          int end = bre.indexOf(":]", i);
          if (end > 0) {
            String cls = bre.substring(i + 2, end);
            sb.append(switch (cls) {
              case "alpha" -> "\\p{Alpha}";
              case "digit" -> "\\d";
              case "alnum" -> "\\p{Alnum}";
              case "space" -> "\\s";
              case "upper" -> "\\p{Upper}";
              case "lower" -> "\\p{Lower}";
              case "punct" -> "\\p{Punct}";
              default -> "";
            });
            i = end + 1;
            continue;
          }
        } else if (c == '\\' || c == '[' || c == '&') {
          sb.append('\\');
        }
        sb.append(c);
        continue;
      }
      if (c == '\\' && i + 1 < bre.length()) {
        char n = bre.charAt(++i);
        switch (n) {
          case '(', ')', '{', '}', '|', '+', '?' -> sb.append(n);
          case '<', '>' -> sb.append("\\b");
          default -> sb.append('\\').append(n);
        }
        continue;
      }
      switch (c) {
        case '+', '?', '|', '(', ')', '{', '}' -> sb.append('\\').append(c);
        case '[' -> {
          inBracket = true;
          sb.append('[');
        }
        case '*' -> sb.append(sb.length() == 0 || sb.charAt(sb.length() - 1) == '^' ? "\\*" : "*");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  static final class Grep extends Utility {
    Grep(String name, boolean busybox) {
      super(name, busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      Map<Character, String> o = new HashMap<>();
      List<String> patterns = new ArrayList<>();
      List<String> rest = new ArrayList<>();
      for (int i = 0; i < args.size(); i++) {
        if (args.get(i).equals("-e") && i + 1 < args.size()) {
          patterns.add(args.get(++i));
        } else {
          rest.add(args.get(i));
        }
      }
      List<String> ops = options(rest, "mABC", o);
      if (patterns.isEmpty()) {
        if (ops.isEmpty()) {
          err(p, busybox ? "usage: grep [-HhnlLoqvsrRiwFExz] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... "
              + "| -f FILE... } [FILE]..." : "Usage: grep [OPTION]... PATTERNS [FILE]...");
          return 2;
        }
        patterns.add(ops.remove(0));
      }
      boolean extended = o.containsKey('E') || name.equals("egrep");
      boolean fixed = o.containsKey('F') || name.equals("fgrep");
      int flags = o.containsKey('i') ? Pattern.CASE_INSENSITIVE : 0;
      List<Pattern> res = new ArrayList<>();
      try {
        for (String pat : patterns) {
          String re = fixed ? Pattern.quote(pat) : extended ? pat : breToJava(pat);
          if (o.containsKey('w')) {
            re = "\\b(?:" + re + ")\\b";
          }
          if (o.containsKey('x')) {
            re = "^(?:" + re + ")$";
          }
          res.add(Pattern.compile(re, flags));
        }
      } catch (PatternSyntaxException e) {
        err(p, "bad regex '" + patterns.get(0) + "'");
        return 2;
      }
      int[] errors = {0};
      List<String> files = ops;
      readInputs(p, files, chunks -> {
        StringBuilder sb = new StringBuilder();
        int matched = 0;
        boolean prefix = files.size() > 1 && !o.containsKey('h') || o.containsKey('H');
        for (int i = 0; i < chunks.size(); i++) {
          String fname = files.isEmpty() ? "(standard input)" : files.get(i);
          int count = 0;
          int lineNo = 0;
          for (String line : lines(text(chunks.get(i)))) {
            lineNo++;
            boolean hit = false;
            for (Pattern re : res) {
              if (re.matcher(line).find()) {
                hit = true;
                break;
              }
            }
            if (hit == o.containsKey('v')) {
              continue;
            }
            count++;
            matched++;
            if (o.containsKey('q')) {
              p.exit(0);
              return;
            }
            if (o.containsKey('c') || o.containsKey('l') || o.containsKey('L')) {
              continue;
            }
            String pre = (prefix ? fname + ":" : "") + (o.containsKey('n') ? lineNo + ":" : "");
            if (o.containsKey('o') && !o.containsKey('v')) {
              for (Pattern re : res) {
                Matcher m = re.matcher(line);
                while (m.find()) {
                  sb.append(pre).append(m.group()).append('\n');
                }
              }
            } else {
              sb.append(pre).append(line).append('\n');
            }
          }
          if (o.containsKey('c')) {
            sb.append(prefix ? fname + ":" : "").append(count).append('\n');
          }
          if (o.containsKey('l') && count > 0) {
            sb.append(fname).append('\n');
          }
        }
        out(p, sb.toString());
        p.exit(errors[0] > 0 && !o.containsKey('s') ? 2 : matched > 0 ? 0 : 1);
      }, errors);
      return ASYNC;
    }
  }

  /** sed: s, p, d, q, = and y with line, $ and /regex/ addresses (and ranges), -n, -e, -i, -E. */
  static final class Sed extends Utility {
    private record Cmd(String a1, String a2, boolean negate, char op, Pattern re, String replacement, boolean global,
                       boolean print, int nth, String arg) {}

    Sed(boolean busybox) {
      super("sed", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      boolean quiet = false;
      boolean inPlace = false;
      boolean ere = false;
      List<String> scripts = new ArrayList<>();
      List<String> files = new ArrayList<>();
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        switch (a) {
          case "-n", "--quiet", "--silent" -> quiet = true;
          case "-i" -> inPlace = true;
          case "-E", "-r" -> ere = true;
          case "-e" -> scripts.add(i + 1 < args.size() ? args.get(++i) : "");
          default -> {
            if (a.startsWith("-i")) {
              inPlace = true;
            } else if (a.startsWith("-") && a.length() > 1) {
              continue;
            } else if (scripts.isEmpty() && files.isEmpty()) {
              scripts.add(a);
            } else {
              files.add(a);
            }
          }
        }
      }
      List<Cmd> cmds;
      try {
        cmds = parse(String.join("\n", scripts), ere);
      } catch (RuntimeException e) {
        err(p, "-e expression #1, char 1: " + e.getMessage());
        return 1;
      }
      boolean q = quiet;
      if (inPlace) {
        int st = 0;
        for (String f : files) {
          try {
            String in = text(p.machine().fs().read(p.cwd(), f));
            p.machine().fs().write(p.cwd(), f, apply(cmds, in, q));
          } catch (FsException e) {
            err(p, "can't read " + f + ": " + e.reason());
            st = 1;
          }
        }
        return st;
      }
      int[] errors = {0};
      readInputs(p, files, chunks -> {
        StringBuilder all = new StringBuilder();
        for (byte[] c : chunks) {
          all.append(text(c));
        }
        out(p, apply(cmds, all.toString(), q));
        p.exit(errors[0] > 0 ? 2 : 0);
      }, errors);
      return ASYNC;
    }

    private List<Cmd> parse(String script, boolean ere) {
      List<Cmd> out = new ArrayList<>();
      int i = 0;
      while (i < script.length()) {
        char c = script.charAt(i);
        if (c == ';' || c == '\n' || c == ' ' || c == '\t') {
          i++;
          continue;
        }
        String[] addr = new String[2];
        for (int k = 0; k < 2; k++) {
          if (i < script.length() && (Character.isDigit(script.charAt(i)) || script.charAt(i) == '$')) {
            int j = i;
            while (j < script.length() && (Character.isDigit(script.charAt(j)) || script.charAt(j) == '$')) {
              j++;
            }
            addr[k] = script.substring(i, j);
            i = j;
          } else if (i < script.length() && script.charAt(i) == '/') {
            int j = script.indexOf('/', i + 1);
            addr[k] = script.substring(i, j + 1);
            i = j + 1;
          }
          if (k == 0 && i < script.length() && script.charAt(i) == ',') {
            i++;
          } else {
            break;
          }
        }
        boolean negate = false;
        while (i < script.length() && (script.charAt(i) == '!' || script.charAt(i) == ' ')) {
          negate |= script.charAt(i) == '!';
          i++;
        }
        char op = script.charAt(i++);
        if (op == 's' || op == 'y') {
          char delim = script.charAt(i++);
          String[] parts = new String[2];
          for (int k = 0; k < 2; k++) {
            StringBuilder sb = new StringBuilder();
            while (i < script.length() && script.charAt(i) != delim) {
              if (script.charAt(i) == '\\' && i + 1 < script.length() && script.charAt(i + 1) == delim) {
                sb.append(delim);
                i += 2;
                continue;
              }
              if (script.charAt(i) == '\\' && i + 1 < script.length()) {
                sb.append(script.charAt(i)).append(script.charAt(i + 1));
                i += 2;
                continue;
              }
              sb.append(script.charAt(i++));
            }
            i++;
            parts[k] = sb.toString();
          }
          boolean global = false;
          boolean print = false;
          boolean icase = false;
          int nth = 1;
          while (i < script.length() && "gpiI0123456789".indexOf(script.charAt(i)) >= 0) {
            char f = script.charAt(i++);
            if (f == 'g') {
              global = true;
            } else if (f == 'p') {
              print = true;
            } else if (f == 'i' || f == 'I') {
              icase = true;
            } else {
              nth = f - '0';
            }
          }
          Pattern re = op == 's' ? Pattern.compile(ere ? parts[0] : breToJava(parts[0]),
              icase ? Pattern.CASE_INSENSITIVE : 0) : null;
          out.add(new Cmd(addr[0], addr[1], negate, op, re, parts[1], global, print, nth, parts[0]));
        } else if (op == 'a' || op == 'i' || op == 'c') {
          int end = script.indexOf('\n', i);
          String text = script.substring(i, end < 0 ? script.length() : end).replaceFirst("^\\\\?\\s*", "");
          i = end < 0 ? script.length() : end;
          out.add(new Cmd(addr[0], addr[1], negate, op, null, text, false, false, 0, null));
        } else {
          out.add(new Cmd(addr[0], addr[1], negate, op, null, null, false, false, 0, null));
        }
      }
      return out;
    }

    private String apply(List<Cmd> cmds, String input, boolean quiet) {
      List<String> ls = lines(input);
      StringBuilder out = new StringBuilder();
      Map<Cmd, Boolean> inRange = new HashMap<>();
      outer:
      for (int n = 0; n < ls.size(); n++) {
        String line = ls.get(n);
        boolean last = n == ls.size() - 1;
        boolean deleted = false;
        List<String> after = new ArrayList<>();
        for (Cmd c : cmds) {
          boolean sel = selected(c, n + 1, last, line, inRange);
          if (sel == c.negate()) {
            continue;
          }
          switch (c.op()) {
            case 's' -> {
              Matcher m = c.re().matcher(line);
              String rep = javaReplacement(c.replacement());
              String next = c.global() ? m.replaceAll(rep) : replaceNth(m, rep, c.nth());
              if (!next.equals(line) || m.reset().find()) {
                line = next;
                if (c.print()) {
                  out.append(line).append('\n');
                }
              }
            }
            case 'y' -> {
              StringBuilder sb = new StringBuilder();
              for (char ch : line.toCharArray()) {
                int idx = c.arg().indexOf(ch);
                sb.append(idx >= 0 && idx < c.replacement().length() ? c.replacement().charAt(idx) : ch);
              }
              line = sb.toString();
            }
            case 'p' -> out.append(line).append('\n');
            case 'd' -> {
              deleted = true;
              continue outer;
            }
            case '=' -> out.append(n + 1).append('\n');
            case 'a' -> after.add(c.replacement());
            case 'i' -> out.append(c.replacement()).append('\n');
            case 'c' -> {
              out.append(c.replacement()).append('\n');
              continue outer;
            }
            case 'q' -> {
              if (!quiet) {
                out.append(line).append('\n');
              }
              return out.toString();
            }
            default -> { }
          }
        }
        if (!quiet && !deleted) {
          out.append(line).append('\n');
        }
        after.forEach(a -> out.append(a).append('\n'));
      }
      return out.toString();
    }

    private static String replaceNth(Matcher m, String rep, int nth) {
      int count = 0;
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        if (++count == nth) {
          m.appendReplacement(sb, rep);
          m.appendTail(sb);
          return sb.toString();
        }
      }
      m.reset();
      StringBuilder all = new StringBuilder();
      m.appendTail(all);
      return all.toString();
    }

    private static String javaReplacement(String r) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < r.length(); i++) {
        char c = r.charAt(i);
        if (c == '\\' && i + 1 < r.length()) {
          char n = r.charAt(++i);
          if (Character.isDigit(n)) {
            sb.append('$').append(n);
          } else if (n == 'n') {
            sb.append('\n');
          } else if (n == 't') {
            sb.append('\t');
          } else {
            sb.append(Matcher.quoteReplacement(String.valueOf(n)));
          }
        } else if (c == '&') {
          sb.append("$0");
        } else if (c == '$') {
          sb.append("\\$");
        } else {
          sb.append(c);
        }
      }
      return sb.toString();
    }

    private boolean selected(Cmd c, int n, boolean last, String line, Map<Cmd, Boolean> inRange) {
      if (c.a1() == null) {
        return true;
      }
      if (c.a2() == null) {
        return addrMatch(c.a1(), n, last, line);
      }
      if (inRange.getOrDefault(c, false)) {
        if (addrMatch(c.a2(), n, last, line) || c.a2().matches("\\d+") && n >= Long.parseLong(c.a2())) {
          inRange.put(c, false);
        }
        return true;
      }
      if (addrMatch(c.a1(), n, last, line)) {
        inRange.put(c, !(c.a2().matches("\\d+") && Long.parseLong(c.a2()) <= n));
        return true;
      }
      return false;
    }

    private boolean addrMatch(String a, int n, boolean last, String line) {
      if (a.equals("$")) {
        return last;
      }
      if (a.startsWith("/")) {
        return Pattern.compile(breToJava(a.substring(1, a.length() - 1))).matcher(line).find();
      }
      return Long.parseLong(a) == n;
    }
  }

  /**
   * awk, a small subset: BEGIN/END blocks, /regex/ and NR/NF/$n comparisons as patterns, print and printf of
   * fields, NR, NF, variables and string literals, -F separator, -v assignments.
   */
  static final class Awk extends Utility {
    Awk(boolean busybox) {
      super("awk", busybox);
    }

    private record Rule(String pattern, String action) {}

    @Override
    int run(Proc p, List<String> args) {
      String fs = null;
      Map<String, String> vars = new LinkedHashMap<>();
      String program = null;
      List<String> files = new ArrayList<>();
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        if (a.startsWith("-F")) {
          fs = a.length() > 2 ? a.substring(2) : args.get(++i);
        } else if (a.equals("-v") && i + 1 < args.size()) {
          String[] kv = args.get(++i).split("=", 2);
          vars.put(kv[0], kv.length > 1 ? kv[1] : "");
        } else if (program == null) {
          program = a;
        } else {
          files.add(a);
        }
      }
      if (program == null) {
        err(p, "usage: awk [-F sep] 'program' [file...]");
        return 2;
      }
      List<Rule> rules = parseRules(program);
      String sep = fs;
      int[] errors = {0};
      readInputs(p, files, chunks -> {
        StringBuilder out = new StringBuilder();
        int nr = 0;
        for (Rule r : rules) {
          if (r.pattern().equals("BEGIN")) {
            exec(r.action(), List.of(), 0, vars, out, sep);
          }
        }
        for (byte[] c : chunks) {
          for (String line : lines(text(c))) {
            nr++;
            List<String> fields = split(line, sep);
            for (Rule r : rules) {
              if (r.pattern().equals("BEGIN") || r.pattern().equals("END")) {
                continue;
              }
              if (matches(r.pattern(), line, fields, nr, vars)) {
                exec(r.action(), fieldsWithLine(line, fields), nr, vars, out, sep);
              }
            }
          }
        }
        for (Rule r : rules) {
          if (r.pattern().equals("END")) {
            exec(r.action(), List.of(), nr, vars, out, sep);
          }
        }
        out(p, out.toString());
        p.exit(errors[0] > 0 ? 2 : 0);
      }, errors);
      return ASYNC;
    }

    private static List<String> fieldsWithLine(String line, List<String> fields) {
      List<String> all = new ArrayList<>();
      all.add(line);
      all.addAll(fields);
      return all;
    }

    private static List<String> split(String line, String sep) {
      if (sep == null || sep.equals(" ")) {
        String t = line.trim();
        return t.isEmpty() ? List.of() : List.of(t.split("\\s+"));
      }
      return List.of(line.split(sep.length() == 1 ? Pattern.quote(sep) : sep, -1));
    }

    private static List<Rule> parseRules(String prog) {
      List<Rule> rules = new ArrayList<>();
      int i = 0;
      while (i < prog.length()) {
        while (i < prog.length() && Character.isWhitespace(prog.charAt(i))) {
          i++;
        }
        if (i >= prog.length()) {
          break;
        }
        int brace = prog.indexOf('{', i);
        String pattern;
        String action;
        if (brace < 0) {
          pattern = prog.substring(i).trim();
          action = "print";
          i = prog.length();
        } else {
          pattern = prog.substring(i, brace).trim();
          int depth = 0;
          int j = brace;
          for (; j < prog.length(); j++) {
            if (prog.charAt(j) == '{') {
              depth++;
            } else if (prog.charAt(j) == '}' && --depth == 0) {
              break;
            }
          }
          action = prog.substring(brace + 1, Math.min(j, prog.length())).trim();
          i = j + 1;
        }
        rules.add(new Rule(pattern, action));
      }
      return rules;
    }

    private boolean matches(String pattern, String line, List<String> fields, int nr, Map<String, String> vars) {
      if (pattern.isEmpty()) {
        return true;
      }
      if (pattern.startsWith("/") && pattern.endsWith("/")) {
        return Pattern.compile(pattern.substring(1, pattern.length() - 1)).matcher(line).find();
      }
      Matcher m = Pattern.compile("(.+?)\\s*(==|!=|>=|<=|>|<|~)\\s*(.+)").matcher(pattern);
      if (m.matches()) {
        List<String> all = fieldsWithLine(line, fields);
        String l = value(m.group(1).trim(), all, nr, vars);
        String r = value(m.group(3).trim(), all, nr, vars);
        if (m.group(2).equals("~")) {
          return Pattern.compile(r.replaceAll("^/|/$", "")).matcher(l).find();
        }
        int cmp;
        try {
          cmp = Double.compare(Double.parseDouble(l), Double.parseDouble(r));
        } catch (NumberFormatException e) {
          cmp = l.compareTo(r);
        }
        return switch (m.group(2)) {
          case "==" -> cmp == 0;
          case "!=" -> cmp != 0;
          case ">=" -> cmp >= 0;
          case "<=" -> cmp <= 0;
          case ">" -> cmp > 0;
          default -> cmp < 0;
        };
      }
      return !value(pattern, fieldsWithLine(line, fields), nr, vars).isEmpty();
    }

    private void exec(String action, List<String> fields, int nr, Map<String, String> vars, StringBuilder out,
                      String sep) {
      for (String stmt : action.split("[;\n]")) {
        String s = stmt.trim();
        if (s.isEmpty()) {
          continue;
        }
        if (s.equals("print") || s.equals("print $0")) {
          out.append(fields.isEmpty() ? "" : fields.get(0)).append('\n');
        } else if (s.startsWith("print ")) {
          List<String> parts = splitArgs(s.substring(6));
          List<String> vals = new ArrayList<>();
          for (String part : parts) {
            vals.add(concat(part, fields, nr, vars));
          }
          out.append(String.join(" ", vals)).append('\n');
        } else if (s.startsWith("printf")) {
          List<String> parts = splitArgs(s.substring(6).trim().replaceAll("^\\(|\\)$", ""));
          List<String> vals = new ArrayList<>();
          for (String part : parts.subList(1, parts.size())) {
            vals.add(concat(part, fields, nr, vars));
          }
          out.append(Printf.format(concat(parts.get(0), fields, nr, vars), vals, new String[1]));
        } else {
          Matcher m = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*(\\+=|-=|=|\\+\\+)\\s*(.*)").matcher(s);
          if (m.matches()) {
            String name = m.group(1);
            double cur = num(vars.getOrDefault(name, "0"));
            String v = switch (m.group(2)) {
              case "++" -> fmt(cur + 1);
              case "+=" -> fmt(cur + num(concat(m.group(3), fields, nr, vars)));
              case "-=" -> fmt(cur - num(concat(m.group(3), fields, nr, vars)));
              default -> concat(m.group(3), fields, nr, vars);
            };
            vars.put(name, v);
          }
        }
      }
    }

    private static double num(String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        return 0;
      }
    }

    private static String fmt(double d) {
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static List<String> splitArgs(String s) {
      List<String> out = new ArrayList<>();
      StringBuilder cur = new StringBuilder();
      boolean quoted = false;
      for (char c : s.toCharArray()) {
        if (c == '"') {
          quoted = !quoted;
        }
        if (c == ',' && !quoted) {
          out.add(cur.toString().trim());
          cur.setLength(0);
        } else {
          cur.append(c);
        }
      }
      if (cur.length() > 0) {
        out.add(cur.toString().trim());
      }
      return out;
    }

    /** Juxtaposed terms concatenate: $1 ":" $2. */
    private String concat(String expr, List<String> fields, int nr, Map<String, String> vars) {
      Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"|(\\$\\w+|\\$\\([^)]*\\)|[A-Za-z_][A-Za-z0-9_]*|[0-9.]+)"
          + "|([+\\-*/])").matcher(expr);
      StringBuilder sb = new StringBuilder();
      String pendingOp = null;
      String acc = null;
      while (m.find()) {
        if (m.group(3) != null) {
          pendingOp = m.group(3);
          continue;
        }
        String v = m.group(1) != null ? m.group(1).replace("\\n", "\n").replace("\\t", "\t").replace("\\\"", "\"")
            : value(m.group(2), fields, nr, vars);
        if (pendingOp != null && acc != null) {
          double a = num(acc);
          double b = num(v);
          acc = fmt(switch (pendingOp) {
            case "+" -> a + b;
            case "-" -> a - b;
            case "*" -> a * b;
            default -> b == 0 ? 0 : a / b;
          });
          pendingOp = null;
          continue;
        }
        if (acc != null) {
          sb.append(acc);
        }
        acc = v;
      }
      if (acc != null) {
        sb.append(acc);
      }
      return sb.toString();
    }

    private String value(String term, List<String> fields, int nr, Map<String, String> vars) {
      if (term.startsWith("\"") && term.endsWith("\"") && term.length() >= 2) {
        return term.substring(1, term.length() - 1);
      }
      int nf = Math.max(0, fields.size() - 1);
      if (term.startsWith("$")) {
        String idx = term.substring(1).replaceAll("[()]", "");
        int n = idx.equals("NF") ? nf : idx.matches("NF-\\d+") ? nf - Integer.parseInt(idx.substring(3))
            : (int) parseLong(idx, -1);
        if (n < 0 && vars.containsKey(idx)) {
          n = (int) num(vars.get(idx));
        }
        return n >= 0 && n < fields.size() ? fields.get(n) : "";
      }
      if (term.equals("NR")) {
        return Integer.toString(nr);
      }
      if (term.equals("NF")) {
        return Integer.toString(nf);
      }
      if (term.matches("[0-9.]+")) {
        return term;
      }
      return vars.getOrDefault(term, "");
    }
  }

  static final class Cut extends Utility {
    Cut(boolean busybox) {
      super("cut", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      Map<Character, String> o = new HashMap<>();
      List<String> files = options(args, "dfcb", o);
      String delim = o.getOrDefault('d', "\t");
      String list = o.containsKey('f') ? o.get('f') : o.containsKey('c') ? o.get('c') : o.get('b');
      if (list == null) {
        err(p, busybox ? "expected a list of bytes, characters, or fields" : "you must specify a list of bytes, "
            + "characters, or fields");
        return 1;
      }
      boolean fields = o.containsKey('f');
      int[] errors = {0};
      readInputs(p, files, chunks -> {
        StringBuilder sb = new StringBuilder();
        for (byte[] c : chunks) {
          for (String line : lines(text(c))) {
            if (fields) {
              if (!line.contains(delim)) {
                if (!o.containsKey('s')) {
                  sb.append(line).append('\n');
                }
                continue;
              }
              String[] parts = line.split(Pattern.quote(delim), -1);
              List<String> sel = new ArrayList<>();
              for (int i = 1; i <= parts.length; i++) {
                if (inList(list, i)) {
                  sel.add(parts[i - 1]);
                }
              }
              sb.append(String.join(delim, sel)).append('\n');
            } else {
              StringBuilder s = new StringBuilder();
              for (int i = 1; i <= line.length(); i++) {
                if (inList(list, i)) {
                  s.append(line.charAt(i - 1));
                }
              }
              sb.append(s).append('\n');
            }
          }
        }
        out(p, sb.toString());
        p.exit(errors[0] > 0 ? 1 : 0);
      }, errors);
      return ASYNC;
    }

    private static boolean inList(String list, int n) {
      for (String r : list.split(",")) {
        if (r.contains("-")) {
          String[] ab = r.split("-", -1);
          long a = ab[0].isEmpty() ? 1 : Long.parseLong(ab[0]);
          long b = ab[1].isEmpty() ? Long.MAX_VALUE : Long.parseLong(ab[1]);
          if (n >= a && n <= b) {
            return true;
          }
        } else if (!r.isEmpty() && Long.parseLong(r) == n) {
          return true;
        }
      }
      return false;
    }
  }

  static final class Tr extends Utility {
    Tr(boolean busybox) {
      super("tr", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      Map<Character, String> o = new HashMap<>();
      List<String> sets = options(args, "", o);
      if (sets.isEmpty()) {
        err(p, "missing operand");
        return 1;
      }
      String s1 = expand(sets.get(0));
      String s2 = sets.size() > 1 ? expand(sets.get(1)) : "";
      boolean delete = o.containsKey('d');
      boolean squeeze = o.containsKey('s');
      p.stdin().readAll(b -> {
        String in = text(b);
        StringBuilder sb = new StringBuilder();
        char lastOut = 0;
        boolean hasLast = false;
        for (char c : in.toCharArray()) {
          int idx = s1.indexOf(c);
          if (delete) {
            if (idx >= 0) {
              continue;
            }
            sb.append(c);
            continue;
          }
          char r = c;
          if (idx >= 0 && !s2.isEmpty()) {
            r = s2.charAt(Math.min(idx, s2.length() - 1));
          }
          if (squeeze && hasLast && r == lastOut && (s2.isEmpty() ? s1 : s2).indexOf(r) >= 0) {
            continue;
          }
          sb.append(r);
          lastOut = r;
          hasLast = true;
        }
        out(p, sb.toString());
        p.exit(0);
      });
      return ASYNC;
    }

    private static String expand(String set) {
      String s = set.replace("[:upper:]", "A-Z").replace("[:lower:]", "a-z").replace("[:digit:]", "0-9")
          .replace("[:space:]", " \t\n\r").replace("[:alpha:]", "a-zA-Z").replace("[:alnum:]", "a-zA-Z0-9")
          .replace("\\n", "\n").replace("\\t", "\t").replace("\\r", "\r").replace("\\\\", "\\");
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < s.length(); i++) {
        if (i + 2 < s.length() && s.charAt(i + 1) == '-') {
          for (char c = s.charAt(i); c <= s.charAt(i + 2); c++) {
            sb.append(c);
          }
          i += 2;
        } else {
          sb.append(s.charAt(i));
        }
      }
      return sb.toString();
    }
  }

  static final class Sort extends Utility {
    Sort(boolean busybox) {
      super("sort", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      Map<Character, String> o = new HashMap<>();
      List<String> files = options(args, "kto", o);
      int[] errors = {0};
      readInputs(p, files, chunks -> {
        List<String> all = new ArrayList<>();
        for (byte[] c : chunks) {
          all.addAll(lines(text(c)));
        }
        java.util.Comparator<String> cmp = o.containsKey('n')
            ? java.util.Comparator.comparingDouble(TextTools::leadingNumber) : java.util.Comparator.naturalOrder();
        all.sort(cmp);
        if (o.containsKey('r')) {
          Collections.reverse(all);
        }
        StringBuilder sb = new StringBuilder();
        String prev = null;
        for (String l : all) {
          if (o.containsKey('u') && l.equals(prev)) {
            continue;
          }
          sb.append(l).append('\n');
          prev = l;
        }
        out(p, sb.toString());
        p.exit(errors[0] > 0 ? 2 : 0);
      }, errors);
      return ASYNC;
    }
  }

  static double leadingNumber(String s) {
    Matcher m = Pattern.compile("^\\s*(-?\\d+(\\.\\d+)?)").matcher(s);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  static final class Uniq extends Utility {
    Uniq(boolean busybox) {
      super("uniq", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      Map<Character, String> o = new HashMap<>();
      List<String> files = options(args, "", o);
      int[] errors = {0};
      readInputs(p, files.isEmpty() ? files : files.subList(0, 1), chunks -> {
        StringBuilder sb = new StringBuilder();
        String prev = null;
        int count = 0;
        List<String> ls = new ArrayList<>();
        for (byte[] c : chunks) {
          ls.addAll(lines(text(c)));
        }
        ls.add(null);
        for (String l : ls) {
          if (l != null && l.equals(prev)) {
            count++;
            continue;
          }
          if (prev != null) {
            boolean show = o.containsKey('d') ? count > 1 : !o.containsKey('u') || count == 1;
            if (show) {
              sb.append(o.containsKey('c') ? String.format("%7d %s", count, prev) : prev).append('\n');
            }
          }
          prev = l;
          count = 1;
        }
        out(p, sb.toString());
        p.exit(0);
      }, errors);
      return ASYNC;
    }
  }

  static final class Tee extends Utility {
    Tee(boolean busybox) {
      super("tee", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      Map<Character, String> o = new HashMap<>();
      List<String> files = options(args, "", o);
      List<Vfs.File> targets = new ArrayList<>();
      int st = 0;
      for (String f : files) {
        try {
          targets.add(p.machine().fs().openForWrite(p.cwd(), f, o.containsKey('a')));
        } catch (FsException e) {
          err(p, f + ": " + e.reason());
          st = 1;
        }
      }
      int status = st;
      pump(p, targets, status);
      return ASYNC;
    }

    private void pump(Proc p, List<Vfs.File> targets, int status) {
      p.stdin().read(chunk -> {
        if (chunk == null) {
          p.exit(status);
          return;
        }
        for (Vfs.File f : targets) {
          f.append(chunk);
        }
        if (out(p, chunk)) {
          pump(p, targets, status);
        }
      });
    }
  }

  static final class Tac extends Utility {
    Tac(boolean busybox) {
      super("tac", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      int[] errors = {0};
      readInputs(p, args, chunks -> {
        List<String> all = new ArrayList<>();
        for (byte[] c : chunks) {
          all.addAll(lines(text(c)));
        }
        Collections.reverse(all);
        StringBuilder sb = new StringBuilder();
        all.forEach(l -> sb.append(l).append('\n'));
        out(p, sb.toString());
        p.exit(errors[0] > 0 ? 1 : 0);
      }, errors);
      return ASYNC;
    }
  }

  static final class Rev extends Utility {
    Rev(boolean busybox) {
      super("rev", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      int[] errors = {0};
      readInputs(p, args, chunks -> {
        StringBuilder sb = new StringBuilder();
        for (byte[] c : chunks) {
          for (String l : lines(text(c))) {
            sb.append(new StringBuilder(l).reverse()).append('\n');
          }
        }
        out(p, sb.toString());
        p.exit(errors[0] > 0 ? 1 : 0);
      }, errors);
      return ASYNC;
    }
  }

  static final class Seq extends Utility {
    Seq(boolean busybox) {
      super("seq", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      String sep = "\n";
      List<String> nums = new ArrayList<>();
      for (int i = 0; i < args.size(); i++) {
        if (args.get(i).equals("-s") && i + 1 < args.size()) {
          sep = args.get(++i);
        } else if (!args.get(i).equals("-w")) {
          nums.add(args.get(i));
        }
      }
      if (nums.isEmpty()) {
        err(p, "missing operand");
        return 1;
      }
      double first = 1;
      double inc = 1;
      double last;
      try {
        if (nums.size() == 1) {
          last = Double.parseDouble(nums.get(0));
        } else if (nums.size() == 2) {
          first = Double.parseDouble(nums.get(0));
          last = Double.parseDouble(nums.get(1));
        } else {
          first = Double.parseDouble(nums.get(0));
          inc = Double.parseDouble(nums.get(1));
          last = Double.parseDouble(nums.get(2));
        }
      } catch (NumberFormatException e) {
        err(p, "invalid floating point argument: '" + nums.get(0) + "'");
        return 1;
      }
      StringBuilder sb = new StringBuilder();
      int n = 0;
      for (double v = first; inc > 0 ? v <= last : v >= last; v += inc) {
        if (n++ > 0) {
          sb.append(sep);
        }
        sb.append(v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v));
        if (n > 1_000_000) {
          break;
        }
      }
      if (n > 0) {
        sb.append('\n');
      }
      out(p, sb.toString());
      return 0;
    }
  }

  /** yes: endless lines, at the pace the reader takes them. */
  static final class Yes extends Utility {
    Yes(boolean busybox) {
      super("yes", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      String line = (args.isEmpty() ? "y" : String.join(" ", args)) + "\n";
      byte[] chunk = line.repeat(Math.max(1, 4096 / line.length())).getBytes(StandardCharsets.UTF_8);
      pump(p, chunk);
      return ASYNC;
    }

    private void pump(Proc p, byte[] chunk) {
      if (!out(p, chunk)) {
        return;
      }
      p.stdout().onDrained(p.guard(() -> pump(p, chunk)));
    }
  }

  static final class Expr extends Utility {
    private List<String> t;
    private int i;

    Expr(boolean busybox) {
      super("expr", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      t = args;
      i = 0;
      try {
        String v = or();
        out(p, v + "\n");
        return v.isEmpty() || v.equals("0") ? 1 : 0;
      } catch (RuntimeException e) {
        err(p, "syntax error");
        return 2;
      }
    }

    private String or() {
      String l = and();
      while (i < t.size() && t.get(i).equals("|")) {
        i++;
        String r = and();
        l = !l.isEmpty() && !l.equals("0") ? l : r;
      }
      return l;
    }

    private String and() {
      String l = cmp();
      while (i < t.size() && t.get(i).equals("&")) {
        i++;
        String r = cmp();
        l = (l.isEmpty() || l.equals("0") || r.isEmpty() || r.equals("0")) ? "0" : l;
      }
      return l;
    }

    private String cmp() {
      String l = add();
      while (i < t.size() && List.of("=", "!=", "<", "<=", ">", ">=").contains(t.get(i))) {
        String op = t.get(i++);
        String r = add();
        int c;
        try {
          c = Long.compare(Long.parseLong(l), Long.parseLong(r));
        } catch (NumberFormatException e) {
          c = l.compareTo(r);
        }
        boolean res = switch (op) {
          case "=" -> c == 0;
          case "!=" -> c != 0;
          case "<" -> c < 0;
          case "<=" -> c <= 0;
          case ">" -> c > 0;
          default -> c >= 0;
        };
        l = res ? "1" : "0";
      }
      return l;
    }

    private String add() {
      String l = mul();
      while (i < t.size() && (t.get(i).equals("+") || t.get(i).equals("-"))) {
        String op = t.get(i++);
        long r = Long.parseLong(mul());
        l = Long.toString(op.equals("+") ? Long.parseLong(l) + r : Long.parseLong(l) - r);
      }
      return l;
    }

    private String mul() {
      String l = match();
      while (i < t.size() && (t.get(i).equals("*") || t.get(i).equals("/") || t.get(i).equals("%"))) {
        String op = t.get(i++);
        long r = Long.parseLong(match());
        long a = Long.parseLong(l);
        l = Long.toString(op.equals("*") ? a * r : op.equals("/") ? a / r : a % r);
      }
      return l;
    }

    private String match() {
      String l = primary();
      while (i < t.size() && t.get(i).equals(":")) {
        i++;
        String re = primary();
        Matcher m = Pattern.compile(breToJava(re)).matcher(l);
        if (m.lookingAt()) {
          l = m.groupCount() > 0 ? (m.group(1) == null ? "" : m.group(1)) : Integer.toString(m.end());
        } else {
          l = re.contains("\\(") ? "" : "0";
        }
      }
      return l;
    }

    private String primary() {
      String tok = t.get(i++);
      if (tok.equals("(")) {
        String v = or();
        i++;
        return v;
      }
      if (tok.equals("length")) {
        return Integer.toString(primary().length());
      }
      return tok;
    }
  }

  static final class B64 extends Utility {
    B64(boolean busybox) {
      super("base64", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      Map<Character, String> o = new HashMap<>();
      List<String> files = options(args, "w", o);
      boolean decode = o.containsKey('d') || o.getOrDefault('\0', "").contains("--decode");
      int[] errors = {0};
      readInputs(p, files, chunks -> {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        chunks.forEach(all::writeBytes);
        if (decode) {
          try {
            out(p, Base64.getMimeDecoder().decode(all.toByteArray()));
          } catch (IllegalArgumentException e) {
            err(p, "invalid input");
            p.exit(1);
            return;
          }
        } else {
          String enc = Base64.getEncoder().encodeToString(all.toByteArray());
          StringBuilder sb = new StringBuilder();
          for (int i = 0; i < enc.length(); i += 76) {
            sb.append(enc, i, Math.min(enc.length(), i + 76)).append('\n');
          }
          out(p, sb.toString());
        }
        p.exit(errors[0] > 0 ? 1 : 0);
      }, errors);
      return ASYNC;
    }
  }

  static final class Sum extends Utility {
    Sum(String name, boolean busybox) {
      super(name, busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      String algo = switch (name) {
        case "md5sum" -> "MD5";
        case "sha1sum" -> "SHA-1";
        default -> "SHA-256";
      };
      int[] errors = {0};
      readInputs(p, args, chunks -> {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < chunks.size(); i++) {
          try {
            String h = HexFormat.of().formatHex(MessageDigest.getInstance(algo).digest(chunks.get(i)));
            sb.append(h).append("  ").append(args.isEmpty() ? "-" : args.get(i)).append('\n');
          } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
          }
        }
        out(p, sb.toString());
        p.exit(errors[0] > 0 ? 1 : 0);
      }, errors);
      return ASYNC;
    }
  }
}
