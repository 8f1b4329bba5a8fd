package io.kemu.apiserver.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.kemu.api.KubeJson;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One step of a field path (structured-merge-diff's fieldpath.PathElement): a struct or map field
 * ({@code .name}, serialized {@code f:name}), a list item by its key fields ({@code [name="nginx"]},
 * {@code k:{"name":"nginx"}}), a set item by value ({@code [="a"]}, {@code v:"a"}) or a list item by index
 * ({@code [0]}, {@code i:0}). Ordered as upstream: fields, then keys, values, indexes.
 */
public final class PathElement implements Comparable<PathElement> {
  /** A key field of an associative list item. */
  public record KeyField(String name, JsonNode value) {}

  private enum Kind { FIELD, KEY, VALUE, INDEX }

  private final Kind kind;
  private final String field;
  private final List<KeyField> key;
  private final JsonNode value;
  private final int index;

  private PathElement(Kind kind, String field, List<KeyField> key, JsonNode value, int index) {
    this.kind = kind;
    this.field = field;
    this.key = key;
    this.value = value;
    this.index = index;
  }

  public static PathElement field(String name) {
    return new PathElement(Kind.FIELD, name, null, null, 0);
  }

  /** A key; the fields are sorted by name (value.FieldList.Sort). */
  public static PathElement key(List<KeyField> fields) {
    List<KeyField> sorted = new ArrayList<>(fields);
    sorted.sort(Comparator.comparing(KeyField::name));
    return new PathElement(Kind.KEY, null, List.copyOf(sorted), null, 0);
  }

  /** fieldpath.KeyByFields: name, value, name, value... */
  public static PathElement key(Object... nameValues) {
    List<KeyField> fields = new ArrayList<>();
    for (int i = 0; i + 1 < nameValues.length; i += 2) {
      fields.add(new KeyField((String) nameValues[i], KubeJson.MAPPER.valueToTree(nameValues[i + 1])));
    }
    return key(fields);
  }

  public static PathElement value(JsonNode v) {
    return new PathElement(Kind.VALUE, null, null, v, 0);
  }

  public static PathElement index(int i) {
    return new PathElement(Kind.INDEX, null, null, null, i);
  }

  public boolean isField() {
    return kind == Kind.FIELD;
  }

  public boolean isKey() {
    return kind == Kind.KEY;
  }

  /** The field name, or null. */
  public String fieldName() {
    return field;
  }

  @Override
  public int compareTo(PathElement o) {
    if (kind != o.kind) {
      return kind.compareTo(o.kind);
    }
    return switch (kind) {
      case FIELD -> Integer.signum(field.compareTo(o.field));
      case KEY -> compareKeys(key, o.key);
      case VALUE -> Values.compare(value, o.value);
      case INDEX -> Integer.compare(index, o.index);
    };
  }

  /** value.FieldList.Compare. */
  private static int compareKeys(List<KeyField> a, List<KeyField> b) {
    for (int i = 0; ; i++) {
      if (i >= a.size() && i >= b.size()) {
        return 0;
      }
      if (i >= a.size()) {
        return -1;
      }
      if (i >= b.size()) {
        return 1;
      }
      int c = Integer.signum(a.get(i).name().compareTo(b.get(i).name()));
      if (c != 0) {
        return c;
      }
      c = Values.compare(a.get(i).value(), b.get(i).value());
      if (c != 0) {
        return c;
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PathElement p && compareTo(p) == 0;
  }

  @Override
  public int hashCode() {
    return switch (kind) {
      case FIELD -> field.hashCode();
      case KEY -> key.size();
      case VALUE -> 17;
      case INDEX -> index;
    };
  }

  /** PathElement.String: {@code .name}, {@code [name="nginx",port=80]}, {@code [="a"]}, {@code [0]}. */
  @Override
  public String toString() {
    return switch (kind) {
      case FIELD -> "." + field;
      case KEY -> {
        List<String> parts = new ArrayList<>();
        key.forEach(k -> parts.add(k.name() + "=" + Values.toGoString(k.value())));
        yield "[" + String.join(",", parts) + "]";
      }
      case VALUE -> "[=" + Values.toGoString(value) + "]";
      case INDEX -> "[" + index + "]";
    };
  }

  /** fieldpath.Path.String. */
  public static String pathString(List<PathElement> path) {
    StringBuilder sb = new StringBuilder();
    path.forEach(sb::append);
    return sb.toString();
  }

  /** SerializePathElement: the FieldsV1 key. */
  public String serialize() {
    StringBuilder sb = new StringBuilder();
    switch (kind) {
      case FIELD -> sb.append("f:").append(field);
      case KEY -> {
        sb.append("k:{");
        for (int i = 0; i < key.size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          Values.writeJsonString(sb, key.get(i).name());
          sb.append(':');
          Values.writeJson(sb, key.get(i).value());
        }
        sb.append('}');
      }
      case VALUE -> {
        sb.append("v:");
        Values.writeJson(sb, value);
      }
      case INDEX -> sb.append("i:").append(index);
      default -> throw new IllegalStateException();
    }
    return sb.toString();
  }

  /** Thrown for keys of an unknown type, which FieldsV1 readers skip. */
  static final class UnknownType extends IllegalArgumentException {
    UnknownType(String s) {
      super("unknown path element type: " + s);
    }
  }

  /** DeserializePathElement. */
  public static PathElement deserialize(String s) {
    if (s.length() < 2) {
      throw new IllegalArgumentException("key must be 2 characters long: " + s);
    }
    if (s.charAt(1) != ':') {
      throw new IllegalArgumentException("missing colon: " + s);
    }
    String rest = s.substring(2);
    try {
      switch (s.charAt(0)) {
        case 'f':
          return field(rest);
        case 'v':
          return value(KubeJson.MAPPER.readTree(rest));
        case 'k': {
          JsonNode n = KubeJson.MAPPER.readTree(rest);
          if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("invalid key: " + s);
          }
          List<KeyField> fields = new ArrayList<>();
          for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            fields.add(new KeyField(e.getKey(), e.getValue()));
          }
          return key(fields);
        }
        case 'i':
          return index(Integer.parseInt(rest));
        default:
          throw new UnknownType(s);
      }
    } catch (JsonProcessingException | NumberFormatException e) {
      throw new IllegalArgumentException("parsing key as path element: " + e.getMessage(), e);
    }
  }
}
