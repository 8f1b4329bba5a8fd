package io.kemu.apiserver.authz;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.kemu.apiserver.authn.UserInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * RBAC (plugin/pkg/auth/authorizer/rbac): a request is allowed when a rule of a role bound to the user, one of
 * its groups or its service account allows it; ClusterRoleBindings apply everywhere, RoleBindings in their
 * namespace. Pure logic over a {@link Policy} snapshot.
 */
public final class RbacAuthorizer {
  /** The RBAC objects the decision reads. */
  public interface Policy {
    Collection<ClusterRole> clusterRoles();

    Collection<ClusterRoleBinding> clusterRoleBindings();

    Collection<Role> roles(String namespace);

    Collection<RoleBinding> roleBindings(String namespace);

    ClusterRole clusterRole(String name);

    Role role(String namespace, String name);
  }

  public record Decision(boolean allowed, String reason) {}

  private final Supplier<Policy> policy;

  public RbacAuthorizer(Supplier<Policy> policy) {
    this.policy = policy;
  }

  public Decision authorize(Attributes a) {
    Policy p = policy.get();
    for (ClusterRoleBinding b : p.clusterRoleBindings()) {
      if (appliesTo(b.getSubjects(), a.user(), "")) {
        ClusterRole role = p.clusterRole(b.getRoleRef().getName());
        if (role != null && allows(role.getRules(), a)) {
          return new Decision(true, "RBAC: allowed by ClusterRoleBinding \"" + b.getMetadata().getName()
              + "\" of ClusterRole \"" + role.getMetadata().getName() + "\" to " + describe(a.user()));
        }
      }
    }
    if (!a.namespace().isEmpty()) {
      for (RoleBinding b : p.roleBindings(a.namespace())) {
        if (appliesTo(b.getSubjects(), a.user(), a.namespace())) {
          List<PolicyRule> rules = rulesOf(p, b, a.namespace());
          if (allows(rules, a)) {
            return new Decision(true, "RBAC: allowed by RoleBinding \"" + b.getMetadata().getName() + "/"
                + a.namespace() + "\" of " + b.getRoleRef().getKind() + " \"" + b.getRoleRef().getName() + "\" to "
                + describe(a.user()));
          }
        }
      }
    }
    return new Decision(false, "");
  }

  /** The rules that apply to a user in a namespace (for SelfSubjectRulesReview). */
  public List<PolicyRule> rulesFor(UserInfo user, String namespace) {
    Policy p = policy.get();
    List<PolicyRule> out = new ArrayList<>();
    for (ClusterRoleBinding b : p.clusterRoleBindings()) {
      if (appliesTo(b.getSubjects(), user, "")) {
        ClusterRole role = p.clusterRole(b.getRoleRef().getName());
        if (role != null && role.getRules() != null) {
          out.addAll(role.getRules());
        }
      }
    }
    if (namespace != null && !namespace.isEmpty()) {
      for (RoleBinding b : p.roleBindings(namespace)) {
        if (appliesTo(b.getSubjects(), user, namespace)) {
          out.addAll(rulesOf(p, b, namespace));
        }
      }
    }
    return out;
  }

  /** GetRoleReferenceRules: the rules of the role a binding refers to, or null when it does not exist. */
  public List<PolicyRule> roleRules(io.fabric8.kubernetes.api.model.rbac.RoleRef ref, String namespace) {
    Policy p = policy.get();
    if ("ClusterRole".equals(ref.getKind())) {
      ClusterRole cr = p.clusterRole(ref.getName());
      return cr == null ? null : cr.getRules() == null ? List.of() : cr.getRules();
    }
    Role r = namespace == null || namespace.isEmpty() ? null : p.role(namespace, ref.getName());
    return r == null ? null : r.getRules() == null ? List.of() : r.getRules();
  }

  private static List<PolicyRule> rulesOf(Policy p, RoleBinding b, String namespace) {
    if ("ClusterRole".equals(b.getRoleRef().getKind())) {
      ClusterRole cr = p.clusterRole(b.getRoleRef().getName());
      return cr == null || cr.getRules() == null ? List.of() : cr.getRules();
    }
    Role r = p.role(namespace, b.getRoleRef().getName());
    return r == null || r.getRules() == null ? List.of() : r.getRules();
  }

  static boolean appliesTo(List<Subject> subjects, UserInfo user, String bindingNamespace) {
    if (subjects == null) {
      return false;
    }
    for (Subject s : subjects) {
      switch (s.getKind()) {
        case "User" -> {
          if (s.getName().equals(user.name())) {
            return true;
          }
        }
        case "Group" -> {
          if (user.groups().contains(s.getName())) {
            return true;
          }
        }
        case "ServiceAccount" -> {
          String ns = s.getNamespace() == null || s.getNamespace().isEmpty() ? bindingNamespace : s.getNamespace();
          if (("system:serviceaccount:" + ns + ":" + s.getName()).equals(user.name())) {
            return true;
          }
        }
        default -> {
        }
      }
    }
    return false;
  }

  static boolean allows(List<PolicyRule> rules, Attributes a) {
    if (rules == null) {
      return false;
    }
    for (PolicyRule r : rules) {
      if (a.resourceRequest() ? resourceRuleAllows(r, a) : nonResourceRuleAllows(r, a)) {
        return true;
      }
    }
    return false;
  }

  /** rbac/v1 helpers VerbMatches, APIGroupMatches, ResourceMatches, ResourceNameMatches. */
  private static boolean resourceRuleAllows(PolicyRule r, Attributes a) {
    return matches(r.getVerbs(), a.verb())
        && matches(r.getApiGroups(), a.apiGroup())
        && resourceMatches(r.getResources(), a.resource(), a.subresource())
        && (r.getResourceNames() == null || r.getResourceNames().isEmpty() || r.getResourceNames().contains(a.name()));
  }

  private static boolean nonResourceRuleAllows(PolicyRule r, Attributes a) {
    if (!matches(r.getVerbs(), a.verb()) || r.getNonResourceURLs() == null) {
      return false;
    }
    for (String url : r.getNonResourceURLs()) {
      if (url.equals("*") || url.equals(a.path())
          || (url.endsWith("*") && a.path().startsWith(url.substring(0, url.length() - 1)))) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(List<String> allowed, String value) {
    return allowed != null && (allowed.contains("*") || allowed.contains(value));
  }

  private static boolean resourceMatches(List<String> resources, String resource, String subresource) {
    if (resources == null) {
      return false;
    }
    String combined = subresource.isEmpty() ? resource : resource + "/" + subresource;
    for (String r : resources) {
      if (r.equals("*") || r.equals(combined)) {
        return true;
      }
      if (!subresource.isEmpty() && (r.equals("*/" + subresource) || r.equals(resource + "/*"))) {
        return true;
      }
    }
    return false;
  }

  private static String describe(UserInfo u) {
    return "User \"" + u.name() + "\"";
  }
}
