package io.kemu.apiserver.authz;

import io.kemu.apiserver.authn.UserInfo;

/** authorizer.Attributes: who wants to do what to which resource (or non-resource path). */
public record Attributes(UserInfo user, String verb, boolean resourceRequest, String apiGroup, String resource,
                         String subresource, String namespace, String name, String path, String fieldSelector) {

  public static Attributes resource(UserInfo user, String verb, String apiGroup, String resource,
                                    String subresource, String namespace, String name) {
    return new Attributes(user, verb, true, apiGroup, resource, subresource == null ? "" : subresource,
        namespace == null ? "" : namespace, name == null ? "" : name, "", "");
  }

  public static Attributes nonResource(UserInfo user, String verb, String path) {
    return new Attributes(user, verb, false, "", "", "", "", "", path, "");
  }

  /** The same request with the field selector of a list or watch (GetFieldSelector; the Node authorizer reads it). */
  public Attributes withFieldSelector(String selector) {
    return new Attributes(user, verb, resourceRequest, apiGroup, resource, subresource, namespace, name, path,
        selector == null ? "" : selector);
  }

  /** responsewriters.forbiddenMessage */
  public String forbiddenMessage() {
    if (!resourceRequest) {
      return "User \"" + user.name() + "\" cannot " + verb + " path \"" + path + "\"";
    }
    String res = subresource.isEmpty() ? resource : resource + "/" + subresource;
    if (!namespace.isEmpty()) {
      return "User \"" + user.name() + "\" cannot " + verb + " resource \"" + res + "\" in API group \"" + apiGroup
          + "\" in the namespace \"" + namespace + "\"";
    }
    return "User \"" + user.name() + "\" cannot " + verb + " resource \"" + res + "\" in API group \"" + apiGroup
        + "\" at the cluster scope";
  }
}
