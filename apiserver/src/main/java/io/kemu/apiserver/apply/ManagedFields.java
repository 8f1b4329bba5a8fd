package io.kemu.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The managedFields of an object decoded for structured-merge-diff (k8s.io/apimachinery's
 * managedfields/internal/managedfields.go): per manager identifier (the entry without fields and time, the
 * apiVersion dropped for appliers), the set it owns, its apiVersion and whether it applied, and the time of
 * its last change. Mutable; iteration is in identifier order.
 */
public final class ManagedFields {
  public static final String APPLY = "Apply";
  public static final String UPDATE = "Update";

  /** fieldpath.VersionedSet. */
  public record VersionedSet(FieldSet set, String apiVersion, boolean applied) {}

  /** A manager identifier decoded: the entry's manager, operation, apiVersion (updaters only), subresource. */
  public record Manager(String manager, String operation, String apiVersion, String subresource) {}

  final Map<String, VersionedSet> fields = new TreeMap<>();
  final Map<String, String> times = new TreeMap<>();

  public Map<String, VersionedSet> fields() {
    return fields;
  }

  public Map<String, String> times() {
    return times;
  }

  ManagedFields copy() {
    ManagedFields m = new ManagedFields();
    m.fields.putAll(fields);
    m.times.putAll(times);
    return m;
  }

  /**
   * BuildManagerIdentifier: Go's JSON of the entry without fieldsType, fieldsV1 and time, and without the
   * apiVersion of an Apply.
   */
  public static String identifier(String manager, String operation, String apiVersion, String subresource) {
    StringBuilder sb = new StringBuilder("{");
    boolean first = true;
    for (String[] kv : new String[][] {{"manager", manager}, {"operation", operation},
        {"apiVersion", APPLY.equals(operation) ? null : apiVersion}, {"subresource", subresource}}) {
      if (kv[1] == null || kv[1].isEmpty()) {
        continue;
      }
      if (!first) {
        sb.append(',');
      }
      first = false;
      Values.writeJsonString(sb, kv[0]);
      sb.append(':');
      Values.writeJsonString(sb, kv[1]);
    }
    return sb.append('}').toString();
  }

  public static Manager parseIdentifier(String id) {
    try {
      JsonNode n = io.kemu.api.KubeJson.MAPPER.readTree(id);
      return new Manager(n.path("manager").asText(""), n.path("operation").asText(""),
          n.path("apiVersion").asText(""), n.path("subresource").asText(""));
    } catch (Exception e) {
      return new Manager(id, "", "", "");
    }
  }

  /** DecodeManagedFields; fails (IllegalArgumentException) on entries kube would reject. */
  public static ManagedFields decode(JsonNode entries) {
    ManagedFields m = new ManagedFields();
    if (entries == null || !entries.isArray()) {
      return m;
    }
    int i = 0;
    for (JsonNode e : entries) {
      String op = e.path("operation").asText("");
      if (!op.equals(APPLY) && !op.equals(UPDATE)) {
        throw new IllegalArgumentException("operation must be `Apply` or `Update`");
      }
      String apiVersion = e.path("apiVersion").asText("");
      if (apiVersion.isEmpty()) {
        throw new IllegalArgumentException("apiVersion must not be empty");
      }
      String fieldsType = e.path("fieldsType").asText("");
      if (fieldsType.isEmpty()) {
        throw new IllegalArgumentException("missing fieldsType in managed fields entry " + i);
      }
      if (!fieldsType.equals("FieldsV1")) {
        throw new IllegalArgumentException("invalid fieldsType \"" + fieldsType + "\" in managed fields entry " + i);
      }
      String id = identifier(e.path("manager").asText(""), op, apiVersion, e.path("subresource").asText(""));
      m.fields.put(id, new VersionedSet(FieldSet.fromJson(e.get("fieldsV1")), apiVersion, op.equals(APPLY)));
      JsonNode t = e.get("time");
      m.times.put(id, t == null || t.isNull() ? null : t.asText());
      i++;
    }
    return m;
  }

  /** encodeManagedFields: the entries sorted by operation, time, manager, apiVersion, subresource; null if none. */
  public ArrayNode encode() {
    if (fields.isEmpty()) {
      return null;
    }
    List<ObjectNode> entries = new ArrayList<>();
    fields.forEach((id, vs) -> {
      Manager mi = parseIdentifier(id);
      ObjectNode e = JsonNodeFactory.instance.objectNode();
      e.put("manager", mi.manager());
      e.put("operation", vs.applied() ? APPLY : mi.operation());
      e.put("apiVersion", vs.apiVersion());
      String time = times.get(id);
      if (time != null) {
        e.put("time", time);
      }
      e.put("fieldsType", "FieldsV1");
      e.set("fieldsV1", vs.set().toJson());
      if (!mi.subresource().isEmpty()) {
        e.put("subresource", mi.subresource());
      }
      entries.add(e);
    });
    entries.sort(Comparator.<ObjectNode, String>comparing(e -> e.path("operation").asText())
        .thenComparingLong(e -> seconds(e.path("time").asText(null)))
        .thenComparing(e -> e.path("manager").asText())
        .thenComparing(e -> e.path("apiVersion").asText())
        .thenComparing(e -> e.path("subresource").asText()));
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    entries.forEach(out::add);
    return out;
  }

  static long seconds(String time) {
    if (time == null || time.isEmpty()) {
      return 0;
    }
    try {
      return Instant.parse(time).getEpochSecond();
    } catch (Exception e) {
      return 0;
    }
  }
}
