package io.kemu.apiserver.watchcache;

import io.kemu.api.selectors.FieldSelector;
import io.kemu.api.selectors.LabelSelector;

/** Which objects a list or watch wants: a namespace (null: all) and label and field selectors. */
public record WatchFilter(String namespace, LabelSelector labels, FieldSelector fields) {
  public static final WatchFilter ALL = new WatchFilter(null, LabelSelector.EVERYTHING, FieldSelector.EVERYTHING);

  public boolean matches(CachedObject o) {
    if (o == null) {
      return false;
    }
    if (namespace != null && !namespace.isEmpty() && !namespace.equals(o.namespace())) {
      return false;
    }
    return labels.matches(o.labels()) && fields.matches(o.fields());
  }
}
