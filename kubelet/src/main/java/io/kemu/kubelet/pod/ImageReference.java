package io.kemu.kubelet.pod;

import io.kemu.kubelet.runtime.Images;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Image references as docker's reference package parses them (InvalidImageName when one does not), and whether
 * the emulated registries serve one: an unreachable registry fails to resolve, and a tag or name that says it does
 * not exist is "not found", as a real registry answers for it.
 */
public final class ImageReference {
  private ImageReference() {}

  // distribution/reference's grammar: [domain/]path[:tag][@digest], lowercase path components
  private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final String DOMAIN = "(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
      + "(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?";
  private static final Pattern REFERENCE = Pattern.compile("^(?:" + DOMAIN + "/)?" + COMPONENT + "(?:/" + COMPONENT
      + ")*(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$");

  public static boolean valid(String image) {
    if (image == null || image.isEmpty() || image.length() > 255 || image.chars().anyMatch(Character::isUpperCase)
        && !image.contains("/")) {
      return false;
    }
    return REFERENCE.matcher(image).matches();
  }

  /** null if the pull succeeds, else containerd's error for it. */
  public static String pullFailure(String normalized, List<String> unreachableRegistries) {
    String registry = normalized.substring(0, normalized.indexOf('/'));
    if (unreachableRegistries.contains(registry)) {
      return "rpc error: code = Unknown desc = failed to pull and unpack image \"" + normalized + "\": failed to "
          + "resolve reference \"" + normalized + "\": failed to do request: Head \"https://" + registry + "/v2/"
          + Images.repository(normalized).substring(registry.length() + 1) + "/manifests/" + tag(normalized)
          + "\": dial tcp: lookup " + registry + ": no such host";
    }
    String lower = normalized.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("doesnotexist") || lower.contains("does-not-exist") || lower.contains("nonexistent")
        || lower.contains("non-existent")) {
      return "rpc error: code = NotFound desc = failed to pull and unpack image \"" + normalized + "\": failed to "
          + "resolve reference \"" + normalized + "\": " + normalized + ": not found";
    }
    return null;
  }

  private static String tag(String normalized) {
    int at = normalized.indexOf('@');
    if (at >= 0) {
      return normalized.substring(at + 1);
    }
    int colon = normalized.lastIndexOf(':');
    return colon > normalized.lastIndexOf('/') ? normalized.substring(colon + 1) : "latest";
  }
}
