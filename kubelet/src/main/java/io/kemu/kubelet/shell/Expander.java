package io.kemu.kubelet.shell;

import io.kemu.kubelet.runtime.fs.Vfs;
import io.kemu.kubelet.shell.Ast.Part;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Word expansion (XCU 2.6): tilde, parameters, command substitution, arithmetic, then field splitting on IFS and
 * pathname expansion, each only where the standard applies it (unquoted results). Expansion itself is synchronous;
 * a command substitution whose output is not known yet throws {@link NeedSubstitution}: the interpreter runs it as
 * a child process and expands the word again with the output cached in the {@link Session}.
 */
final class Expander {
  /** What expansion reads and changes in the shell. */
  interface Context {
    String var(String name);

    void assign(String name, String value);

    List<String> positional();

    String arg0();

    int status();

    int shellPid();

    int lastBackground();

    String optionFlags();

    boolean nounset();

    boolean noglob();

    String cwd();

    Vfs fs();
  }

  /** The outputs of the command substitutions (and values of arithmetic) already computed for one command. */
  static final class Session {
    final Map<Ast.CommandSub, String> substitutions = new IdentityHashMap<>();
    final Map<Ast.Arith, Long> arithmetic = new IdentityHashMap<>();
  }

  static final class NeedSubstitution extends RuntimeException {
    final Ast.CommandSub node;

    NeedSubstitution(Ast.CommandSub node) {
      super(null, null, false, false);
      this.node = node;
    }
  }

  /** A fatal expansion error: {@code ${x?}}, an unset variable under set -u, bad arithmetic. */
  static final class ExpansionError extends RuntimeException {
    ExpansionError(String message) {
      super(message, null, false, false);
    }
  }

  private record Piece(String text, boolean quoted, boolean splittable) {}

  private static final Piece BREAK = new Piece("", false, false);

  private final Context ctx;

  Expander(Context ctx) {
    this.ctx = ctx;
  }

  // ---------------------------------------------------------------- entry points

  /** Words to fields: the arguments of a command, the words of a for loop. */
  List<String> fields(List<Ast.Word> words, Session s) {
    List<String> out = new ArrayList<>();
    for (Ast.Word w : words) {
      out.addAll(fields(w, s));
    }
    return out;
  }

  List<String> fields(Ast.Word w, Session s) {
    List<Piece> pieces = pieces(w.parts(), false, s);
    List<FieldBuilder> fields = new ArrayList<>();
    FieldBuilder fb = new FieldBuilder();
    String ifs = ctx.var("IFS");
    if (ifs == null) {
      ifs = " \t\n";
    }
    for (Piece p : pieces) {
      if (p == BREAK) {
        fb.kept = true;
        fields.add(fb);
        fb = new FieldBuilder();
        fb.kept = true;
        continue;
      }
      if (p.splittable() && !ifs.isEmpty()) {
        String t = p.text();
        for (int i = 0; i < t.length(); i++) {
          char c = t.charAt(i);
          if (ifs.indexOf(c) >= 0) {
            if (Character.isWhitespace(c)) {
              if (fb.text.length() > 0 || fb.kept) {
                fields.add(fb);
                fb = new FieldBuilder();
              }
            } else {
              fb.kept = true;
              fields.add(fb);
              fb = new FieldBuilder();
            }
          } else {
            fb.append(String.valueOf(c), true);
          }
        }
      } else {
        fb.append(p.text(), !p.quoted());
        if (p.quoted()) {
          fb.kept = true;
        }
      }
    }
    fields.add(fb);
    List<String> out = new ArrayList<>();
    for (FieldBuilder f : fields) {
      if (f.text.length() == 0 && !f.kept) {
        continue;
      }
      if (f.magic && !ctx.noglob()) {
        List<String> matches = glob(f.pattern.toString());
        if (!matches.isEmpty()) {
          out.addAll(matches);
          continue;
        }
      }
      out.add(f.text.toString());
    }
    return out;
  }

  /** One string, no splitting or globbing: assignments, case subjects, redirection targets, here-documents. */
  String string(Ast.Word w, Session s) {
    StringBuilder sb = new StringBuilder();
    for (Piece p : pieces(w.parts(), false, s)) {
      if (p != BREAK) {
        sb.append(p.text());
      } else {
        sb.append(' ');
      }
    }
    return sb.toString();
  }

  /** A pattern: quoted characters lose their special meaning (case patterns, ${x%pattern}). */
  String pattern(Ast.Word w, Session s) {
    StringBuilder sb = new StringBuilder();
    for (Piece p : pieces(w.parts(), false, s)) {
      if (p != BREAK) {
        sb.append(p.quoted() ? Glob.escape(p.text()) : p.text());
      }
    }
    return sb.toString();
  }

  private static final class FieldBuilder {
    final StringBuilder text = new StringBuilder();
    final StringBuilder pattern = new StringBuilder();
    boolean kept;
    boolean magic;

    void append(String s, boolean active) {
      text.append(s);
      if (active) {
        pattern.append(s);
        if (s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0) {
          magic = true;
        }
      } else {
        pattern.append(Glob.escape(s));
      }
    }
  }

  // ---------------------------------------------------------------- parts

  private List<Piece> pieces(List<Part> parts, boolean inQuotes, Session s) {
    List<Piece> out = new ArrayList<>();
    for (Part p : parts) {
      if (p instanceof Ast.Lit l) {
        out.add(new Piece(l.text(), inQuotes, false));
      } else if (p instanceof Ast.Escaped e) {
        out.add(new Piece(e.text(), true, false));
      } else if (p instanceof Ast.SingleQuoted q) {
        out.add(new Piece(q.text(), true, false));
      } else if (p instanceof Ast.DoubleQuoted d) {
        List<Piece> inner = pieces(d.parts(), true, s);
        if (inner.isEmpty() && !containsAt(d.parts())) {
          out.add(new Piece("", true, false));
        }
        out.addAll(inner);
      } else if (p instanceof Ast.Tilde t) {
        String home = t.user().isEmpty() ? (ctx.var("HOME") != null ? ctx.var("HOME") : "/root")
            : t.user().equals("root") ? "/root" : "/home/" + t.user();
        out.add(new Piece(home, true, false));
      } else if (p instanceof Ast.Param param) {
        out.addAll(param(param, inQuotes, s));
      } else if (p instanceof Ast.CommandSub c) {
        String v = s.substitutions.get(c);
        if (v == null) {
          throw new NeedSubstitution(c);
        }
        out.add(new Piece(v, inQuotes, !inQuotes));
      } else if (p instanceof Ast.Arith a) {
        Long v = s.arithmetic.get(a);
        if (v == null) {
          String expr = string(a.expression(), s);
          try {
            v = Arith.eval(expr, new Arith.Vars() {
              public String get(String name) {
                return ctx.var(name);
              }

              public void set(String name, String value) {
                ctx.assign(name, value);
              }
            });
          } catch (Arith.ArithException e) {
            throw new ExpansionError(e.getMessage());
          }
          s.arithmetic.put(a, v);
        }
        out.add(new Piece(Long.toString(v), inQuotes, !inQuotes));
      }
    }
    return out;
  }

  private static boolean containsAt(List<Part> parts) {
    for (Part p : parts) {
      if (p instanceof Ast.Param pa && pa.name().equals("@") && pa.op() == null) {
        return true;
      }
    }
    return false;
  }

  /** $name and ${...}; null for unset. */
  String value(String name) {
    switch (name) {
      case "?":
        return Integer.toString(ctx.status());
      case "$":
        return Integer.toString(ctx.shellPid());
      case "!":
        return ctx.lastBackground() > 0 ? Integer.toString(ctx.lastBackground()) : "";
      case "#":
        return Integer.toString(ctx.positional().size());
      case "-":
        return ctx.optionFlags();
      case "0":
        return ctx.arg0();
      case "@":
      case "*": {
        String ifs = ctx.var("IFS");
        String sep = ifs == null ? " " : ifs.isEmpty() ? "" : ifs.substring(0, 1);
        return String.join(sep, ctx.positional());
      }
      default:
        break;
    }
    if (Character.isDigit(name.charAt(0))) {
      int n = Integer.parseInt(name);
      return n <= ctx.positional().size() ? ctx.positional().get(n - 1) : null;
    }
    return ctx.var(name);
  }

  private List<Piece> param(Ast.Param p, boolean inQuotes, Session s) {
    String name = p.name();
    if ((name.equals("@") || name.equals("*")) && p.op() == null && !p.length()) {
      List<Piece> out = new ArrayList<>();
      List<String> params = ctx.positional();
      if (inQuotes && name.equals("*")) {
        out.add(new Piece(value("*"), true, false));
        return out;
      }
      for (int i = 0; i < params.size(); i++) {
        if (i > 0) {
          out.add(BREAK);
        }
        out.add(new Piece(params.get(i), inQuotes, !inQuotes));
      }
      return out;
    }
    String v = value(name);
    if (p.length()) {
      if (v == null && ctx.nounset()) {
        throw new ExpansionError(name + ": parameter not set");
      }
      return List.of(new Piece(Integer.toString(v == null ? 0 : v.length()), inQuotes, false));
    }
    String op = p.op();
    if (op == null) {
      if (v == null && ctx.nounset() && !name.equals("@") && !name.equals("*")) {
        throw new ExpansionError(name + ": parameter not set");
      }
      return List.of(new Piece(v == null ? "" : v, inQuotes, !inQuotes));
    }
    boolean colon = op.startsWith(":") && op.length() == 2;
    boolean useAlternate = v == null || colon && v.isEmpty();
    switch (colon ? op.substring(1) : op) {
      case "-":
        return useAlternate ? pieces(p.arg().parts(), inQuotes, s) : List.of(new Piece(v, inQuotes, !inQuotes));
      case "=":
        if (useAlternate) {
          v = string(p.arg(), s);
          ctx.assign(name, v);
        }
        return List.of(new Piece(v, inQuotes, !inQuotes));
      case "?":
        if (useAlternate) {
          String msg = string(p.arg(), s);
          throw new ExpansionError(name + ": " + (msg.isEmpty()
              ? (colon ? "parameter null or not set" : "parameter not set") : msg));
        }
        return List.of(new Piece(v, inQuotes, !inQuotes));
      case "+":
        return useAlternate ? List.of() : pieces(p.arg().parts(), inQuotes, s);
      default:
        break;
    }
    if (v == null) {
      if (ctx.nounset()) {
        throw new ExpansionError(name + ": parameter not set");
      }
      v = "";
    }
    String result = switch (op) {
      case "%", "%%" -> removeSuffix(v, pattern(p.arg(), s), op.length() == 1);
      case "#", "##" -> removePrefix(v, pattern(p.arg(), s), op.length() == 1);
      case "/", "//" -> replace(v, p.arg(), s, op.length() == 2);
      case ":" -> substring(v, string(p.arg(), s));
      case "^^" -> v.toUpperCase(Locale.ROOT);
      case ",," -> v.toLowerCase(Locale.ROOT);
      case "^" -> v.isEmpty() ? v : v.substring(0, 1).toUpperCase(Locale.ROOT) + v.substring(1);
      case "," -> v.isEmpty() ? v : v.substring(0, 1).toLowerCase(Locale.ROOT) + v.substring(1);
      default -> throw new ExpansionError("bad substitution");
    };
    return List.of(new Piece(result, inQuotes, !inQuotes));
  }

  private static String removeSuffix(String v, String pattern, boolean shortest) {
    if (shortest) {
      for (int i = v.length(); i >= 0; i--) {
        if (Glob.matches(pattern, v.substring(i))) {
          return v.substring(0, i);
        }
      }
    } else {
      for (int i = 0; i <= v.length(); i++) {
        if (Glob.matches(pattern, v.substring(i))) {
          return v.substring(0, i);
        }
      }
    }
    return v;
  }

  private static String removePrefix(String v, String pattern, boolean shortest) {
    if (shortest) {
      for (int i = 0; i <= v.length(); i++) {
        if (Glob.matches(pattern, v.substring(0, i))) {
          return v.substring(i);
        }
      }
    } else {
      for (int i = v.length(); i >= 0; i--) {
        if (Glob.matches(pattern, v.substring(0, i))) {
          return v.substring(i);
        }
      }
    }
    return v;
  }

  private String replace(String v, Ast.Word arg, Session s, boolean all) {
    String raw = pattern(arg, s);
    int slash = -1;
    for (int i = 0; i < raw.length(); i++) {
      if (raw.charAt(i) == '\\') {
        i++;
      } else if (raw.charAt(i) == '/') {
        slash = i;
        break;
      }
    }
    String pat = slash < 0 ? raw : raw.substring(0, slash);
    String rep = slash < 0 ? "" : Glob.unescape(raw.substring(slash + 1));
    Matcher m = Glob.toRegex(pat, false).matcher(v);
    if (pat.isEmpty()) {
      return v;
    }
    return all ? m.replaceAll(Matcher.quoteReplacement(rep)) : m.replaceFirst(Matcher.quoteReplacement(rep));
  }

  private String substring(String v, String spec) {
    String[] parts = spec.split(":", 2);
    Arith.Vars vars = new Arith.Vars() {
      public String get(String n) {
        return ctx.var(n);
      }

      public void set(String n, String value) {
        ctx.assign(n, value);
      }
    };
    try {
      long off = Arith.eval(parts[0], vars);
      if (off < 0) {
        off = Math.max(0, v.length() + off);
      }
      off = Math.min(off, v.length());
      long len = parts.length > 1 ? Arith.eval(parts[1], vars) : v.length() - off;
      if (len < 0) {
        len = Math.max(0, v.length() + len - off);
      }
      return v.substring((int) off, (int) Math.min(v.length(), off + len));
    } catch (Arith.ArithException e) {
      throw new ExpansionError(e.getMessage());
    }
  }

  // ---------------------------------------------------------------- pathname expansion

  /** Matches of a pattern against the container's files, sorted; empty if none. */
  List<String> glob(String pattern) {
    boolean absolute = pattern.startsWith("/");
    String[] comps = pattern.split("/");
    List<String> current = new ArrayList<>();
    current.add(absolute ? "/" : "");
    for (String comp : comps) {
      if (comp.isEmpty()) {
        continue;
      }
      List<String> next = new ArrayList<>();
      for (String base : current) {
        String dir = base.isEmpty() ? "." : base;
        if (!Glob.hasMagic(comp)) {
          String candidate = join(base, Glob.unescape(comp));
          if (ctx.fs().exists(ctx.cwd(), candidate) || ctx.fs().find(ctx.cwd(), candidate) != null) {
            next.add(candidate);
          }
          continue;
        }
        List<String> names;
        try {
          names = ctx.fs().list(ctx.cwd(), dir);
        } catch (Exception e) {
          continue;
        }
        java.util.regex.Pattern re = Glob.toRegex(comp, false);
        for (String n : names) {
          if (n.startsWith(".") && !comp.startsWith(".") && !comp.startsWith("\\.")) {
            continue;
          }
          if (re.matcher(n).matches()) {
            next.add(join(base, n));
          }
        }
      }
      current = next;
      if (current.isEmpty()) {
        return List.of();
      }
    }
    if (pattern.endsWith("/")) {
      current.replaceAll(p -> p + "/");
    }
    current.sort(null);
    return current;
  }

  private static String join(String base, String name) {
    if (base.isEmpty()) {
      return name;
    }
    return base.endsWith("/") ? base + name : base + "/" + name;
  }
}
