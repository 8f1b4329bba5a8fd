package io.kemu.scheduler.plugins;

import static io.kemu.scheduler.Fixtures.makeNode;
import static io.kemu.scheduler.Fixtures.makePod;
import static io.kemu.scheduler.Fixtures.nodeInfo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.NodeInfo;
import io.kemu.scheduler.framework.PodInfo;
import io.kemu.scheduler.framework.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TestNodePorts (node_ports_test.go): newPod(host, "PROTO/ip/port"...) against a node running another. */
class NodePortsTest {
  final NodePorts plugin = new NodePorts();

  Status run(String[] wanted, String... existing) {
    PodInfo pod = makePod().hostPorts(wanted).info();
    NodeInfo node = existing.length == 0 ? nodeInfo(makeNode().name("m1").obj())
        : nodeInfo(makeNode().name("m1").obj(), makePod().hostPorts(existing).node("m1").obj());
    CycleState s = new CycleState();
    var r = plugin.preFilter(s, pod, List.of(node));
    if (r.status().isSkip()) {
      return Status.SUCCESS;
    }
    return plugin.filter(s, pod, node);
  }

  static String[] want(String... p) {
    return p;
  }

  static final List<String> CONFLICT = List.of("node(s) didn't have free ports for the requested pod ports");

  @Test
  void nothingRunning() {
    assertEquals(Status.SUCCESS, run(want()));
  }

  @Test
  void otherPort() {
    assertEquals(Status.SUCCESS, run(want("UDP/127.0.0.1/8080"), "UDP/127.0.0.1/9090"));
  }

  @Test
  void sameUdpPort() {
    assertEquals(CONFLICT, run(want("UDP/127.0.0.1/8080"), "UDP/127.0.0.1/8080").reasons());
  }

  @Test
  void sameTcpPort() {
    Status s = run(want("TCP/127.0.0.1/8080"), "TCP/127.0.0.1/8080");
    assertEquals(Status.Code.UNSCHEDULABLE, s.code());
    assertEquals(CONFLICT, s.reasons());
  }

  @Test
  void differentHostIp() {
    assertEquals(Status.SUCCESS, run(want("TCP/127.0.0.1/8080"), "TCP/127.0.0.2/8080"));
  }

  @Test
  void differentProtocol() {
    assertEquals(Status.SUCCESS, run(want("UDP/127.0.0.1/8080"), "TCP/127.0.0.1/8080"));
  }

  @Test
  void secondUdpPortConflict() {
    assertEquals(CONFLICT, run(want("UDP/127.0.0.1/8000", "UDP/127.0.0.1/8080"), "UDP/127.0.0.1/8080").reasons());
  }

  @Test
  void firstTcpPortConflict() {
    assertEquals(CONFLICT, run(want("TCP/127.0.0.1/8001", "UDP/127.0.0.1/8080"), "TCP/127.0.0.1/8001",
        "UDP/127.0.0.1/8081").reasons());
  }

  @Test
  void firstTcpPortConflictDueTo0000HostIp() {
    assertEquals(CONFLICT, run(want("TCP/0.0.0.0/8001"), "TCP/127.0.0.1/8001").reasons());
  }

  @Test
  void tcpHostPortConflictDueTo0000HostIp() {
    assertEquals(CONFLICT, run(want("TCP/10.0.10.10/8001", "TCP/0.0.0.0/8001"), "TCP/127.0.0.1/8001").reasons());
  }

  @Test
  void secondTcpPortConflictTo0000HostIp() {
    assertEquals(CONFLICT, run(want("TCP/127.0.0.1/8001"), "TCP/0.0.0.0/8001").reasons());
  }

  @Test
  void secondDifferentProtocol() {
    assertEquals(Status.SUCCESS, run(want("UDP/127.0.0.1/8001"), "TCP/0.0.0.0/8001"));
  }

  @Test
  void udpHostPortConflictDueTo0000HostIp() {
    assertEquals(CONFLICT, run(want("UDP/127.0.0.1/8001"), "TCP/0.0.0.0/8001", "UDP/0.0.0.0/8001").reasons());
  }
}
