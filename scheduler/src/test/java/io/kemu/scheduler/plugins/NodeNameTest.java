package io.kemu.scheduler.plugins;

import static io.kemu.scheduler.Fixtures.makeNode;
import static io.kemu.scheduler.Fixtures.makePod;
import static io.kemu.scheduler.Fixtures.nodeInfo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TestNodeName (node_name_test.go). */
class NodeNameTest {
  final NodeName plugin = new NodeName();

  @Test
  void noHostSpecified() {
    assertEquals(Status.SUCCESS, plugin.filter(new CycleState(), makePod().info(), nodeInfo(makeNode().name("foo")
        .obj())));
  }

  @Test
  void hostMatches() {
    assertEquals(Status.SUCCESS, plugin.filter(new CycleState(), makePod().node("foo").info(),
        nodeInfo(makeNode().name("foo").obj())));
  }

  @Test
  void hostDoesntMatch() {
    Status s = plugin.filter(new CycleState(), makePod().node("bar").info(), nodeInfo(makeNode().name("foo").obj()));
    assertEquals(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, s.code());
    assertEquals(List.of("node(s) didn't match the requested node name"), s.reasons());
  }
}
