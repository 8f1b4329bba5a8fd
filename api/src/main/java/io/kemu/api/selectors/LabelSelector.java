package io.kemu.api.selectors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A label selector as k8s.io/apimachinery/pkg/labels parses it: comma-separated requirements, each
 * {@code key}, {@code !key}, {@code key=value}, {@code key==value}, {@code key!=value},
 * {@code key in (a,b)}, {@code key notin (a,b)}, {@code key>1}, {@code key<1}. All requirements must hold.
 */
public final class LabelSelector {
  public enum Operator { EXISTS, DOES_NOT_EXIST, EQUALS, NOT_EQUALS, IN, NOT_IN, GREATER_THAN, LESS_THAN }

  public record Requirement(String key, Operator operator, Set<String> values) {
    public boolean matches(Map<String, String> labels) {
      String v = labels == null ? null : labels.get(key);
      return switch (operator) {
        case EXISTS -> v != null;
        case DOES_NOT_EXIST -> v == null;
        case EQUALS, IN -> v != null && values.contains(v);
        case NOT_EQUALS, NOT_IN -> v == null || !values.contains(v);
        case GREATER_THAN, LESS_THAN -> {
          if (v == null) {
            yield false;
          }
          try {
            long have = Long.parseLong(v);
            long want = Long.parseLong(values.iterator().next());
            yield operator == Operator.GREATER_THAN ? have > want : have < want;
          } catch (NumberFormatException e) {
            yield false;
          }
        }
      };
    }
  }

  public static final LabelSelector EVERYTHING = new LabelSelector(List.of());
  /** Matches nothing: what a null metav1.LabelSelector means for workload controllers. */
  public static final LabelSelector NOTHING = new LabelSelector(null);

  private final List<Requirement> requirements;

  private LabelSelector(List<Requirement> requirements) {
    this.requirements = requirements;
  }

  public List<Requirement> requirements() {
    return requirements == null ? List.of() : requirements;
  }

  public boolean isEmpty() {
    return requirements != null && requirements.isEmpty();
  }

  public boolean matches(Map<String, String> labels) {
    if (requirements == null) {
      return false;
    }
    for (Requirement r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  /** Equality-only selector from a label map (metav1.LabelSelector.matchLabels, Service.spec.selector). */
  public static LabelSelector fromMap(Map<String, String> labels) {
    if (labels == null || labels.isEmpty()) {
      return EVERYTHING;
    }
    List<Requirement> reqs = new ArrayList<>();
    new java.util.TreeMap<>(labels).forEach((k, v) -> reqs.add(new Requirement(k, Operator.EQUALS, Set.of(v))));
    return new LabelSelector(reqs);
  }

  /**
   * metav1.LabelSelectorAsSelector: a null selector matches nothing, an empty one everything; matchExpressions
   * use In, NotIn, Exists, DoesNotExist.
   */
  public static LabelSelector fromLabelSelector(io.fabric8.kubernetes.api.model.LabelSelector s) {
    if (s == null) {
      return NOTHING;
    }
    List<Requirement> reqs = new ArrayList<>(fromMap(s.getMatchLabels()).requirements());
    if (s.getMatchExpressions() != null) {
      for (var e : s.getMatchExpressions()) {
        Operator op = switch (e.getOperator()) {
          case "In" -> Operator.IN;
          case "NotIn" -> Operator.NOT_IN;
          case "Exists" -> Operator.EXISTS;
          case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
          default -> throw new SelectorParseException("\"" + e.getOperator() + "\" is not a valid label selector operator");
        };
        reqs.add(new Requirement(e.getKey(), op, new TreeSet<>(e.getValues() == null ? List.of() : e.getValues())));
      }
    }
    return new LabelSelector(reqs);
  }

  public static LabelSelector parse(String s) {
    if (s == null || s.isBlank()) {
      return EVERYTHING;
    }
    return new LabelSelector(new Parser(s).parse());
  }

  /** Renders as labels.Selector.String() does (also the Scale subresource's status.selector). */
  @Override
  public String toString() {
    if (requirements == null) {
      return "<none>";
    }
    List<String> parts = new ArrayList<>();
    for (Requirement r : requirements) {
      String vals = String.join(",", new TreeSet<>(r.values()));
      parts.add(switch (r.operator()) {
        case EXISTS -> r.key();
        case DOES_NOT_EXIST -> "!" + r.key();
        case EQUALS -> r.key() + "=" + vals;
        case NOT_EQUALS -> r.key() + "!=" + vals;
        case IN -> r.key() + " in (" + vals + ")";
        case NOT_IN -> r.key() + " notin (" + vals + ")";
        case GREATER_THAN -> r.key() + ">" + vals;
        case LESS_THAN -> r.key() + "<" + vals;
      });
    }
    return String.join(",", parts);
  }

  /** A small recursive-descent parser over the selector grammar of apimachinery's labels/selector.go. */
  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    List<Requirement> parse() {
      List<Requirement> out = new ArrayList<>();
      while (true) {
        skipSpaces();
        out.add(requirement());
        skipSpaces();
        if (pos >= s.length()) {
          return out;
        }
        if (s.charAt(pos) != ',') {
          throw new SelectorParseException("found '" + s.charAt(pos) + "', expected: ',' or 'end of string'");
        }
        pos++;
      }
    }

    private Requirement requirement() {
      boolean negate = false;
      if (peek() == '!') {
        negate = true;
        pos++;
        skipSpaces();
      }
      String key = identifier("key");
      validateKey(key);
      skipSpaces();
      if (negate) {
        return new Requirement(key, Operator.DOES_NOT_EXIST, Set.of());
      }
      if (pos >= s.length() || peek() == ',') {
        return new Requirement(key, Operator.EXISTS, Set.of());
      }
      Operator op;
      if (s.startsWith("==", pos)) {
        op = Operator.EQUALS;
        pos += 2;
      } else if (s.startsWith("!=", pos)) {
        op = Operator.NOT_EQUALS;
        pos += 2;
      } else if (peek() == '=') {
        op = Operator.EQUALS;
        pos++;
      } else if (peek() == '>') {
        op = Operator.GREATER_THAN;
        pos++;
      } else if (peek() == '<') {
        op = Operator.LESS_THAN;
        pos++;
      } else if (word("notin")) {
        op = Operator.NOT_IN;
      } else if (word("in")) {
        op = Operator.IN;
      } else {
        throw new SelectorParseException("found '" + rest() + "', expected: in, notin, =, ==, !=, gt, lt");
      }
      skipSpaces();
      Set<String> values = new TreeSet<>();
      if (op == Operator.IN || op == Operator.NOT_IN) {
        if (peek() != '(') {
          throw new SelectorParseException("found '" + rest() + "', expected: '('");
        }
        pos++;
        while (true) {
          skipSpaces();
          if (peek() == ')') {
            pos++;
            break;
          }
          String v = identifier("value");
          validateValue(v);
          values.add(v);
          skipSpaces();
          if (peek() == ',') {
            pos++;
          } else if (peek() != ')') {
            throw new SelectorParseException("found '" + rest() + "', expected: ',', ')'");
          }
        }
        if (values.isEmpty()) {
          values.add("");
        }
      } else {
        String v = pos < s.length() && peek() != ',' ? identifier("value") : "";
        if (op == Operator.GREATER_THAN || op == Operator.LESS_THAN) {
          try {
            Long.parseLong(v);
          } catch (NumberFormatException e) {
            throw new SelectorParseException("for 'Gt', 'Lt' operators, the value must be an integer");
          }
        } else {
          validateValue(v);
        }
        values.add(v);
      }
      return new Requirement(key, op, values);
    }

    private boolean word(String w) {
      if (s.startsWith(w, pos)) {
        int end = pos + w.length();
        if (end == s.length() || s.charAt(end) == ' ' || s.charAt(end) == '(') {
          pos = end;
          return true;
        }
      }
      return false;
    }

    private String identifier(String what) {
      int start = pos;
      while (pos < s.length() && "=!<>,() ".indexOf(s.charAt(pos)) < 0) {
        pos++;
      }
      if (start == pos && what.equals("key")) {
        throw new SelectorParseException("found '" + rest() + "', expected: identifier");
      }
      return s.substring(start, pos);
    }

    private char peek() {
      return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private String rest() {
      return pos >= s.length() ? "" : s.substring(pos, Math.min(s.length(), pos + 1));
    }

    private void skipSpaces() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    private static final java.util.regex.Pattern NAME =
        java.util.regex.Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

    private static void validateKey(String key) {
      String name = key;
      int slash = key.indexOf('/');
      if (slash >= 0) {
        name = key.substring(slash + 1);
      }
      if (name.isEmpty() || name.length() > 63 || !NAME.matcher(name).matches()) {
        throw new SelectorParseException("key: Invalid value: \"" + key + "\": name part must consist of "
            + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
      }
    }

    private static void validateValue(String v) {
      if (!v.isEmpty() && (v.length() > 63 || !NAME.matcher(v).matches())) {
        throw new SelectorParseException("values[0][" + v + "]: Invalid value: \"" + v + "\": a valid label "
            + "must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start "
            + "and end with an alphanumeric character");
      }
    }
  }

  /** Keeps insertion order, for building selectors in code. */
  public static LabelSelector of(Map<String, String> labels) {
    return fromMap(new LinkedHashMap<>(labels));
  }
}
