package io.kemu.kubelet.shell;

import io.kemu.kubelet.shell.Ast.Part;
import java.util.ArrayList;
import java.util.List;

/**
 * Token recognition (XCU 2.3): operators, IO numbers, newlines and words, each word already broken into its quoted
 * and expanded parts. Command substitutions are parsed on the spot by a nested {@link Parser} over the same input,
 * so that {@code $(case x in a) ...;; esac)} finds its own closing parenthesis. Here-document bodies are read when
 * the newline after their operator is reached.
 */
final class Lexer {
  enum Kind { WORD, OP, NEWLINE, IO_NUMBER, EOF }

  record Token(Kind kind, String text, Ast.Word word, int line) {
    boolean isOp(String op) {
      return kind == Kind.OP && text.equals(op);
    }

    /** An unquoted word equal to s (reserved words are recognised by the parser in command position). */
    boolean isWord(String s) {
      return kind == Kind.WORD && s.equals(word.literal());
    }

    String describe() {
      return switch (kind) {
        case EOF -> "end of file";
        case NEWLINE -> "newline";
        case WORD -> word.unquoted() != null ? word.unquoted() : text;
        default -> text;
      };
    }
  }

  private static final String[] OPERATORS = {"&&", "||", ";;", ";&", "<<-", "<<", ">>", "<&", ">&", "<>", ">|", "&>",
      ";", "&", "|", "(", ")", "<", ">"};

  final String src;
  int pos;
  int line = 1;
  private final List<Ast.HereDoc> pendingHereDocs = new ArrayList<>();

  Lexer(String src) {
    this.src = src;
  }

  void queueHereDoc(Ast.HereDoc h) {
    pendingHereDocs.add(h);
  }

  private char peekc(int off) {
    int i = pos + off;
    return i < src.length() ? src.charAt(i) : '\0';
  }

  private boolean atEnd() {
    return pos >= src.length();
  }

  Token next() {
    skipBlanks();
    if (atEnd()) {
      return new Token(Kind.EOF, "", null, line);
    }
    char c = src.charAt(pos);
    if (c == '\n') {
      pos++;
      int l = line++;
      readHereDocs();
      return new Token(Kind.NEWLINE, "\n", null, l);
    }
    if (Character.isDigit(c)) {
      int j = pos;
      while (j < src.length() && Character.isDigit(src.charAt(j))) {
        j++;
      }
      if (j < src.length() && (src.charAt(j) == '<' || src.charAt(j) == '>')) {
        String n = src.substring(pos, j);
        pos = j;
        return new Token(Kind.IO_NUMBER, n, null, line);
      }
    }
    for (String op : OPERATORS) {
      if (src.startsWith(op, pos)) {
        pos += op.length();
        return new Token(Kind.OP, op, null, line);
      }
    }
    int l = line;
    int start = pos;
    Ast.Word w = readWord(Mode.NORMAL);
    return new Token(Kind.WORD, src.substring(start, pos), w, l);
  }

  private void skipBlanks() {
    while (!atEnd()) {
      char c = src.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\r') {
        pos++;
      } else if (c == '\\' && peekc(1) == '\n') {
        pos += 2;
        line++;
      } else if (c == '#') {
        while (!atEnd() && src.charAt(pos) != '\n') {
          pos++;
        }
      } else {
        return;
      }
    }
  }

  private void readHereDocs() {
    for (Ast.HereDoc h : pendingHereDocs) {
      StringBuilder body = new StringBuilder();
      while (!atEnd()) {
        int eol = src.indexOf('\n', pos);
        String ln = eol < 0 ? src.substring(pos) : src.substring(pos, eol);
        pos = eol < 0 ? src.length() : eol + 1;
        line++;
        String cmp = h.stripTabs ? ln.replaceFirst("^\t+", "") : ln;
        if (cmp.equals(h.delimiter)) {
          break;
        }
        body.append(cmp).append('\n');
      }
      h.body = body.toString();
    }
    pendingHereDocs.clear();
  }

  // ---------------------------------------------------------------- words

  enum Mode { NORMAL, DQUOTE, BRACE, HEREDOC, ARITH }

  private static boolean isMeta(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')'
        || c == '<' || c == '>' || c == '\r';
  }

  /** Reads word parts until the mode's terminator (not consumed). */
  Ast.Word readWord(Mode mode) {
    List<Part> parts = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    int braceDepth = 0;
    int parenDepth = 0;
    boolean first = true;
    while (!atEnd()) {
      char c = src.charAt(pos);
      if (mode == Mode.NORMAL && isMeta(c)) {
        break;
      }
      if (mode == Mode.DQUOTE && c == '"') {
        break;
      }
      if (mode == Mode.BRACE && c == '}' && braceDepth == 0) {
        break;
      }
      if (mode == Mode.ARITH) {
        if (c == '(') {
          parenDepth++;
        } else if (c == ')') {
          if (parenDepth == 0) {
            break;
          }
          parenDepth--;
        }
      }
      if (mode == Mode.NORMAL && first && c == '~') {
        int j = pos + 1;
        while (j < src.length() && (Character.isLetterOrDigit(src.charAt(j)) || src.charAt(j) == '_'
            || src.charAt(j) == '-' || src.charAt(j) == '.')) {
          j++;
        }
        if (j >= src.length() || src.charAt(j) == '/' || isMeta(src.charAt(j))) {
          parts.add(new Ast.Tilde(src.substring(pos + 1, j)));
          pos = j;
          first = false;
          continue;
        }
      }
      first = false;
      if (c == '\\') {
        char n = peekc(1);
        if (n == '\n') {
          pos += 2;
          line++;
          continue;
        }
        if (pos + 1 >= src.length()) {
          lit.append('\\');
          pos++;
          continue;
        }
        boolean special = switch (mode) {
          case DQUOTE -> n == '$' || n == '`' || n == '"' || n == '\\';
          case HEREDOC, ARITH -> n == '$' || n == '`' || n == '\\';
          case BRACE, NORMAL -> true;
        };
        if (special) {
          flush(parts, lit, mode);
          parts.add(new Ast.Escaped(String.valueOf(n)));
          pos += 2;
        } else {
          lit.append('\\');
          pos++;
        }
        continue;
      }
      if (c == '\'' && (mode == Mode.NORMAL || mode == Mode.BRACE)) {
        int end = src.indexOf('\'', pos + 1);
        if (end < 0) {
          throw new ShellSyntaxException("end of file (expecting \"'\")", line);
        }
        flush(parts, lit, mode);
        String text = src.substring(pos + 1, end);
        countLines(text);
        parts.add(new Ast.SingleQuoted(text));
        pos = end + 1;
        continue;
      }
      if (c == '"' && (mode == Mode.NORMAL || mode == Mode.BRACE)) {
        flush(parts, lit, mode);
        pos++;
        Ast.Word inner = readWord(Mode.DQUOTE);
        if (atEnd()) {
          throw new ShellSyntaxException("end of file (expecting '\"')", line);
        }
        pos++;
        parts.add(new Ast.DoubleQuoted(inner.parts()));
        continue;
      }
      if (c == '$') {
        Part p = readDollar(mode);
        if (p != null) {
          flush(parts, lit, mode);
          parts.add(p);
          continue;
        }
        lit.append('$');
        pos++;
        continue;
      }
      if (c == '`') {
        flush(parts, lit, mode);
        parts.add(readBackquote());
        continue;
      }
      if (mode == Mode.BRACE && c == '{') {
        braceDepth++;
      } else if (mode == Mode.BRACE && c == '}') {
        braceDepth--;
      }
      if (c == '\n') {
        line++;
      }
      lit.append(c);
      pos++;
    }
    flush(parts, lit, mode);
    return new Ast.Word(parts);
  }

  private void countLines(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\n') {
        line++;
      }
    }
  }

  private static void flush(List<Part> parts, StringBuilder lit, Mode mode) {
    if (lit.length() > 0) {
      // text inside double quotes (or a here-document) is never split or globbed
      parts.add(mode == Mode.DQUOTE || mode == Mode.HEREDOC ? new Ast.Escaped(lit.toString()) : new Ast.Lit(lit.toString()));
      lit.setLength(0);
    }
  }

  private Part readBackquote() {
    int start = ++pos;
    StringBuilder inner = new StringBuilder();
    while (!atEnd() && src.charAt(pos) != '`') {
      char c = src.charAt(pos);
      if (c == '\\' && pos + 1 < src.length() && "$`\\".indexOf(src.charAt(pos + 1)) >= 0) {
        inner.append(src.charAt(pos + 1));
        pos += 2;
        continue;
      }
      inner.append(c);
      pos++;
    }
    if (atEnd()) {
      throw new ShellSyntaxException("end of file (expecting \"`\")", line);
    }
    countLines(src.substring(start, pos));
    pos++;
    return new Ast.CommandSub(Parser.parse(inner.toString()));
  }

  private static boolean isNameStart(char c) {
    return Character.isLetter(c) || c == '_';
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  /** After a '$': the expansion, or null when the '$' is literal. */
  private Part readDollar(Mode mode) {
    char n = peekc(1);
    if (n == '(' && peekc(2) == '(' && isArithmetic()) {
      pos += 3;
      Ast.Word expr = readWord(Mode.ARITH);
      if (!src.startsWith("))", pos)) {
        throw new ShellSyntaxException("end of file (expecting \"))\")", line);
      }
      pos += 2;
      return new Ast.Arith(expr);
    }
    if (n == '(') {
      pos += 2;
      Parser sub = new Parser(this);
      Ast.Node body = sub.parseSubstitution();
      return new Ast.CommandSub(body);
    }
    if (n == '{') {
      pos += 2;
      return readBraceParam();
    }
    if (n == '\'' && mode == Mode.NORMAL) {
      pos += 2;
      return new Ast.SingleQuoted(readAnsiC());
    }
    if (isNameStart(n)) {
      int j = pos + 1;
      while (j < src.length() && isNameChar(src.charAt(j))) {
        j++;
      }
      String name = src.substring(pos + 1, j);
      pos = j;
      return new Ast.Param(name, null, null, false);
    }
    if (Character.isDigit(n) || "?$!#@*-".indexOf(n) >= 0 && n != '\0') {
      pos += 2;
      return new Ast.Param(String.valueOf(n), null, null, false);
    }
    return null;
  }

  /** Tells {@code $((expr))} from {@code $( (cmd) )}: arithmetic iff the parentheses close as "))". */
  private boolean isArithmetic() {
    int depth = 0;
    for (int i = pos + 3; i < src.length(); i++) {
      char c = src.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        if (depth == 0) {
          return i + 1 < src.length() && src.charAt(i + 1) == ')';
        }
        depth--;
      }
    }
    return false;
  }

  private Part readBraceParam() {
    boolean length = false;
    if (peekc(0) == '#' && peekc(1) != '}' && !(peekc(1) == '-' || peekc(1) == '=' || peekc(1) == '?'
        || peekc(1) == '+' || peekc(1) == ':')) {
      length = true;
      pos++;
    }
    String name;
    char c = peekc(0);
    if (isNameStart(c)) {
      int j = pos;
      while (j < src.length() && isNameChar(src.charAt(j))) {
        j++;
      }
      name = src.substring(pos, j);
      pos = j;
    } else if (Character.isDigit(c)) {
      int j = pos;
      while (j < src.length() && Character.isDigit(src.charAt(j))) {
        j++;
      }
      name = src.substring(pos, j);
      pos = j;
    } else if ("?$!#@*-".indexOf(c) >= 0 && c != '\0') {
      name = String.valueOf(c);
      pos++;
    } else {
      throw new ShellSyntaxException("bad substitution", line);
    }
    if (peekc(0) == '}') {
      pos++;
      return new Ast.Param(name, null, null, length);
    }
    if (length) {
      throw new ShellSyntaxException("bad substitution", line);
    }
    String op = null;
    for (String o : new String[] {":-", ":=", ":?", ":+", "-", "=", "?", "+", "%%", "%", "##", "#", "//", "/",
        "^^", "^", ",,", ","}) {
      if (src.startsWith(o, pos)) {
        op = o;
        break;
      }
    }
    if (op == null && peekc(0) == ':') {
      op = ":";
    }
    if (op == null) {
      throw new ShellSyntaxException("bad substitution", line);
    }
    pos += op.length();
    Ast.Word arg = readWord(Mode.BRACE);
    if (peekc(0) != '}') {
      throw new ShellSyntaxException("end of file (expecting \"}\")", line);
    }
    pos++;
    return new Ast.Param(name, op, arg, false);
  }

  /** bash's $'...' with C escapes. */
  private String readAnsiC() {
    StringBuilder sb = new StringBuilder();
    while (!atEnd() && src.charAt(pos) != '\'') {
      char c = src.charAt(pos++);
      if (c == '\\' && !atEnd()) {
        char e = src.charAt(pos++);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          case 'a' -> sb.append('\007');
          case 'e', 'E' -> sb.append('\033');
          case '0' -> sb.append('\0');
          case '\\' -> sb.append('\\');
          case '\'' -> sb.append('\'');
          case '"' -> sb.append('"');
          default -> sb.append('\\').append(e);
        }
      } else {
        sb.append(c);
      }
    }
    pos++;
    return sb.toString();
  }

  /** A here-document body as a word: parameters and substitutions expand, nothing is split. */
  static Ast.Word hereDocWord(String body) {
    Lexer l = new Lexer(body);
    return l.readWord(Mode.HEREDOC);
  }
}
