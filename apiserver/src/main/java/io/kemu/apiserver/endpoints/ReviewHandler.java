package io.kemu.apiserver.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.kemu.api.KubeJson;
import io.kemu.apiserver.authn.UserInfo;
import io.kemu.apiserver.authz.Attributes;
import io.kemu.apiserver.authz.RbacAuthorizer;
import io.kemu.apiserver.discovery.Discovery.Virtual;
import io.kemu.apiserver.errors.ApiException;
import io.kemu.apiserver.request.BodyDecoder;
import java.util.List;

/**
 * The self-review APIs, answered and never stored: SelfSubjectAccessReview (kubectl auth can-i),
 * SelfSubjectRulesReview (can-i --list) and SelfSubjectReview (auth whoami).
 */
final class ReviewHandler {
  /** Create-only resources served without storage, listed in discovery. */
  static final List<Virtual> RESOURCES = List.of(
      new Virtual("authorization.k8s.io", "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews"),
      new Virtual("authorization.k8s.io", "v1", "SelfSubjectRulesReview", "selfsubjectrulesreviews"),
      new Virtual("authentication.k8s.io", "v1", "SelfSubjectReview", "selfsubjectreviews"));

  private final RbacAuthorizer authz;
  private final java.util.function.Predicate<Attributes> authorize;

  ReviewHandler(RbacAuthorizer authz, java.util.function.Predicate<Attributes> authorize) {
    this.authz = authz;
    this.authorize = authorize;
  }

  static Virtual find(String group, String version, String resource) {
    return RESOURCES.stream().filter(v -> v.group().equals(group) && v.version().equals(version)
        && v.resource().equals(resource)).findFirst().orElse(null);
  }

  ApiResponse create(Virtual v, UserInfo user, ApiRequest r) {
    JsonNode body = BodyDecoder.parse(r.contentType(), r.body());
    if (!body.isObject()) {
      throw ApiException.badRequest("the body of the request was not a " + v.kind());
    }
    ObjectNode review = ((ObjectNode) body).deepCopy();
    review.put("apiVersion", v.group() + "/" + v.version());
    review.put("kind", v.kind());
    if (!review.has("metadata")) {
      review.putObject("metadata").putNull("creationTimestamp");
    }
    ObjectNode status = review.putObject("status");
    switch (v.resource()) {
      case "selfsubjectaccessreviews" -> access(user, review.path("spec"), status);
      case "selfsubjectrulesreviews" -> rules(user, review.path("spec").path("namespace").asText(""), status);
      default -> whoami(user, status);
    }
    return Responses.json(201, review, List.of());
  }

  private void access(UserInfo user, JsonNode spec, ObjectNode status) {
    JsonNode res = spec.path("resourceAttributes");
    JsonNode non = spec.path("nonResourceAttributes");
    Attributes a;
    if (res.isObject()) {
      a = Attributes.resource(user, res.path("verb").asText(""), res.path("group").asText(""),
          res.path("resource").asText(""), res.path("subresource").asText(""), res.path("namespace").asText(""),
          res.path("name").asText(""));
    } else if (non.isObject()) {
      a = Attributes.nonResource(user, non.path("verb").asText(""), non.path("path").asText(""));
    } else {
      throw ApiException.invalid("authorization.k8s.io", "SelfSubjectAccessReview", "",
          "SelfSubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.resourceAttributes: Invalid value: "
              + "\"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified",
          List.of(new ApiException.Cause("FieldValueInvalid", "exactly one of nonResourceAttributes or "
              + "resourceAttributes must be specified", "spec.resourceAttributes")));
    }
    boolean allowed = authorize.test(a);
    status.put("allowed", allowed);
    if (allowed) {
      status.put("reason", authz.authorize(a).reason());
    }
  }

  private void rules(UserInfo user, String namespace, ObjectNode status) {
    ArrayNode resourceRules = status.putArray("resourceRules");
    ArrayNode nonResourceRules = status.putArray("nonResourceRules");
    for (PolicyRule rule : authz.rulesFor(user, namespace)) {
      if (rule.getNonResourceURLs() != null && !rule.getNonResourceURLs().isEmpty()) {
        ObjectNode n = nonResourceRules.addObject();
        n.set("verbs", KubeJson.MAPPER.valueToTree(rule.getVerbs()));
        n.set("nonResourceURLs", KubeJson.MAPPER.valueToTree(rule.getNonResourceURLs()));
      } else {
        ObjectNode n = resourceRules.addObject();
        n.set("verbs", KubeJson.MAPPER.valueToTree(rule.getVerbs()));
        n.set("apiGroups", KubeJson.MAPPER.valueToTree(rule.getApiGroups()));
        n.set("resources", KubeJson.MAPPER.valueToTree(rule.getResources()));
        if (rule.getResourceNames() != null && !rule.getResourceNames().isEmpty()) {
          n.set("resourceNames", KubeJson.MAPPER.valueToTree(rule.getResourceNames()));
        }
      }
    }
    status.put("incomplete", false);
  }

  private static void whoami(UserInfo user, ObjectNode status) {
    ObjectNode u = status.putObject("userInfo");
    u.put("username", user.name());
    if (user.uid() != null && !user.uid().isEmpty()) {
      u.put("uid", user.uid());
    }
    ArrayNode groups = u.putArray("groups");
    user.groups().forEach(groups::add);
  }
}
