package io.kemu.api.client;

import java.util.LinkedHashMap;
import java.util.Map;

/** metav1.ListOptions as query parameters. */
public record ListOptions(String labelSelector, String fieldSelector, String resourceVersion, long limit,
                          String continueToken, boolean allowWatchBookmarks, Long timeoutSeconds) {
  public static final ListOptions ALL = new ListOptions(null, null, null, 0, null, false, null);

  public static ListOptions fields(String fieldSelector) {
    return new ListOptions(null, fieldSelector, null, 0, null, false, null);
  }

  public static ListOptions labels(String labelSelector) {
    return new ListOptions(labelSelector, null, null, 0, null, false, null);
  }

  public ListOptions withResourceVersion(String rv) {
    return new ListOptions(labelSelector, fieldSelector, rv, limit, continueToken, allowWatchBookmarks, timeoutSeconds);
  }

  public ListOptions withPage(long newLimit, String cont) {
    return new ListOptions(labelSelector, fieldSelector, resourceVersion, newLimit, cont, allowWatchBookmarks,
        timeoutSeconds);
  }

  public ListOptions withBookmarks() {
    return new ListOptions(labelSelector, fieldSelector, resourceVersion, limit, continueToken, true, timeoutSeconds);
  }

  public Map<String, String> query() {
    Map<String, String> q = new LinkedHashMap<>();
    if (labelSelector != null && !labelSelector.isEmpty()) {
      q.put("labelSelector", labelSelector);
    }
    if (fieldSelector != null && !fieldSelector.isEmpty()) {
      q.put("fieldSelector", fieldSelector);
    }
    if (resourceVersion != null) {
      q.put("resourceVersion", resourceVersion);
    }
    if (limit > 0) {
      q.put("limit", Long.toString(limit));
    }
    if (continueToken != null && !continueToken.isEmpty()) {
      q.put("continue", continueToken);
    }
    if (allowWatchBookmarks) {
      q.put("allowWatchBookmarks", "true");
    }
    if (timeoutSeconds != null) {
      q.put("timeoutSeconds", Long.toString(timeoutSeconds));
    }
    return q;
  }
}
