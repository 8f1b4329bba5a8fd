package io.kemu.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The values the Go patch code works on ({@code interface{}} decoded from JSON), modelled in Java:
 * {@code map[string]interface{}} is a {@link LinkedHashMap}, {@code []interface{}} an {@link ArrayList},
 * integers that fit int64 are {@link Long} (apimachinery decodes them to int64), other numbers {@link Double}
 * (float64), plus {@link String}, {@link Boolean} and {@code null}.
 *
 * <p>Also: Go's {@code ==} on interface values, and the {@code %v}/{@code %s} formatting that ends up in the
 * error messages the API server returns.
 */
final class GoValues {
  private GoValues() {}

  static final String MAP_TYPE = "map[string]interface {}";
  static final String SLICE_TYPE = "[]interface {}";

  /** Thrown where the Go code would panic (e.g. comparing two maps with ==). */
  static final class GoPanic extends RuntimeException {
    GoPanic(String message) {
      super(message);
    }
  }

  // ---------------------------------------------------------------- conversion

  static Object fromJson(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (n.isObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = n.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        m.put(e.getKey(), fromJson(e.getValue()));
      }
      return m;
    }
    if (n.isArray()) {
      List<Object> l = new ArrayList<>(n.size());
      for (JsonNode c : n) {
        l.add(fromJson(c));
      }
      return l;
    }
    if (n.isTextual()) {
      return n.textValue();
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isIntegralNumber()) {
      if (n.canConvertToLong()) {
        return n.longValue();
      }
      return n.doubleValue(); // Go: ParseInt fails, the number becomes a float64
    }
    if (n.isNumber()) {
      return n.doubleValue();
    }
    // binary / POJO nodes do not come out of a JSON parser; keep their text
    return n.asText();
  }

  static JsonNode toJson(Object v) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (v == null) {
      return f.nullNode();
    }
    if (v instanceof Map<?, ?> m) {
      ObjectNode o = f.objectNode();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        o.set((String) e.getKey(), toJson(e.getValue()));
      }
      return o;
    }
    if (v instanceof List<?> l) {
      ArrayNode a = f.arrayNode(l.size());
      for (Object c : l) {
        a.add(toJson(c));
      }
      return a;
    }
    if (v instanceof String s) {
      return f.textNode(s);
    }
    if (v instanceof Boolean b) {
      return f.booleanNode(b);
    }
    if (v instanceof Long l) {
      return integral(l);
    }
    if (v instanceof Double d) {
      // encoding/json writes an integral float64 without fraction ("2", not "2.0")
      if (d == Math.rint(d) && Math.abs(d) < 1e18 && !(d == 0 && 1 / d < 0)) {
        return integral(d.longValue());
      }
      return f.numberNode(d);
    }
    throw new IllegalArgumentException("not a JSON value: " + v.getClass());
  }

  private static JsonNode integral(long l) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return l == (int) l ? f.numberNode((int) l) : f.numberNode(l);
  }

  // ---------------------------------------------------------------- Go types

  static boolean isMap(Object v) {
    return v instanceof Map;
  }

  static boolean isSlice(Object v) {
    return v instanceof List;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object v) {
    return (Map<String, Object>) v;
  }

  @SuppressWarnings("unchecked")
  static List<Object> asSlice(Object v) {
    return (List<Object>) v;
  }

  /** {@code reflect.TypeOf(v).String()}; {@code null} for a nil interface. */
  static String typeName(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Map) {
      return MAP_TYPE;
    }
    if (v instanceof List) {
      return SLICE_TYPE;
    }
    if (v instanceof String) {
      return "string";
    }
    if (v instanceof Long) {
      return "int64";
    }
    if (v instanceof Double) {
      return "float64";
    }
    if (v instanceof Boolean) {
      return "bool";
    }
    return v.getClass().getSimpleName();
  }

  /** Go: {@code reflect.TypeOf(a) == reflect.TypeOf(b)}. */
  static boolean sameType(Object a, Object b) {
    String ta = typeName(a);
    String tb = typeName(b);
    return ta == null ? tb == null : ta.equals(tb);
  }

  /** Go's {@code ==} on two {@code interface{}} values: panics when both hold the same uncomparable type. */
  static boolean eq(Object a, Object b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (!sameType(a, b)) {
      return false;
    }
    if (a instanceof Map || a instanceof List) {
      throw new GoPanic("runtime error: comparing uncomparable type " + typeName(a));
    }
    if (a instanceof Double da) {
      return da.doubleValue() == ((Double) b).doubleValue();
    }
    return a.equals(b);
  }

  /** A key usable where Go puts the value in a {@code map[interface{}]...}: panics for maps and slices. */
  static Object hashKey(Object v) {
    if (v instanceof Map || v instanceof List) {
      throw new GoPanic("runtime error: hash of unhashable type " + typeName(v));
    }
    if (v instanceof Double d && d == 0) {
      return 0.0d; // -0 == +0 in Go
    }
    return v == null ? NIL : v;
  }

  private static final Object NIL = new Object();

  // ---------------------------------------------------------------- fmt

  /** {@code fmt.Sprintf("%v", v)}. */
  static String v(Object v) {
    StringBuilder sb = new StringBuilder();
    formatV(sb, v, false);
    return sb.toString();
  }

  /** {@code fmt.Sprintf("%s", v)}. */
  static String s(Object v) {
    StringBuilder sb = new StringBuilder();
    formatV(sb, v, true);
    return sb.toString();
  }

  private static void formatV(StringBuilder sb, Object v, boolean verbS) {
    if (v instanceof Map<?, ?> m) {
      sb.append("map[");
      TreeMap<String, Object> sorted = new TreeMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        sorted.put((String) e.getKey(), e.getValue());
      }
      boolean first = true;
      for (Map.Entry<String, Object> e : sorted.entrySet()) {
        if (!first) {
          sb.append(' ');
        }
        first = false;
        sb.append(e.getKey()).append(':');
        formatV(sb, e.getValue(), verbS);
      }
      sb.append(']');
      return;
    }
    if (v instanceof List<?> l) {
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          sb.append(' ');
        }
        formatV(sb, l.get(i), verbS);
      }
      sb.append(']');
      return;
    }
    if (v instanceof String str) {
      sb.append(str);
      return;
    }
    if (verbS) {
      // %s of a non-string operand: %!s(type=value)
      if (v == null) {
        sb.append("%!s(<nil>)");
      } else {
        sb.append("%!s(").append(typeName(v)).append('=').append(scalar(v)).append(')');
      }
      return;
    }
    sb.append(v == null ? "<nil>" : scalar(v));
  }

  private static String scalar(Object v) {
    if (v instanceof Double d) {
      return formatFloat(d);
    }
    return String.valueOf(v);
  }

  /** strconv.FormatFloat(f, 'g', -1, 64), which is what %v prints for a float64. */
  static String formatFloat(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "+Inf" : "-Inf";
    }
    if (d == 0) {
      return (1 / d < 0) ? "-0" : "0";
    }
    BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
    String digits = bd.unscaledValue().toString();
    int exp = digits.length() - bd.scale() - 1; // decimal exponent of the first digit
    StringBuilder sb = new StringBuilder();
    if (d < 0) {
      sb.append('-');
    }
    if (exp < -4 || exp >= 6) { // shortest 'g' switches to %e at exponent 6
      sb.append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      sb.append('e').append(exp < 0 ? '-' : '+');
      int ae = Math.abs(exp);
      if (ae < 10) {
        sb.append('0');
      }
      sb.append(ae);
    } else {
      sb.append(bd.toPlainString());
    }
    return sb.toString();
  }
}
