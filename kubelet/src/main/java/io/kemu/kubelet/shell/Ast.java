package io.kemu.kubelet.shell;

import java.util.List;

/**
 * The shell's syntax tree (POSIX.1-2017 XCU 2.9 "Shell Commands" and 2.6 "Word Expansions"). Commands are
 * {@link Node}s; the words they contain are {@link Word}s made of {@link Part}s that keep their quoting, because
 * field splitting and pathname expansion apply only to unquoted results.
 */
public final class Ast {
  private Ast() {}

  // ---------------------------------------------------------------- commands

  public sealed interface Node permits Seq, AndOr, Pipeline, Simple, Redirected, Brace, Subshell, If, Loop, For,
      Case, FuncDef, Background, Empty {}

  /** Commands run one after the other ({@code ;} or newline). */
  public record Seq(List<Node> items) implements Node {}

  /** {@code a && b || c}: ops[i] joins items[i] and items[i+1]. */
  public record AndOr(List<Node> items, List<Boolean> andOps) implements Node {}

  /** {@code [!] a | b | c}. */
  public record Pipeline(List<Node> commands, boolean negate) implements Node {}

  /** {@code VAR=x cmd arg >file}: assignments, words (command name first) and redirections. */
  public record Simple(List<Assign> assigns, List<Word> words, List<Redir> redirs, int line) implements Node {}

  /** A compound command with redirections ({@code while ...; done < file}, {@code { ...; } >log}). */
  public record Redirected(Node body, List<Redir> redirs) implements Node {}

  public record Brace(Node body) implements Node {}

  public record Subshell(Node body) implements Node {}

  /** {@code if c1; then b1; elif c2; then b2; else e; fi}. */
  public record If(List<Node> conditions, List<Node> bodies, Node elseBody) implements Node {}

  /** {@code while}/{@code until}. */
  public record Loop(boolean until, Node condition, Node body) implements Node {}

  /** {@code for name [in words]; do body; done}; words null means "$@". */
  public record For(String name, List<Word> words, Node body) implements Node {}

  public record Case(Word subject, List<CaseItem> items) implements Node {}

  /** {@code pattern|pattern) body ;;} (fallthrough with {@code ;&} is bash's). */
  public record CaseItem(List<Word> patterns, Node body) {}

  public record FuncDef(String name, Node body) implements Node {}

  /** {@code cmd &}. */
  public record Background(Node command) implements Node {}

  public record Empty() implements Node {}

  public record Assign(String name, Word value, boolean append) {}

  /**
   * A redirection: fd (or -1 for the default of the operator), operator ({@code <, >, >>, >|, <>, <&, >&, <<, <<-,
   * &>}), target word; for here-documents the body text and whether it is expanded.
   */
  public record Redir(int fd, String op, Word target, HereDoc hereDoc) {}

  /** Filled when the lexer reaches the line after the operator. */
  public static final class HereDoc {
    public final String delimiter;
    public final boolean expand;
    public final boolean stripTabs;
    public String body = "";

    public HereDoc(String delimiter, boolean expand, boolean stripTabs) {
      this.delimiter = delimiter;
      this.expand = expand;
      this.stripTabs = stripTabs;
    }
  }

  // ---------------------------------------------------------------- words

  public record Word(List<Part> parts) {
    /** The literal text if the word has no expansion and no quotes. */
    public String literal() {
      StringBuilder sb = new StringBuilder();
      for (Part p : parts) {
        if (p instanceof Lit l) {
          sb.append(l.text());
        } else {
          return null;
        }
      }
      return sb.toString();
    }

    /** The text as if every quote were removed and nothing expanded (heredoc delimiters, case of reserved words). */
    public String unquoted() {
      StringBuilder sb = new StringBuilder();
      for (Part p : parts) {
        if (p instanceof Lit l) {
          sb.append(l.text());
        } else if (p instanceof SingleQuoted s) {
          sb.append(s.text());
        } else if (p instanceof DoubleQuoted d) {
          sb.append(new Word(d.parts()).unquoted());
        } else if (p instanceof Escaped e) {
          sb.append(e.text());
        } else {
          return null;
        }
      }
      return sb.toString();
    }

    public boolean isQuoted() {
      for (Part p : parts) {
        if (!(p instanceof Lit)) {
          return true;
        }
      }
      return false;
    }
  }

  public sealed interface Part permits Lit, Escaped, SingleQuoted, DoubleQuoted, Param, CommandSub, Arith, Tilde {}

  /** Unquoted text (subject to field splitting only if it came from an expansion: never, for a literal). */
  public record Lit(String text) implements Part {}

  /** A backslash-escaped character or quoted literal text inside double quotes. */
  public record Escaped(String text) implements Part {}

  public record SingleQuoted(String text) implements Part {}

  public record DoubleQuoted(List<Part> parts) implements Part {}

  /**
   * {@code $name}, {@code ${name}}, {@code ${#name}}, {@code ${name op word}}: op is one of {@code - = ? +} with or
   * without a colon, {@code % %% # ##}, bash's {@code / //} (word is "pattern/replacement") and {@code :off:len}.
   */
  public record Param(String name, String op, Word arg, boolean length) implements Part {}

  /** {@code $(...)} or backquotes. */
  public record CommandSub(Node program) implements Part {}

  /** {@code $((...))}: the expression text is expanded (parameters, substitutions) then evaluated. */
  public record Arith(Word expression) implements Part {}

  /** {@code ~} or {@code ~user} at the start of a word. */
  public record Tilde(String user) implements Part {}
}
