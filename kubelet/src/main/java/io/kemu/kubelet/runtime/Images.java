package io.kemu.kubelet.runtime;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/** Image references as containerd reports them: docker.io/library/nginx:latest and a stable digest. */
public final class Images {
  private Images() {}

  /** Compressed sizes of familiar images, so that Pulled events read like a real pull. */
  private static final Map<String, Long> SIZES = Map.of(
      "docker.io/library/nginx", 72_080_586L,
      "docker.io/library/busybox", 2_166_802L,
      "docker.io/library/redis", 45_084_132L,
      "docker.io/library/tomcat", 187_213_472L,
      "docker.io/library/alpine", 3_652_536L);

  /** docker's reference normalization: familiar names get docker.io/library/ and :latest. */
  public static String normalize(String image) {
    String name = image;
    String suffix = "";
    int at = name.indexOf('@');
    if (at >= 0) {
      suffix = name.substring(at);
      name = name.substring(0, at);
    }
    int slash = name.indexOf('/');
    String first = slash < 0 ? "" : name.substring(0, slash);
    boolean hasRegistry = slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"));
    if (!hasRegistry) {
      name = "docker.io/" + (slash < 0 ? "library/" + name : name);
    }
    int lastSlash = name.lastIndexOf('/');
    if (name.indexOf(':', lastSlash) < 0 && suffix.isEmpty()) {
      name = name + ":latest";
    }
    return name + suffix;
  }

  /** repository@sha256:..., derived from the reference so it is the same on every node and run. */
  public static String imageId(String normalized) {
    String repo = repository(normalized);
    return repo + "@sha256:" + sha256(normalized);
  }

  public static String repository(String normalized) {
    String n = normalized;
    int at = n.indexOf('@');
    if (at >= 0) {
      n = n.substring(0, at);
    }
    int colon = n.lastIndexOf(':');
    return colon > n.lastIndexOf('/') ? n.substring(0, colon) : n;
  }

  public static long size(String normalized) {
    Long s = SIZES.get(repository(normalized));
    return s != null ? s : 10_000_000L + Math.floorMod(normalized.hashCode(), 90_000_000);
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
