package io.kemu.apiserver.request;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Content negotiation (Accept) as kube-apiserver does it for the media types kemu answers. */
public final class MediaTypes {
  private MediaTypes() {}

  public static final String JSON = "application/json";
  public static final String YAML = "application/yaml";
  public static final String PROTOBUF = "application/vnd.kubernetes.protobuf";
  public static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io";
  public static final String DISCOVERY_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
  public static final String PARTIAL_LIST = "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io";
  public static final String PARTIAL = "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io";

  public enum Output { JSON, YAML, TABLE, PARTIAL_METADATA, DISCOVERY_V2 }

  public record MediaRange(String type, Map<String, String> params) {}

  public static List<MediaRange> parseAccept(String accept) {
    List<MediaRange> out = new ArrayList<>();
    if (accept == null || accept.isBlank()) {
      return out;
    }
    for (String part : accept.split(",")) {
      String[] bits = part.trim().split(";");
      Map<String, String> params = new HashMap<>();
      for (int i = 1; i < bits.length; i++) {
        int eq = bits[i].indexOf('=');
        if (eq > 0) {
          params.put(bits[i].substring(0, eq).trim(), bits[i].substring(eq + 1).trim());
        }
      }
      out.add(new MediaRange(bits[0].trim().toLowerCase(Locale.ROOT), params));
    }
    return out;
  }

  /** The first acceptable representation, in the client's order; JSON when nothing better matches. */
  public static Output negotiate(String accept, boolean discovery) {
    for (MediaRange m : parseAccept(accept)) {
      String as = m.params().get("as");
      String g = m.params().get("g");
      String v = m.params().get("v");
      if (as == null) {
        if (m.type().equals(JSON) || m.type().equals("*/*") || m.type().equals("application/*")
            || m.type().equals(PROTOBUF)) {
          return Output.JSON;
        }
        if (m.type().equals(YAML)) {
          return Output.YAML;
        }
        continue;
      }
      if (!discovery && "Table".equals(as) && "meta.k8s.io".equals(g) && ("v1".equals(v) || "v1beta1".equals(v))) {
        return Output.TABLE;
      }
      if (!discovery && as.startsWith("PartialObjectMetadata") && "meta.k8s.io".equals(g)) {
        return Output.PARTIAL_METADATA;
      }
      if (discovery && "APIGroupDiscoveryList".equals(as) && "apidiscovery.k8s.io".equals(g)
          && ("v2".equals(v) || "v2beta1".equals(v))) {
        return Output.DISCOVERY_V2;
      }
    }
    return Output.JSON;
  }

  public static String baseType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }
}
