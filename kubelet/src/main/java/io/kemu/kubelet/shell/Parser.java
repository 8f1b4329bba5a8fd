package io.kemu.kubelet.shell;

import io.kemu.kubelet.shell.Ast.Node;
import io.kemu.kubelet.shell.Lexer.Kind;
import io.kemu.kubelet.shell.Lexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Recursive descent over the POSIX shell grammar (XCU 2.10): lists, and-or lists, pipelines, simple and compound
 * commands, function definitions, redirections and here-documents. Reserved words are recognised only where a
 * command name could start, as the standard requires.
 */
public final class Parser {
  private static final Set<String> RESERVED = Set.of("if", "then", "else", "elif", "fi", "do", "done", "case",
      "esac", "while", "until", "for", "{", "}", "!", "in", "function");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern ASSIGNMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(\\+?)=.*", Pattern.DOTALL);

  private final Lexer lexer;
  private Token peeked;

  Parser(Lexer lexer) {
    this.lexer = lexer;
  }

  /** Parses a whole script. */
  public static Node parse(String script) {
    Parser p = new Parser(new Lexer(script));
    Node n = p.list(Set.of(), false);
    Token t = p.peek();
    if (t.kind() != Kind.EOF) {
      throw new ShellSyntaxException(t.describe(), t.line());
    }
    return n;
  }

  /** After "$(": the commands up to and including the matching ")". */
  Node parseSubstitution() {
    Node n = list(Set.of(), true);
    Token t = next();
    if (!t.isOp(")")) {
      throw new ShellSyntaxException(t.kind() == Kind.EOF ? "end of file (expecting \")\")" : t.describe(), t.line());
    }
    return n;
  }

  // ---------------------------------------------------------------- tokens

  private Token peek() {
    if (peeked == null) {
      peeked = lexer.next();
    }
    return peeked;
  }

  private Token next() {
    Token t = peek();
    peeked = null;
    return t;
  }

  private void skipNewlines() {
    while (peek().kind() == Kind.NEWLINE) {
      next();
    }
  }

  private Token expectWord(String word) {
    skipNewlines();
    Token t = next();
    if (!t.isWord(word)) {
      throw new ShellSyntaxException(t.describe() + " (expecting \"" + word + "\")", t.line());
    }
    return t;
  }

  private boolean atStop(Set<String> stops, boolean inParens) {
    Token t = peek();
    if (t.kind() == Kind.EOF) {
      return true;
    }
    if (t.isOp(")") || t.isOp(";;") || t.isOp(";&")) {
      return true;
    }
    return t.kind() == Kind.WORD && t.word().literal() != null && stops.contains(t.word().literal());
  }

  // ---------------------------------------------------------------- lists

  /** compound_list: and-or lists separated by ';', '&' or newlines, until a stop word or ')'. */
  private Node list(Set<String> stops, boolean inParens) {
    List<Node> items = new ArrayList<>();
    skipNewlines();
    while (!atStop(stops, inParens)) {
      Node n = andOr();
      Token t = peek();
      if (t.isOp("&")) {
        next();
        items.add(new Ast.Background(n));
      } else if (t.isOp(";")) {
        next();
        items.add(n);
      } else if (t.kind() == Kind.NEWLINE) {
        items.add(n);
      } else {
        items.add(n);
        if (!atStop(stops, inParens)) {
          throw new ShellSyntaxException(t.describe(), t.line());
        }
      }
      skipNewlines();
    }
    if (items.isEmpty()) {
      return new Ast.Empty();
    }
    return items.size() == 1 ? items.get(0) : new Ast.Seq(items);
  }

  private Node andOr() {
    List<Node> items = new ArrayList<>();
    List<Boolean> ops = new ArrayList<>();
    items.add(pipeline());
    while (peek().isOp("&&") || peek().isOp("||")) {
      ops.add(next().text().equals("&&"));
      skipNewlines();
      items.add(pipeline());
    }
    return items.size() == 1 ? items.get(0) : new Ast.AndOr(items, ops);
  }

  private Node pipeline() {
    boolean negate = false;
    while (peek().isWord("!")) {
      next();
      negate = !negate;
    }
    List<Node> cmds = new ArrayList<>();
    cmds.add(command());
    while (peek().isOp("|")) {
      next();
      skipNewlines();
      cmds.add(command());
    }
    return cmds.size() == 1 && !negate ? cmds.get(0) : new Ast.Pipeline(cmds, negate);
  }

  // ---------------------------------------------------------------- commands

  private Node command() {
    Token t = peek();
    if (t.kind() == Kind.WORD && t.word().literal() != null) {
      String w = t.word().literal();
      Node compound = switch (w) {
        case "{" -> braceGroup();
        case "if" -> ifCommand();
        case "while", "until" -> loop();
        case "for" -> forCommand();
        case "case" -> caseCommand();
        case "function" -> bashFunction();
        default -> null;
      };
      if (compound != null) {
        return withRedirects(compound);
      }
      if (RESERVED.contains(w) && !w.equals("!")) {
        throw new ShellSyntaxException(w, t.line());
      }
    }
    if (t.isOp("(")) {
      next();
      Node body = list(Set.of(), true);
      Token close = next();
      if (!close.isOp(")")) {
        throw new ShellSyntaxException(close.describe(), close.line());
      }
      return withRedirects(new Ast.Subshell(body));
    }
    return simple();
  }

  private Node withRedirects(Node compound) {
    List<Ast.Redir> redirs = new ArrayList<>();
    while (isRedirect(peek())) {
      redirs.add(redirect());
    }
    return redirs.isEmpty() ? compound : new Ast.Redirected(compound, redirs);
  }

  private Node braceGroup() {
    next();
    Node body = list(Set.of("}"), false);
    expectWord("}");
    return new Ast.Brace(body);
  }

  private Node ifCommand() {
    next();
    List<Node> conds = new ArrayList<>();
    List<Node> bodies = new ArrayList<>();
    conds.add(list(Set.of("then"), false));
    expectWord("then");
    bodies.add(list(Set.of("elif", "else", "fi"), false));
    Node elseBody = null;
    while (true) {
      Token t = next();
      if (t.isWord("elif")) {
        conds.add(list(Set.of("then"), false));
        expectWord("then");
        bodies.add(list(Set.of("elif", "else", "fi"), false));
      } else if (t.isWord("else")) {
        elseBody = list(Set.of("fi"), false);
        expectWord("fi");
        break;
      } else if (t.isWord("fi")) {
        break;
      } else {
        throw new ShellSyntaxException(t.describe() + " (expecting \"fi\")", t.line());
      }
    }
    return new Ast.If(conds, bodies, elseBody);
  }

  private Node loop() {
    boolean until = next().isWord("until");
    Node cond = list(Set.of("do"), false);
    expectWord("do");
    Node body = list(Set.of("done"), false);
    expectWord("done");
    return new Ast.Loop(until, cond, body);
  }

  private Node forCommand() {
    next();
    Token name = next();
    if (name.kind() != Kind.WORD || name.word().literal() == null || !NAME.matcher(name.word().literal()).matches()) {
      throw new ShellSyntaxException(name.describe(), name.line());
    }
    List<Ast.Word> words = null;
    if (peek().isOp(";")) {
      next();
    }
    skipNewlines();
    if (peek().isWord("in")) {
      next();
      words = new ArrayList<>();
      while (peek().kind() == Kind.WORD) {
        words.add(next().word());
      }
      Token sep = next();
      if (!sep.isOp(";") && sep.kind() != Kind.NEWLINE) {
        throw new ShellSyntaxException(sep.describe(), sep.line());
      }
    }
    expectWord("do");
    Node body = list(Set.of("done"), false);
    expectWord("done");
    return new Ast.For(name.word().literal(), words, body);
  }

  private Node caseCommand() {
    next();
    Token subject = next();
    if (subject.kind() != Kind.WORD) {
      throw new ShellSyntaxException(subject.describe(), subject.line());
    }
    expectWord("in");
    List<Ast.CaseItem> items = new ArrayList<>();
    skipNewlines();
    while (!peek().isWord("esac")) {
      if (peek().isOp("(")) {
        next();
      }
      List<Ast.Word> patterns = new ArrayList<>();
      Token p = next();
      if (p.kind() != Kind.WORD) {
        throw new ShellSyntaxException(p.describe(), p.line());
      }
      patterns.add(p.word());
      while (peek().isOp("|")) {
        next();
        patterns.add(next().word());
      }
      Token close = next();
      if (!close.isOp(")")) {
        throw new ShellSyntaxException(close.describe(), close.line());
      }
      Node body = list(Set.of("esac"), false);
      items.add(new Ast.CaseItem(patterns, body));
      Token end = peek();
      if (end.isOp(";;") || end.isOp(";&")) {
        next();
        skipNewlines();
      } else if (!end.isWord("esac")) {
        throw new ShellSyntaxException(end.describe(), end.line());
      }
    }
    next();
    return new Ast.Case(subject.word(), items);
  }

  private Node bashFunction() {
    next();
    Token name = next();
    if (peek().isOp("(")) {
      next();
      Token close = next();
      if (!close.isOp(")")) {
        throw new ShellSyntaxException(close.describe(), close.line());
      }
    }
    skipNewlines();
    return new Ast.FuncDef(name.word().unquoted(), command());
  }

  private static boolean isRedirect(Token t) {
    if (t.kind() == Kind.IO_NUMBER) {
      return true;
    }
    return t.kind() == Kind.OP && switch (t.text()) {
      case "<", ">", ">>", ">|", "<>", "<&", ">&", "<<", "<<-", "&>" -> true;
      default -> false;
    };
  }

  private Ast.Redir redirect() {
    int fd = -1;
    if (peek().kind() == Kind.IO_NUMBER) {
      fd = Integer.parseInt(next().text());
    }
    Token op = next();
    Token target = next();
    if (target.kind() != Kind.WORD) {
      throw new ShellSyntaxException(target.describe(), target.line());
    }
    if (op.text().startsWith("<<")) {
      String delim = target.word().unquoted();
      if (delim == null) {
        delim = target.text();
      }
      Ast.HereDoc h = new Ast.HereDoc(delim, !target.word().isQuoted(), op.text().equals("<<-"));
      lexer.queueHereDoc(h);
      return new Ast.Redir(fd, op.text(), target.word(), h);
    }
    return new Ast.Redir(fd, op.text(), target.word(), null);
  }

  private Node simple() {
    List<Ast.Assign> assigns = new ArrayList<>();
    List<Ast.Word> words = new ArrayList<>();
    List<Ast.Redir> redirs = new ArrayList<>();
    int line = peek().line();
    while (true) {
      Token t = peek();
      if (isRedirect(t)) {
        redirs.add(redirect());
        continue;
      }
      if (t.kind() != Kind.WORD) {
        break;
      }
      if (words.isEmpty()) {
        Ast.Assign a = assignment(t);
        if (a != null) {
          next();
          assigns.add(a);
          continue;
        }
      }
      next();
      words.add(t.word());
      if (words.size() == 1 && peek().isOp("(") && t.word().literal() != null
          && NAME.matcher(t.word().literal().replace('-', '_').replace('.', '_')).matches() && assigns.isEmpty()) {
        next();
        Token close = next();
        if (!close.isOp(")")) {
          throw new ShellSyntaxException(close.describe(), close.line());
        }
        skipNewlines();
        return new Ast.FuncDef(t.word().literal(), command());
      }
    }
    if (assigns.isEmpty() && words.isEmpty() && redirs.isEmpty()) {
      Token t = peek();
      throw new ShellSyntaxException(t.describe(), t.line());
    }
    return new Ast.Simple(assigns, words, redirs, line);
  }

  /** NAME=value (or NAME+=value) at the start of a simple command: the name part must be unquoted. */
  private static Ast.Assign assignment(Token t) {
    List<Ast.Part> parts = t.word().parts();
    if (parts.isEmpty() || !(parts.get(0) instanceof Ast.Lit first)) {
      return null;
    }
    var m = ASSIGNMENT.matcher(first.text());
    if (!m.matches()) {
      return null;
    }
    String name = m.group(1);
    boolean append = !m.group(2).isEmpty();
    int eq = first.text().indexOf('=');
    List<Ast.Part> value = new ArrayList<>();
    String rest = first.text().substring(eq + 1);
    if (!rest.isEmpty()) {
      value.add(new Ast.Lit(rest));
    }
    value.addAll(parts.subList(1, parts.size()));
    return new Ast.Assign(name, new Ast.Word(value), append);
  }
}
