package io.kemu.apiserver.authn;

import java.util.List;

/** user.Info: who is calling, as authentication established it. */
public record UserInfo(String name, String uid, List<String> groups) {
  public static final String ALL_AUTHENTICATED = "system:authenticated";
  public static final String ALL_UNAUTHENTICATED = "system:unauthenticated";
  public static final String ANONYMOUS = "system:anonymous";
  public static final String SYSTEM_MASTERS = "system:masters";
  public static final String NODES_GROUP = "system:nodes";
  public static final String NODE_USER_PREFIX = "system:node:";

  public static final UserInfo ANONYMOUS_USER = new UserInfo(ANONYMOUS, "", List.of(ALL_UNAUTHENTICATED));

  public boolean isAnonymous() {
    return ANONYMOUS.equals(name);
  }

  public boolean inGroup(String g) {
    return groups.contains(g);
  }

  /** The node a kubelet identity speaks for (system:node:&lt;name&gt; in group system:nodes), or null. */
  public String nodeName() {
    return name.startsWith(NODE_USER_PREFIX) && inGroup(NODES_GROUP) ? name.substring(NODE_USER_PREFIX.length()) : null;
  }
}
