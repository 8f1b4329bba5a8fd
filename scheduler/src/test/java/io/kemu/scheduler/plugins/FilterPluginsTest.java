package io.kemu.scheduler.plugins;

import static io.kemu.scheduler.Fixtures.info;
import static io.kemu.scheduler.Fixtures.label;
import static io.kemu.scheduler.Fixtures.node;
import static io.kemu.scheduler.Fixtures.pod;
import static io.kemu.scheduler.Fixtures.taint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cases after nodeaffinity, tainttoleration, nodeunschedulable and nodename tests upstream. */
class FilterPluginsTest {
  private static Status filter(io.kemu.scheduler.framework.Plugins.FilterPlugin p, Pod pod,
                               io.fabric8.kubernetes.api.model.Node node) {
    return p.filter(new CycleState(), pod, info(node));
  }

  @Test
  void nodeSelectorMustMatchEveryLabel() {
    Pod p = pod("p", null, null);
    p.getSpec().setNodeSelector(Map.of("disk", "ssd", "zone", "a"));
    NodeAffinity a = new NodeAffinity();
    assertTrue(filter(a, p, label(label(node("n", "1", "1Gi", 10), "disk", "ssd"), "zone", "a")).isSuccess());
    Status s = filter(a, p, label(node("n", "1", "1Gi", 10), "disk", "ssd"));
    assertEquals(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, s.code());
    assertEquals(List.of(NodeAffinity.ERR_REASON), s.reasons());
  }

  @Test
  void requiredNodeAffinityTermsAreOredAndExpressionsAnded() {
    Pod p = pod("p", null, null);
    p.getSpec().setAffinity(new io.fabric8.kubernetes.api.model.AffinityBuilder().withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .addNewNodeSelectorTerm().withMatchExpressions(
            new NodeSelectorRequirementBuilder().withKey("zone").withOperator("In").withValues("a", "b").build(),
            new NodeSelectorRequirementBuilder().withKey("gpu").withOperator("DoesNotExist").build()).endNodeSelectorTerm()
        .addNewNodeSelectorTerm().withMatchFields(new NodeSelectorRequirementBuilder().withKey("metadata.name")
            .withOperator("In").withValues("special").build()).endNodeSelectorTerm()
        .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build());
    NodeAffinity a = new NodeAffinity();
    assertTrue(filter(a, p, label(node("n", "1", "1Gi", 10), "zone", "b")).isSuccess());
    assertTrue(!filter(a, p, label(label(node("n", "1", "1Gi", 10), "zone", "b"), "gpu", "x")).isSuccess());
    assertTrue(!filter(a, p, label(node("n", "1", "1Gi", 10), "zone", "c")).isSuccess());
    assertTrue(filter(a, p, node("special", "1", "1Gi", 10)).isSuccess(), "second term via matchFields");
  }

  @Test
  void noScheduleTaintsNeedAToleration() {
    TaintToleration t = new TaintToleration();
    Pod p = pod("p", null, null);
    Status s = filter(t, p, taint(node("n", "1", "1Gi", 10), "dedicated", "gpu", "NoSchedule"));
    assertEquals(List.of("node(s) had untolerated taint {dedicated: gpu}"), s.reasons());
    p.getSpec().setTolerations(List.of(new TolerationBuilder().withKey("dedicated").withOperator("Equal")
        .withValue("gpu").withEffect("NoSchedule").build()));
    assertTrue(filter(t, p, taint(node("n", "1", "1Gi", 10), "dedicated", "gpu", "NoSchedule")).isSuccess());
    assertTrue(filter(t, pod("q", null, null), taint(node("n", "1", "1Gi", 10), "a", "b", "PreferNoSchedule"))
        .isSuccess(), "PreferNoSchedule never filters");
  }

  @Test
  void anEmptyKeyExistsTolerationToleratesEverything() {
    var tol = new TolerationBuilder().withOperator("Exists").build();
    assertTrue(Tolerations.tolerates(tol, new io.fabric8.kubernetes.api.model.Taint("NoExecute", "k", null, "v")));
    var wrongEffect = new TolerationBuilder().withKey("k").withOperator("Exists").withEffect("NoSchedule").build();
    assertTrue(!Tolerations.tolerates(wrongEffect, new io.fabric8.kubernetes.api.model.Taint("NoExecute", "k", null, "v")));
  }

  @Test
  void cordonedNodesRejectPodsUnlessTolerated() {
    var n = node("n", "1", "1Gi", 10);
    n.getSpec().setUnschedulable(true);
    NodeUnschedulable u = new NodeUnschedulable();
    assertEquals(List.of(NodeUnschedulable.ERR_REASON), filter(u, pod("p", null, null), n).reasons());
    Pod tolerant = pod("t", null, null);
    tolerant.getSpec().setTolerations(List.of(new TolerationBuilder().withKey("node.kubernetes.io/unschedulable")
        .withOperator("Exists").withEffect("NoSchedule").build()));
    assertTrue(filter(u, tolerant, n).isSuccess());
  }
}
