package io.kemu.apiserver.authz;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.kemu.apiserver.authn.UserInfo;
import io.kemu.apiserver.errors.ApiException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Cases of pkg/registry/rbac/validation/policy_comparator_test.go and the policybased storages. */
class RbacEscalationTest {
  static PolicyRule rule(List<String> verbs, List<String> groups, List<String> resources, List<String> names) {
    return new PolicyRuleBuilder().withVerbs(verbs).withApiGroups(groups).withResources(resources)
        .withResourceNames(names).build();
  }

  static PolicyRule url(List<String> verbs, List<String> urls) {
    return new PolicyRuleBuilder().withVerbs(verbs).withNonResourceURLs(urls).build();
  }

  static boolean covers(List<PolicyRule> owner, List<PolicyRule> servant) {
    return RbacEscalation.uncovered(owner, servant).isEmpty();
  }

  @Test
  void comparatorCases() {
    // "single rule, exact match"
    assertTrue(covers(List.of(rule(List.of("*"), List.of("v1"), List.of("builds"), List.of())),
        List.of(rule(List.of("get"), List.of("v1"), List.of("builds"), List.of()))));
    // "verb wildcard does not cover a different resource"
    assertFalse(covers(List.of(rule(List.of("*"), List.of("v1"), List.of("builds"), List.of())),
        List.of(rule(List.of("get"), List.of("v1"), List.of("pods"), List.of()))));
    // "multiple rules, with one extra": get/list of builds and pods against get of builds only
    List<PolicyRule> missing = RbacEscalation.uncovered(
        List.of(rule(List.of("get"), List.of("v1"), List.of("builds"), List.of())),
        List.of(rule(List.of("get", "list"), List.of("v1"), List.of("builds", "pods"), List.of())));
    assertEquals(3, missing.size());
    // "resource names: an owner without names covers names; names do not cover all"
    assertTrue(covers(List.of(rule(List.of("get"), List.of(""), List.of("secrets"), List.of())),
        List.of(rule(List.of("get"), List.of(""), List.of("secrets"), List.of("foo")))));
    assertFalse(covers(List.of(rule(List.of("get"), List.of(""), List.of("secrets"), List.of("foo"))),
        List.of(rule(List.of("get"), List.of(""), List.of("secrets"), List.of()))));
    assertTrue(covers(List.of(rule(List.of("get"), List.of(""), List.of("secrets"), List.of("foo", "bar"))),
        List.of(rule(List.of("get"), List.of(""), List.of("secrets"), List.of("bar")))));
    // "star resources, star groups"
    assertTrue(covers(List.of(rule(List.of("get"), List.of("*"), List.of("*"), List.of())),
        List.of(rule(List.of("get"), List.of("apps"), List.of("deployments", "deployments/scale"), List.of()))));
    // "subresource wildcard": */scale covers deployments/scale, not deployments
    assertTrue(covers(List.of(rule(List.of("update"), List.of("apps"), List.of("*/scale"), List.of())),
        List.of(rule(List.of("update"), List.of("apps"), List.of("deployments/scale"), List.of()))));
    assertFalse(covers(List.of(rule(List.of("update"), List.of("apps"), List.of("*/scale"), List.of())),
        List.of(rule(List.of("update"), List.of("apps"), List.of("deployments"), List.of()))));
    // "a verb wildcard in the servant needs one in the owner"
    assertFalse(covers(List.of(rule(List.of("get", "list"), List.of(""), List.of("pods"), List.of())),
        List.of(rule(List.of("*"), List.of(""), List.of("pods"), List.of()))));
    // non-resource URLs: exact, and a trailing star covers the prefix
    assertTrue(covers(List.of(url(List.of("get"), List.of("/api/*"))), List.of(url(List.of("get"), List.of("/api/v1")))));
    assertFalse(covers(List.of(url(List.of("get"), List.of("/api"))), List.of(url(List.of("get"), List.of("/apis")))));
    assertTrue(covers(List.of(url(List.of("*"), List.of("*"))), List.of(url(List.of("get", "post"), List.of("/x/y")))));
  }

  @Test
  void compactStringAsKubePrintsIt() {
    List<PolicyRule> compacted = RbacEscalation.compact(List.of(
        rule(List.of("get"), List.of("apps"), List.of("deployments"), List.of()),
        rule(List.of("list"), List.of("apps"), List.of("deployments"), List.of()),
        rule(List.of("get"), List.of(""), List.of("secrets"), List.of("db"))));
    assertEquals("{APIGroups:[\"apps\"], Resources:[\"deployments\"], Verbs:[\"get\" \"list\"]}",
        RbacEscalation.compactString(compacted.get(0)));
    assertEquals("{APIGroups:[\"\"], Resources:[\"secrets\"], ResourceNames:[\"db\"], Verbs:[\"get\"]}",
        RbacEscalation.compactString(compacted.get(1)));
    assertEquals("{NonResourceURLs:[\"/healthz\"], Verbs:[\"get\"]}",
        RbacEscalation.compactString(url(List.of("get"), List.of("/healthz"))));
  }

  // --- the storages' decisions ---

  static final UserInfo ALICE = new UserInfo("alice", "", List.of("developers", "system:authenticated"));
  static final List<PolicyRule> ALICE_RULES = List.of(
      rule(List.of("get", "list", "watch"), List.of(""), List.of("pods", "configmaps"), List.of()),
      rule(List.of("*"), List.of("rbac.authorization.k8s.io"), List.of("roles", "rolebindings"), List.of()));

  RbacEscalation escalation(Set<String> allowedVerbs) {
    return new RbacEscalation(new RbacEscalation.RuleResolver() {
      @Override
      public List<PolicyRule> rulesFor(UserInfo user, String namespace) {
        return namespace.equals("team") ? ALICE_RULES : List.of();
      }

      @Override
      public List<PolicyRule> roleRules(RoleRef ref, String namespace) {
        return switch (ref.getName()) {
          case "view" -> List.of(rule(List.of("get", "list"), List.of(""), List.of("pods"), List.of()));
          case "cluster-admin" -> List.of(rule(List.of("*"), List.of("*"), List.of("*"), List.of()));
          default -> null;
        };
      }
    }, a -> allowedVerbs.contains(a.verb()));
  }

  static Role role(String name, PolicyRule... rules) {
    return new RoleBuilder().withNewMetadata().withName(name).withNamespace("team").endMetadata()
        .withRules(rules).build();
  }

  @Test
  void aRoleWithHeldRulesIsAllowedAndOneWithMoreIsForbiddenWithKubesMessage() {
    RbacEscalation e = escalation(Set.of());
    assertDoesNotThrow(() -> e.check(role("readers", rule(List.of("get"), List.of(""), List.of("pods"), List.of())),
        null, ALICE));
    ApiException ex = assertThrows(ApiException.class, () -> e.check(role("thief",
        rule(List.of("get"), List.of(""), List.of("secrets"), List.of()),
        rule(List.of("list"), List.of(""), List.of("pods"), List.of())), null, ALICE));
    assertEquals(403, ex.code());
    assertEquals("roles.rbac.authorization.k8s.io \"thief\" is forbidden: user \"alice\" (groups=[\"developers\" "
        + "\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
        + "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\"]}", ex.getMessage());
  }

  @Test
  void escalateVerbAndSystemMastersAreExempt() {
    Role wide = role("wide", rule(List.of("*"), List.of("*"), List.of("*"), List.of()));
    assertDoesNotThrow(() -> escalation(Set.of("escalate")).check(wide, null, ALICE));
    assertDoesNotThrow(() -> escalation(Set.of()).check(wide, null,
        new UserInfo("root", "", List.of("system:masters"))));
  }

  @Test
  void bindingsNeedTheRolesRulesOrTheBindVerb() {
    RbacEscalation e = escalation(Set.of());
    assertDoesNotThrow(() -> e.check(new RoleBindingBuilder().withNewMetadata().withName("b").withNamespace("team")
        .endMetadata().withNewRoleRef().withKind("ClusterRole").withName("view").endRoleRef().build(), null, ALICE));
    var toAdmin = new RoleBindingBuilder().withNewMetadata().withName("pwn").withNamespace("team").endMetadata()
        .withNewRoleRef().withKind("ClusterRole").withName("cluster-admin").endRoleRef().build();
    ApiException ex = assertThrows(ApiException.class, () -> e.check(toAdmin, null, ALICE));
    assertTrue(ex.getMessage().startsWith("rolebindings.rbac.authorization.k8s.io \"pwn\" is forbidden: user "
        + "\"alice\""), ex.getMessage());
    assertTrue(ex.getMessage().endsWith("{APIGroups:[\"*\"], Resources:[\"*\"], Verbs:[\"*\"]}"), ex.getMessage());
    assertDoesNotThrow(() -> escalation(Set.of("bind")).check(toAdmin, null, ALICE));
    var missing = new RoleBindingBuilder().withNewMetadata().withName("m").withNamespace("team").endMetadata()
        .withNewRoleRef().withKind("Role").withName("nope").endRoleRef().build();
    assertEquals("rolebindings.rbac.authorization.k8s.io \"m\" is forbidden: roles.rbac.authorization.k8s.io \"nope\" "
        + "not found", assertThrows(ApiException.class, () -> e.check(missing, null, ALICE)).getMessage());
  }

  @Test
  void aggregatedClusterRolesNeedClusterAdmin() {
    var aggregated = new ClusterRoleBuilder().withNewMetadata().withName("agg").endMetadata()
        .withNewAggregationRule().addNewClusterRoleSelector().addToMatchLabels("x", "y").endClusterRoleSelector()
        .endAggregationRule().build();
    assertTrue(assertThrows(ApiException.class, () -> escalation(Set.of()).check(aggregated, null, ALICE))
        .getMessage().endsWith("must have cluster-admin privileges to use the aggregationRule"));
  }

  @Test
  void changingOnlyGcFieldsOfAnUnheldRoleIsAllowed() {
    Role old = role("wide", rule(List.of("*"), List.of("*"), List.of("*"), List.of()));
    Role withFinalizer = new RoleBuilder(old).editMetadata().addToFinalizers("example.com/x").endMetadata().build();
    assertDoesNotThrow(() -> escalation(Set.of()).check(withFinalizer, old, ALICE));
    Role relabeled = new RoleBuilder(old).editMetadata().addToLabels("a", "b").endMetadata().build();
    assertThrows(ApiException.class, () -> escalation(Set.of()).check(relabeled, old, ALICE));
  }
}
