package io.kemu.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * structured-merge-diff's value package over Jackson trees: an absent value is Java {@code null}, an explicit
 * JSON null is a {@code NullNode}. Ordering and equality follow {@code value.Compare}/{@code value.Equals}
 * (numbers first, ints and floats compared numerically, then strings, booleans, lists, maps, null).
 */
final class Values {
  private Values() {}

  static boolean isFloat(JsonNode v) {
    return v != null && v.isNumber() && !v.isIntegralNumber();
  }

  static boolean isInt(JsonNode v) {
    return v != null && v.isIntegralNumber();
  }

  static boolean isScalar(JsonNode v) {
    return v != null && (v.isNumber() || v.isTextual() || v.isBoolean());
  }

  /** value.Equals. */
  static boolean equal(JsonNode lhs, JsonNode rhs) {
    if (isFloat(lhs) || isFloat(rhs)) {
      if (!lhs.isNumber() || !rhs.isNumber()) {
        return false;
      }
      return lhs.doubleValue() == rhs.doubleValue();
    }
    if (isInt(lhs) || isInt(rhs)) {
      return isInt(lhs) && isInt(rhs) && lhs.bigIntegerValue().equals(rhs.bigIntegerValue());
    }
    if (lhs.isTextual() || rhs.isTextual()) {
      return lhs.isTextual() && rhs.isTextual() && lhs.textValue().equals(rhs.textValue());
    }
    if (lhs.isBoolean() || rhs.isBoolean()) {
      return lhs.isBoolean() && rhs.isBoolean() && lhs.booleanValue() == rhs.booleanValue();
    }
    if (lhs.isArray() || rhs.isArray()) {
      if (!lhs.isArray() || !rhs.isArray() || lhs.size() != rhs.size()) {
        return false;
      }
      for (int i = 0; i < lhs.size(); i++) {
        if (!equal(lhs.get(i), rhs.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (lhs.isObject() || rhs.isObject()) {
      if (!lhs.isObject() || !rhs.isObject() || lhs.size() != rhs.size()) {
        return false;
      }
      for (Iterator<String> it = lhs.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        JsonNode r = rhs.get(k);
        if (r == null || !equal(lhs.get(k), r)) {
          return false;
        }
      }
      return true;
    }
    return lhs.isNull() == rhs.isNull();
  }

  /** value.Compare. */
  static int compare(JsonNode lhs, JsonNode rhs) {
    if (isFloat(lhs)) {
      if (!isFloat(rhs)) {
        return isInt(rhs) ? Double.compare(lhs.doubleValue(), rhs.doubleValue()) : -1;
      }
      return Double.compare(lhs.doubleValue(), rhs.doubleValue());
    } else if (isFloat(rhs)) {
      return isInt(lhs) ? Double.compare(lhs.doubleValue(), rhs.doubleValue()) : 1;
    }
    if (isInt(lhs)) {
      return isInt(rhs) ? Integer.signum(lhs.bigIntegerValue().compareTo(rhs.bigIntegerValue())) : -1;
    } else if (isInt(rhs)) {
      return 1;
    }
    if (lhs.isTextual()) {
      return rhs.isTextual() ? Integer.signum(lhs.textValue().compareTo(rhs.textValue())) : -1;
    } else if (rhs.isTextual()) {
      return 1;
    }
    if (lhs.isBoolean()) {
      return rhs.isBoolean() ? Boolean.compare(lhs.booleanValue(), rhs.booleanValue()) : -1;
    } else if (rhs.isBoolean()) {
      return 1;
    }
    if (lhs.isArray()) {
      if (!rhs.isArray()) {
        return -1;
      }
      for (int i = 0; ; i++) {
        if (i >= lhs.size() && i >= rhs.size()) {
          return 0;
        }
        if (i >= lhs.size()) {
          return -1;
        }
        if (i >= rhs.size()) {
          return 1;
        }
        int c = compare(lhs.get(i), rhs.get(i));
        if (c != 0) {
          return c;
        }
      }
    } else if (rhs.isArray()) {
      return 1;
    }
    if (lhs.isObject()) {
      return rhs.isObject() ? compareMaps(lhs, rhs) : -1;
    } else if (rhs.isObject()) {
      return 1;
    }
    if (lhs.isNull()) {
      return rhs.isNull() ? 0 : -1;
    } else if (rhs.isNull()) {
      return 1;
    }
    return 0;
  }

  /** value.MapCompare: keys zipped in lexical order. */
  private static int compareMaps(JsonNode lhs, JsonNode rhs) {
    if (lhs.size() == 0 && rhs.size() == 0) {
      return 0;
    }
    java.util.TreeSet<String> keys = new java.util.TreeSet<>();
    lhs.fieldNames().forEachRemaining(keys::add);
    rhs.fieldNames().forEachRemaining(keys::add);
    int i = 0;
    for (String k : keys) {
      JsonNode l = lhs.get(k);
      JsonNode r = rhs.get(k);
      int c;
      if (i == lhs.size()) {
        c = -1;
      } else if (i == rhs.size()) {
        c = 1;
      } else if (l == null) {
        c = 1;
      } else if (r == null) {
        c = -1;
      } else {
        c = compare(l, r);
      }
      i++;
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** value.ToString: how path elements print in conflict messages. */
  static String toGoString(JsonNode v) {
    if (v == null || v.isNull()) {
      return "null";
    }
    if (isFloat(v)) {
      return goFloat(v.doubleValue(), 'g');
    }
    if (isInt(v)) {
      return v.bigIntegerValue().toString();
    }
    if (v.isTextual()) {
      return goQuote(v.textValue());
    }
    if (v.isBoolean()) {
      return Boolean.toString(v.booleanValue());
    }
    if (v.isArray()) {
      List<String> parts = new ArrayList<>();
      v.forEach(e -> parts.add(toGoString(e)));
      return "[" + String.join(",", parts) + "]";
    }
    if (v.isObject()) {
      StringBuilder sb = new StringBuilder();
      v.fields().forEachRemaining(e -> sb.append(e.getKey()).append('=').append(toGoString(e.getValue())));
      return sb.toString();
    }
    return "{{undefined}}";
  }

  /** fmt's %q for strings (ASCII printable as is, the usual escapes otherwise). */
  static String goQuote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    s.codePoints().forEach(c -> {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\x%02x", c));
          } else {
            sb.appendCodePoint(c);
          }
        }
      }
    });
    return sb.append('"').toString();
  }

  /** Go's JSON encoding of a value (encoding/json: sorted map keys, HTML characters escaped). */
  static void writeJson(StringBuilder sb, JsonNode v) {
    if (v == null || v.isNull()) {
      sb.append("null");
    } else if (isFloat(v)) {
      sb.append(goFloat(v.doubleValue(), 'j'));
    } else if (isInt(v)) {
      sb.append(v.bigIntegerValue());
    } else if (v.isTextual()) {
      writeJsonString(sb, v.textValue());
    } else if (v.isBoolean()) {
      sb.append(v.booleanValue());
    } else if (v.isArray()) {
      sb.append('[');
      for (int i = 0; i < v.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        writeJson(sb, v.get(i));
      }
      sb.append(']');
    } else if (v.isObject()) {
      java.util.TreeSet<String> keys = new java.util.TreeSet<>();
      v.fieldNames().forEachRemaining(keys::add);
      sb.append('{');
      boolean first = true;
      for (String k : keys) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        writeJsonString(sb, k);
        sb.append(':');
        writeJson(sb, v.get(k));
      }
      sb.append('}');
    }
  }

  static void writeJsonString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> sb.append(String.format("\\u%04x", (int) c));
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /**
   * A float64 as Go prints it: {@code 'g'} is fmt's %v (shortest representation, exponent past 21 digits or
   * below 1e-4), {@code 'j'} encoding/json's form (exponent below 1e-6 or from 1e21).
   */
  static String goFloat(double d, char mode) {
    if (d == Math.rint(d) && Math.abs(d) < 1e21 && mode == 'j') {
      return new BigDecimal(d).toPlainString();
    }
    double abs = Math.abs(d);
    boolean exp = mode == 'j' ? (abs != 0 && (abs < 1e-6 || abs >= 1e21)) : (abs != 0 && (abs < 1e-4 || abs >= 1e21));
    BigDecimal shortest = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    if (!exp) {
      return shortest.toPlainString();
    }
    String s = String.format("%e", d);
    // shortest digits with Go's exponent form (e+06 / e-07)
    String digits = shortest.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - shortest.scale();
    String mantissa = digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
    String sign = d < 0 ? "-" : "";
    String e = (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
    return s.isEmpty() ? s : sign + mantissa + "e" + e;
  }
}
