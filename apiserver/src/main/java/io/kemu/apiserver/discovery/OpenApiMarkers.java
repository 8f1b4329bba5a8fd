package io.kemu.apiserver.discovery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What openapi-gen takes from the comment markers of the Kubernetes API types: required fields,
 * {@code x-kubernetes-list-type}/{@code -list-map-keys}, {@code x-kubernetes-map-type} and enums. Read from
 * {@code openapi-markers.txt} (see its header for the format and where it comes from). Patch strategies and merge
 * keys are not here: {@link io.kemu.apiserver.patch.PatchMeta} holds them.
 */
final class OpenApiMarkers {
  static final String RESOURCE = "openapi-markers.txt";

  /** The markers of one field. {@code listType}, {@code mapType} and {@code enumValues} may be null. */
  record FieldMarkers(String name, boolean required, String listType, List<String> listMapKeys, String mapType,
                      List<String> enumValues) {}

  /** The markers of one Go type: its own {@code +structType} and its fields', in Go declaration order. */
  record TypeMarkers(String mapType, Map<String, FieldMarkers> fields) {
    /** The required fields, in declaration order (as openapi-gen lists them). */
    List<String> required() {
      return fields.values().stream().filter(FieldMarkers::required).map(FieldMarkers::name).toList();
    }
  }

  private static final Pattern FIELD =
      Pattern.compile("([A-Za-z0-9_$-]+)(!)?(?:\\[(atomic|set|map)(?::([A-Za-z0-9_,]+))?])?(?:\\{(atomic|granular)})?"
          + "(?:=(\\S+))?");

  private final Map<String, TypeMarkers> types;

  private OpenApiMarkers(Map<String, TypeMarkers> types) {
    this.types = types;
  }

  private static final class Holder {
    static final OpenApiMarkers BUILT_IN = load();
  }

  /** The table of kube-apiserver v1.32. */
  static OpenApiMarkers builtIn() {
    return Holder.BUILT_IN;
  }

  static OpenApiMarkers load() {
    try (InputStream in = OpenApiMarkers.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  static OpenApiMarkers parse(List<String> lines) {
    Map<String, TypeMarkers> types = new HashMap<>();
    int n = 0;
    for (String line : lines) {
      n++;
      String s = line.strip();
      if (s.isEmpty() || s.startsWith("#")) {
        continue;
      }
      String[] tokens = s.split("\\s+");
      String mapType = null;
      Map<String, FieldMarkers> fields = new LinkedHashMap<>();
      for (int i = 1; i < tokens.length; i++) {
        String t = tokens[i];
        if (t.equals("{atomic}") || t.equals("{granular}")) {
          mapType = t.substring(1, t.length() - 1);
          continue;
        }
        Matcher m = FIELD.matcher(t);
        if (!m.matches()) {
          throw new IllegalArgumentException(RESOURCE + " line " + n + ": bad token " + t);
        }
        List<String> keys = m.group(4) == null ? List.of() : List.of(m.group(4).split(","));
        List<String> values = m.group(6) == null ? null
            : Arrays.stream(m.group(6).split("\\|", -1)).map(v -> v.equals("\"\"") ? "" : v).toList();
        fields.put(m.group(1), new FieldMarkers(m.group(1), m.group(2) != null, m.group(3), keys, m.group(5), values));
      }
      if (types.put(tokens[0], new TypeMarkers(mapType, Collections.unmodifiableMap(fields))) != null) {
        throw new IllegalArgumentException(RESOURCE + " line " + n + ": " + tokens[0] + " listed twice");
      }
    }
    return new OpenApiMarkers(types);
  }

  /** The markers of an OpenAPI definition ({@code io.k8s.api.core.v1.Container}), if it has any. */
  Optional<TypeMarkers> forType(String definition) {
    return Optional.ofNullable(types.get(definition));
  }
}
