package io.kemu.apiserver.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.kemu.api.KubeJson;
import io.kemu.apiserver.authn.UserInfo;
import io.kemu.apiserver.errors.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * RBAC's privilege-escalation prevention (pkg/registry/rbac/{role,clusterrole,rolebinding,clusterrolebinding}/
 * policybased and pkg/registry/rbac/validation): a user may create or update a Role or ClusterRole only with rules
 * they already hold (or with the {@code escalate} verb on it), and bind a role only if they hold its rules (or have
 * the {@code bind} verb on it). Members of system:masters are exempt. Refusals are 403s with kube's message.
 */
public final class RbacEscalation {
  static final String RBAC_GROUP = "rbac.authorization.k8s.io";

  /** The rules a user holds in a namespace ("" = cluster-wide), as RBAC's rule resolver lists them. */
  public interface RuleResolver {
    List<PolicyRule> rulesFor(UserInfo user, String namespace);

    /** The rules of a role reference, or null when the role does not exist. */
    List<PolicyRule> roleRules(RoleRef ref, String namespace);
  }

  private final RuleResolver resolver;
  private final Predicate<Attributes> authorizer;

  public RbacEscalation(RuleResolver resolver, Predicate<Attributes> authorizer) {
    this.resolver = resolver;
    this.authorizer = authorizer;
  }

  /** Throws 403 Forbidden when writing {@code obj} (replacing {@code old}, null on create) would escalate. */
  public void check(HasMetadata obj, HasMetadata old, UserInfo user) {
    if (!(obj instanceof Role || obj instanceof ClusterRole || obj instanceof RoleBinding
        || obj instanceof ClusterRoleBinding)) {
      return;
    }
    if (escalationAllowed(user) || (old != null && onlyMutatesGcFields(obj, old))) {
      return;
    }
    String ns = obj.getMetadata().getNamespace() == null ? "" : obj.getMetadata().getNamespace();
    String name = obj.getMetadata().getName();
    if (obj instanceof Role role) {
      if (!authorizer.test(Attributes.resource(user, "escalate", RBAC_GROUP, "roles", "", ns, name))) {
        confirmNoEscalation(user, ns, role.getRules(), "roles", name);
      }
    } else if (obj instanceof ClusterRole role) {
      if (!authorizer.test(Attributes.resource(user, "escalate", RBAC_GROUP, "clusterroles", "", "", name))) {
        if (role.getAggregationRule() != null) {
          throw forbidden("clusterroles", name, "must have cluster-admin privileges to use the aggregationRule");
        }
        confirmNoEscalation(user, "", role.getRules(), "clusterroles", name);
      }
    } else {
      RoleRef ref = obj instanceof RoleBinding rb ? rb.getRoleRef() : ((ClusterRoleBinding) obj).getRoleRef();
      String resource = obj instanceof RoleBinding ? "rolebindings" : "clusterrolebindings";
      if (ref == null || bindingAuthorized(user, ref, ns)) {
        return;
      }
      List<PolicyRule> rules = resolver.roleRules(ref, ns);
      if (rules == null) {
        String refResource = "ClusterRole".equals(ref.getKind()) ? "clusterroles" : "roles";
        throw forbidden(resource, name, refResource + "." + RBAC_GROUP + " \"" + ref.getName() + "\" not found");
      }
      confirmNoEscalation(user, ns, rules, resource, name);
    }
  }

  /** rbacregistry.EscalationAllowed: system:masters may do anything. */
  static boolean escalationAllowed(UserInfo user) {
    return user.inGroup(UserInfo.SYSTEM_MASTERS);
  }

  /** rbacregistry.BindingAuthorized: the bind verb on the referenced role. */
  private boolean bindingAuthorized(UserInfo user, RoleRef ref, String bindingNamespace) {
    String resource = "ClusterRole".equals(ref.getKind()) ? "clusterroles" : "roles";
    return authorizer.test(Attributes.resource(user, "bind", RBAC_GROUP, resource, "", bindingNamespace,
        ref.getName()));
  }

  private void confirmNoEscalation(UserInfo user, String ns, List<PolicyRule> rules, String resource, String name) {
    List<PolicyRule> missing = uncovered(resolver.rulesFor(user, ns), rules == null ? List.of() : rules);
    if (!missing.isEmpty()) {
      TreeSet<String> descriptions = compact(missing).stream().map(RbacEscalation::compactString)
          .collect(Collectors.toCollection(TreeSet::new));
      throw forbidden(resource, name, "user " + goQuote(user.name()) + " (groups=" + goQuote(user.groups())
          + ") is attempting to grant RBAC permissions not currently held:\n" + String.join("\n", descriptions));
    }
  }

  private static ApiException forbidden(String resource, String name, String why) {
    return ApiException.forbidden(RBAC_GROUP, resource, name,
        resource + "." + RBAC_GROUP + " \"" + name + "\" is forbidden: " + why);
  }

  /** rbacregistry.IsOnlyMutatingGCFields: only ownerReferences, finalizers or managedFields change. */
  static boolean onlyMutatesGcFields(HasMetadata obj, HasMetadata old) {
    ObjectNode copied = KubeJson.MAPPER.valueToTree(obj);
    ObjectNode before = KubeJson.MAPPER.valueToTree(old);
    ObjectNode meta = (ObjectNode) copied.path("metadata");
    JsonNode oldMeta = before.path("metadata");
    for (String f : List.of("ownerReferences", "finalizers", "selfLink", "managedFields")) {
      if (oldMeta.has(f)) {
        meta.set(f, oldMeta.get(f));
      } else {
        meta.remove(f);
      }
    }
    return copied.equals(before);
  }

  // --- validation.Covers (policy_comparator.go) ---

  /** The servant rules' single-verb parts that no owner rule covers. */
  static List<PolicyRule> uncovered(List<PolicyRule> owner, List<PolicyRule> servant) {
    List<PolicyRule> missing = new ArrayList<>();
    for (PolicyRule s : servant) {
      for (PolicyRule sub : breakdown(s)) {
        if (owner.stream().noneMatch(o -> ruleCovers(o, sub))) {
          missing.add(sub);
        }
      }
    }
    return missing;
  }

  /** BreakdownRule: one rule per group × resource × verb (× name), and per non-resource URL × verb. */
  static List<PolicyRule> breakdown(PolicyRule r) {
    List<PolicyRule> out = new ArrayList<>();
    for (String group : list(r.getApiGroups())) {
      for (String resource : list(r.getResources())) {
        for (String verb : list(r.getVerbs())) {
          if (!list(r.getResourceNames()).isEmpty()) {
            for (String n : r.getResourceNames()) {
              out.add(rule(List.of(group), List.of(resource), List.of(verb), List.of(n), List.of()));
            }
          } else {
            out.add(rule(List.of(group), List.of(resource), List.of(verb), List.of(), List.of()));
          }
        }
      }
    }
    for (String url : list(r.getNonResourceURLs())) {
      for (String verb : list(r.getVerbs())) {
        out.add(rule(List.of(), List.of(), List.of(verb), List.of(), List.of(url)));
      }
    }
    return out;
  }

  static boolean ruleCovers(PolicyRule owner, PolicyRule sub) {
    boolean verbs = has(owner.getVerbs(), "*") || hasAll(owner.getVerbs(), sub.getVerbs());
    boolean groups = has(owner.getApiGroups(), "*") || hasAll(owner.getApiGroups(), sub.getApiGroups());
    boolean resources = resourceCoversAll(list(owner.getResources()), list(sub.getResources()));
    boolean urls = nonResourceUrlsCoverAll(list(owner.getNonResourceURLs()), list(sub.getNonResourceURLs()));
    boolean names = list(sub.getResourceNames()).isEmpty() ? list(owner.getResourceNames()).isEmpty()
        : list(owner.getResourceNames()).isEmpty() || hasAll(owner.getResourceNames(), sub.getResourceNames());
    return verbs && groups && resources && names && urls;
  }

  private static boolean resourceCoversAll(List<String> set, List<String> covers) {
    if (set.contains("*") || set.containsAll(covers)) {
      return true;
    }
    for (String path : covers) {
      if (set.contains(path)) {
        continue;
      }
      int slash = path.indexOf('/');
      if (slash < 0 || !set.contains("*/" + path.substring(slash + 1))) {
        return false;
      }
    }
    return true;
  }

  private static boolean nonResourceUrlsCoverAll(List<String> set, List<String> covers) {
    for (String path : covers) {
      boolean covered = false;
      for (String owner : set) {
        if (owner.equals(path) || (owner.endsWith("*") && path.startsWith(owner.replaceAll("\\*+$", "")))) {
          covered = true;
          break;
        }
      }
      if (!covered) {
        return false;
      }
    }
    return true;
  }

  /** CompactRules: simple rules (one group, one resource, no names) of the same group/resource merge their verbs. */
  static List<PolicyRule> compact(List<PolicyRule> rules) {
    Map<List<String>, PolicyRule> simple = new LinkedHashMap<>();
    List<PolicyRule> out = new ArrayList<>();
    for (PolicyRule r : rules) {
      boolean isSimple = list(r.getApiGroups()).size() == 1 && list(r.getResources()).size() == 1
          && list(r.getResourceNames()).isEmpty() && list(r.getNonResourceURLs()).isEmpty();
      if (!isSimple) {
        out.add(r);
        continue;
      }
      List<String> key = List.of(r.getApiGroups().get(0), r.getResources().get(0));
      PolicyRule existing = simple.get(key);
      if (existing == null) {
        simple.put(key, rule(r.getApiGroups(), r.getResources(), new ArrayList<>(r.getVerbs()), List.of(), List.of()));
      } else {
        existing.getVerbs().addAll(r.getVerbs());
      }
    }
    List<PolicyRule> all = new ArrayList<>(simple.values());
    all.addAll(out);
    return all;
  }

  /** rbacv1helpers.CompactString: {APIGroups:["apps"], Resources:["deployments"], Verbs:["get" "list"]}. */
  static String compactString(PolicyRule r) {
    List<String> parts = new ArrayList<>();
    if (!list(r.getApiGroups()).isEmpty()) {
      parts.add("APIGroups:" + goQuote(r.getApiGroups()));
    }
    if (!list(r.getResources()).isEmpty()) {
      parts.add("Resources:" + goQuote(r.getResources()));
    }
    if (!list(r.getNonResourceURLs()).isEmpty()) {
      parts.add("NonResourceURLs:" + goQuote(r.getNonResourceURLs()));
    }
    if (!list(r.getResourceNames()).isEmpty()) {
      parts.add("ResourceNames:" + goQuote(r.getResourceNames()));
    }
    if (!list(r.getVerbs()).isEmpty()) {
      parts.add("Verbs:" + goQuote(r.getVerbs()));
    }
    return "{" + String.join(", ", parts) + "}";
  }

  private static String goQuote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Go's %q of a []string: ["a" "b"]. */
  private static String goQuote(List<String> l) {
    return "[" + l.stream().map(RbacEscalation::goQuote).collect(Collectors.joining(" ")) + "]";
  }

  private static PolicyRule rule(List<String> groups, List<String> resources, List<String> verbs, List<String> names,
                                 List<String> urls) {
    PolicyRule r = new PolicyRule();
    r.setApiGroups(new ArrayList<>(groups));
    r.setResources(new ArrayList<>(resources));
    r.setVerbs(new ArrayList<>(verbs));
    r.setResourceNames(new ArrayList<>(names));
    r.setNonResourceURLs(new ArrayList<>(urls));
    return r;
  }

  private static List<String> list(List<String> l) {
    return l == null ? List.of() : l;
  }

  private static boolean has(List<String> set, String e) {
    return set != null && set.contains(e);
  }

  private static boolean hasAll(List<String> set, List<String> contains) {
    return list(set).containsAll(list(contains));
  }
}
