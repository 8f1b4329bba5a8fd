package io.kemu.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** The one JSON (and YAML) mapping of Kubernetes objects used by every role, built on the fabric8 model. */
public final class KubeJson {
  private KubeJson() {}

  /** Lenient: unknown fields land in the fabric8 objects' additionalProperties (strict mode inspects them). */
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
      // generated accessors instead of reflection: every request, stored value and watch event goes through here
      .registerModule(new com.fasterxml.jackson.module.blackbird.BlackbirdModule())
      .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false)
      .configure(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE, false)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);

  public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
      .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
      .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public static byte[] bytes(Object o) {
    try {
      return MAPPER.writeValueAsBytes(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + o.getClass().getSimpleName(), e);
    }
  }

  public static String string(Object o) {
    try {
      return MAPPER.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + o.getClass().getSimpleName(), e);
    }
  }

  public static <T> T read(byte[] json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode tree(byte[] json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static <T> T convert(Object from, Class<T> type) {
    return MAPPER.convertValue(from, type);
  }

  /** Deep copy through JSON: fabric8 objects are mutable and shared objects must not be edited in place. */
  @SuppressWarnings("unchecked")
  public static <T> T copy(T o) {
    return (T) read(bytes(o), o.getClass());
  }

  /** metav1.Time: RFC 3339 with second precision, UTC. */
  public static String timestamp(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  /** metav1.MicroTime: RFC 3339 with 6 fractional digits. */
  public static String microTimestamp(Instant t) {
    return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX")
        .withZone(java.time.ZoneOffset.UTC).format(t);
  }

  public static Instant parseTime(String rfc3339) {
    return rfc3339 == null || rfc3339.isEmpty() ? null : Instant.parse(rfc3339);
  }
}
