package io.kemu.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.kemu.api.KubeJson;
import io.kemu.api.ResourceType;
import io.kemu.apiserver.authn.UserInfo;
import java.time.Instant;
import java.util.List;

/**
 * managedFields maintenance of the write handlers (create.go, update.go and patch.go's
 * {@code scope.FieldManager.UpdateNoErrors(liveObj, newObj, managerOrUserAgent(...))}): every create, update
 * and non-apply patch records an {@code Update} entry for its manager, before admission and the strategy.
 */
public final class ManagedFieldsWrites {
  private ManagedFieldsWrites() {}

  private static final com.fasterxml.jackson.databind.JavaType ENTRIES = KubeJson.MAPPER.getTypeFactory()
      .constructCollectionType(List.class, ManagedFieldsEntry.class);

  /** Whether writes to this subresource track managedFields (the object itself and its status). */
  public static boolean tracked(String subresource) {
    return subresource == null || subresource.isEmpty() || subresource.equals("status");
  }

  /**
   * Sets the managedFields of {@code obj}, written by {@code manager} over {@code live} (null for a create); a
   * write that changes nothing but timestamps keeps the old ones (IgnoreManagedFieldsTimestampsTransformer).
   */
  public static void update(ResourceType type, String subresource, HasMetadata live, HasMetadata obj, String manager,
                            Instant now) {
    if (!tracked(subresource) || obj.getMetadata() == null) {
      return;
    }
    FieldManager fm = FieldManager.of(type, subresource == null ? "" : subresource);
    ObjectNode liveTree = live == null ? fm.emptyObject() : KubeJson.MAPPER.valueToTree(live);
    ObjectNode newTree = KubeJson.MAPPER.valueToTree(obj);
    ObjectNode result = fm.update(liveTree, newTree, manager, now);
    if (live != null) {
      FieldManager.ignoreTimestampOnlyChanges(result, liveTree);
    }
    JsonNode entries = result.path("metadata").get("managedFields");
    obj.getMetadata().setManagedFields(entries == null || entries.isNull() ? null
        : KubeJson.MAPPER.convertValue(entries, ENTRIES));
  }

  /**
   * managerOrUserAgent: the request's fieldManager, else the user agent up to its first "/" (printable
   * characters, at most 128 bytes). In-cluster calls carry no user agent; they are named after the component
   * the identity belongs to, as its client-go user agent would be.
   */
  public static String managerOrUserAgent(String manager, String userAgent, UserInfo user) {
    if (manager != null && !manager.isEmpty()) {
      return manager;
    }
    if (userAgent != null && !userAgent.isEmpty()) {
      return prefixFromUserAgent(userAgent);
    }
    if (user == null) {
      return "";
    }
    String name = user.name();
    if (name.startsWith(UserInfo.NODE_USER_PREFIX)) {
      return "kubelet";
    }
    if (name.equals("system:kube-scheduler")) {
      return "kube-scheduler";
    }
    if (name.equals("system:kube-controller-manager") || name.startsWith("system:serviceaccount:kube-system:")) {
      return "kube-controller-manager";
    }
    if (name.equals("system:apiserver")) {
      return "kube-apiserver";
    }
    return "";
  }

  /** prefixFromUserAgent. */
  static String prefixFromUserAgent(String userAgent) {
    String m = userAgent.split("/", -1)[0];
    StringBuilder sb = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < m.length(); ) {
      int cp = m.codePointAt(i);
      i += Character.charCount(cp);
      if (!isPrint(cp)) {
        continue;
      }
      int len = new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      if (bytes + len > 128) {
        break;
      }
      bytes += len;
      sb.appendCodePoint(cp);
    }
    return sb.toString();
  }

  /** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
  static boolean isPrint(int cp) {
    if (cp == ' ') {
      return true;
    }
    int t = Character.getType(cp);
    return t != Character.CONTROL && t != Character.FORMAT && t != Character.SURROGATE
        && t != Character.PRIVATE_USE && t != Character.UNASSIGNED && t != Character.SPACE_SEPARATOR
        && t != Character.LINE_SEPARATOR && t != Character.PARAGRAPH_SEPARATOR;
  }
}
