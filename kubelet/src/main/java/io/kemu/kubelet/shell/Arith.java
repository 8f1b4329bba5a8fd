package io.kemu.kubelet.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Shell arithmetic (XCU 2.6.4): signed 64-bit integers, C operators with C precedence, assignments to variables,
 * pre/post increment and decrement, the conditional operator and the comma operator.
 */
final class Arith {
  /** Variables as the shell holds them. */
  interface Vars {
    String get(String name);

    void set(String name, String value);
  }

  static final class ArithException extends RuntimeException {
    ArithException(String message) {
      super(message, null, false, false);
    }
  }

  private final List<String> toks;
  private final Vars vars;
  private int i;
  private final String text;
  private int noEval;

  private Arith(String text, Vars vars) {
    this.text = text;
    this.vars = vars;
    this.toks = tokenize(text);
  }

  static long eval(String text, Vars vars) {
    if (text.isBlank()) {
      return 0;
    }
    Arith a = new Arith(text, vars);
    long v = a.comma();
    if (a.i < a.toks.size()) {
      throw new ArithException("arithmetic syntax error");
    }
    return v;
  }

  private static final String[] OPS = {"<<=", ">>=", "**", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
      "+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=", "+", "-", "*", "/", "%", "<", ">", "&", "^", "|", "!", "~", "?",
      ":", "=", "(", ")", ","};

  private static List<String> tokenize(String s) {
    List<String> out = new ArrayList<>();
    int i = 0;
    outer:
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      if (Character.isLetterOrDigit(c) || c == '_') {
        int j = i;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_' || s.charAt(j) == '#')) {
          j++;
        }
        out.add(s.substring(i, j));
        i = j;
        continue;
      }
      for (String op : OPS) {
        if (s.startsWith(op, i)) {
          out.add(op);
          i += op.length();
          continue outer;
        }
      }
      throw new ArithException("arithmetic syntax error");
    }
    return out;
  }

  private String peek() {
    return i < toks.size() ? toks.get(i) : "";
  }

  private boolean accept(String t) {
    if (peek().equals(t)) {
      i++;
      return true;
    }
    return false;
  }

  private long comma() {
    long v = assign();
    while (accept(",")) {
      v = assign();
    }
    return v;
  }

  private long assign() {
    if (i + 1 < toks.size() && isName(toks.get(i))) {
      String op = toks.get(i + 1);
      if (op.equals("=") || (op.length() >= 2 && op.endsWith("=") && !op.equals("==") && !op.equals("<=")
          && !op.equals(">=") && !op.equals("!="))) {
        String name = toks.get(i);
        i += 2;
        long rhs = assign();
        long v = op.equals("=") ? rhs : binary(op.substring(0, op.length() - 1), value(name), rhs);
        if (noEval == 0) {
          vars.set(name, Long.toString(v));
        }
        return v;
      }
    }
    return ternary();
  }

  private long ternary() {
    long c = binaryLevel(0);
    if (accept("?")) {
      if (c == 0) {
        noEval++;
      }
      long a = assign();
      if (c == 0) {
        noEval--;
      }
      if (!accept(":")) {
        throw new ArithException("arithmetic syntax error");
      }
      if (c != 0) {
        noEval++;
      }
      long b = ternary();
      if (c != 0) {
        noEval--;
      }
      return c != 0 ? a : b;
    }
    return c;
  }

  private static final String[][] LEVELS = {{"||"}, {"&&"}, {"|"}, {"^"}, {"&"}, {"==", "!="},
      {"<", "<=", ">", ">="}, {"<<", ">>"}, {"+", "-"}, {"*", "/", "%"}};

  private long binaryLevel(int level) {
    if (level == LEVELS.length) {
      return power();
    }
    long left = binaryLevel(level + 1);
    while (true) {
      String op = null;
      for (String o : LEVELS[level]) {
        if (peek().equals(o)) {
          op = o;
        }
      }
      if (op == null) {
        return left;
      }
      i++;
      if (op.equals("&&") && left == 0 || op.equals("||") && left != 0) {
        noEval++;
        binaryLevel(level + 1);
        noEval--;
        left = op.equals("||") ? 1 : 0;
        continue;
      }
      long right = binaryLevel(level + 1);
      left = binary(op, left, right);
    }
  }

  private long power() {
    long base = unary();
    if (accept("**")) {
      long exp = power();
      long r = 1;
      for (long k = 0; k < exp; k++) {
        r *= base;
      }
      return r;
    }
    return base;
  }

  private long binary(String op, long a, long b) {
    return switch (op) {
      case "||" -> a != 0 || b != 0 ? 1 : 0;
      case "&&" -> a != 0 && b != 0 ? 1 : 0;
      case "|" -> a | b;
      case "^" -> a ^ b;
      case "&" -> a & b;
      case "==" -> a == b ? 1 : 0;
      case "!=" -> a != b ? 1 : 0;
      case "<" -> a < b ? 1 : 0;
      case "<=" -> a <= b ? 1 : 0;
      case ">" -> a > b ? 1 : 0;
      case ">=" -> a >= b ? 1 : 0;
      case "<<" -> a << b;
      case ">>" -> a >> b;
      case "+" -> a + b;
      case "-" -> a - b;
      case "*" -> a * b;
      case "/", "%" -> {
        if (b == 0) {
          if (noEval > 0) {
            yield 0;
          }
          throw new ArithException("division by zero");
        }
        yield op.equals("/") ? a / b : a % b;
      }
      default -> throw new ArithException("arithmetic syntax error");
    };
  }

  private long unary() {
    String t = peek();
    switch (t) {
      case "+" -> {
        i++;
        return unary();
      }
      case "-" -> {
        i++;
        return -unary();
      }
      case "!" -> {
        i++;
        return unary() == 0 ? 1 : 0;
      }
      case "~" -> {
        i++;
        return ~unary();
      }
      case "++", "--" -> {
        i++;
        String name = peek();
        if (!isName(name)) {
          throw new ArithException("arithmetic syntax error");
        }
        i++;
        long v = value(name) + (t.equals("++") ? 1 : -1);
        if (noEval == 0) {
          vars.set(name, Long.toString(v));
        }
        return v;
      }
      default -> {
        return postfix();
      }
    }
  }

  private long postfix() {
    String t = peek();
    if (accept("(")) {
      long v = comma();
      if (!accept(")")) {
        throw new ArithException("arithmetic syntax error");
      }
      return v;
    }
    if (t.isEmpty()) {
      throw new ArithException("arithmetic syntax error");
    }
    i++;
    if (isName(t)) {
      long v = value(t);
      if (peek().equals("++") || peek().equals("--")) {
        String op = toks.get(i++);
        if (noEval == 0) {
          vars.set(t, Long.toString(v + (op.equals("++") ? 1 : -1)));
        }
      }
      return v;
    }
    return number(t);
  }

  private static boolean isName(String t) {
    return !t.isEmpty() && (Character.isLetter(t.charAt(0)) || t.charAt(0) == '_');
  }

  private long value(String name) {
    String v = vars.get(name);
    if (v == null || v.isBlank()) {
      return 0;
    }
    v = v.trim();
    try {
      return number(v);
    } catch (ArithException e) {
      if (v.equals(name) || v.equals(text)) {
        throw e;
      }
      return eval(v, vars);
    }
  }

  static long number(String t) {
    try {
      if (t.contains("#")) {
        int hash = t.indexOf('#');
        return Long.parseLong(t.substring(hash + 1), Integer.parseInt(t.substring(0, hash)));
      }
      if (t.startsWith("0x") || t.startsWith("0X")) {
        return Long.parseLong(t.substring(2), 16);
      }
      if (t.length() > 1 && t.startsWith("0")) {
        return Long.parseLong(t.substring(1), 8);
      }
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw new ArithException("arithmetic syntax error");
    }
  }
}
