package io.kemu.kubelet.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kemu.kubelet.runtime.net.ClusterNet;
import io.kemu.kubelet.runtime.proc.Proc;
import io.kemu.kubelet.runtime.proc.Signals;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShellTest {
  private final VirtualNode node = new VirtualNode();

  private VirtualNode.Container busybox() {
    return node.container("busybox:1.28", "10.244.0.2");
  }

  /** Runs a script in busybox; returns "status|output". */
  private String run(String script) {
    VirtualNode.Container c = busybox();
    c.sh(script);
    int st = node.exitOf(c, Duration.ofMinutes(30));
    return st + "|" + c.output();
  }

  @Test
  void echoAndRedirections() {
    assertEquals("0|hello world\n", run("echo hello world"));
    assertEquals("0|a b\n", run("echo 'a' \"b\""));
    assertEquals("0|one\ntwo\n", run("echo one > /tmp/f; echo two >> /tmp/f; cat /tmp/f"));
    assertEquals("0|-n x", run("printf '%s' \"-n x\""));
  }

  @Test
  void exitCodesAndLists() {
    assertEquals("3|", run("exit 3"));
    assertEquals("1|", run("false"));
    assertEquals("0|yes\n", run("false || echo yes"));
    assertEquals("1|", run("false && echo no"));
    assertEquals("0|1\n", run("false; echo $?"));
    assertEquals("7|before\n", run("echo before; exit 7; echo after"));
  }

  @Test
  void sleepTakesEmulatedTime() {
    VirtualNode.Container c = busybox();
    c.sh("echo start; sleep 30; echo done");
    assertEquals(0, node.exitOf(c, Duration.ofMinutes(1)));
    assertEquals("start\ndone\n", c.output());
    assertEquals(30, node.elapsed().toSeconds());
  }

  @Test
  void loopsArithmeticAndCommandSubstitution() {
    assertEquals("0|0 1 2 \n", run("i=0; while [ $i -lt 3 ]; do printf '%s ' $i; i=$((i+1)); done; echo"));
    assertEquals("0|a\nb\nc\n", run("for x in a b c; do echo $x; done"));
    assertEquals("0|3\n", run("n=0; until [ $n -ge 3 ]; do n=$((n+1)); done; echo $n"));
    assertEquals("0|got: hi\n", run("x=$(echo hi); echo \"got: $x\""));
    assertEquals("0|1 2 3\n", run("echo $(seq 1 3)"));
  }

  @Test
  void theLoggingLoopOfTheAcceptanceTest() {
    VirtualNode.Container c = busybox();
    Proc p = c.sh("i=0; while true; do echo \"$i: $(date)\"; i=$((i+1)); sleep 1; done");
    node.runUntil(() -> false, Duration.ofMillis(3500));
    assertFalse(p.exited());
    String[] lines = c.output().split("\n");
    assertEquals(4, lines.length, c.output());
    assertTrue(lines[0].startsWith("0: Thu Jan  1 00:00:00 UTC 2026"), lines[0]);
    assertTrue(lines[3].startsWith("3: Thu Jan  1 00:00:03 UTC 2026"), lines[3]);
  }

  @Test
  void testAndBrackets() {
    assertEquals("0|yes\n", run("touch /tmp/a; if [ -f /tmp/a ]; then echo yes; else echo no; fi"));
    assertEquals("0|no\n", run("if test -d /tmp/a; then echo yes; else echo no; fi"));
    assertEquals("1|", run("[ 2 -gt 3 ]"));
    assertEquals("0|", run("[ abc = abc ] && [ -n abc ] && [ -z '' ]"));
    assertEquals("0|gone\n", run("touch /tmp/h; rm -f /tmp/h; [ -e /tmp/h ] || echo gone"));
  }

  @Test
  void catAndGrep() {
    assertEquals("0|b2\n", run("printf 'a1\\nb2\\nc3\\n' > /tmp/t; grep b /tmp/t"));
    assertEquals("1|", run("echo abc | grep -q xyz"));
    assertEquals("0|2\n", run("printf 'x\\ny\\nx\\n' | grep -c x"));
    assertEquals("1|cat: can't open '/nope': No such file or directory\n", run("cat /nope"));
    assertEquals("0|A\n", run("echo a | tr a-z A-Z"));
  }

  @Test
  void missingCommandIs127() {
    assertEquals("127|sh: nosuch: not found\n", run("nosuch"));
  }

  @Test
  void trapRunsOnTermAndOnExit() {
    VirtualNode.Container c = busybox();
    Proc p = c.sh("trap 'echo bye; exit 0' TERM; echo up; while true; do sleep 1; done");
    node.runUntil(() -> false, Duration.ofSeconds(3));
    p.signal(Signals.TERM);
    assertEquals(0, node.exitOf(c, Duration.ofSeconds(5)));
    assertEquals("up\nbye\n", c.output());

    assertEquals("0|work\ncleanup\n", run("trap 'echo cleanup' EXIT; echo work"));
  }

  @Test
  void aShellWithoutTrapDiesOnTerm() {
    VirtualNode.Container c = busybox();
    Proc p = c.sh("sleep 600");
    node.runUntil(() -> false, Duration.ofSeconds(1));
    p.signal(Signals.TERM);
    assertEquals(128 + Signals.TERM, node.exitOf(c, Duration.ofSeconds(1)));
  }

  @Test
  void nslookupResolvesServicesOnly() {
    VirtualNode.Container c = busybox();
    c.sh("nslookup myservice");
    assertEquals(1, node.exitOf(c, Duration.ofSeconds(5)));
    assertTrue(c.output().contains("nslookup: can't resolve 'myservice'"), c.output());

    node.cluster.putService(new ClusterNet.Service("default", "myservice", "10.96.12.34", Map.of("app", "x"),
        List.of(new ClusterNet.ServicePort("http", 80, "80", "TCP"))));
    VirtualNode.Container d = node.container("busybox:1.28", "10.244.0.3");
    d.sh("nslookup myservice.default.svc.cluster.local");
    assertEquals(0, node.exitOf(d, Duration.ofSeconds(5)));
    assertTrue(d.output().contains("Name:      myservice.default.svc.cluster.local\n"
        + "Address 1: 10.96.12.34 myservice.default.svc.cluster.local"), d.output());
  }

  @Test
  void theInitContainerWaitLoop() {
    VirtualNode.Container c = busybox();
    c.sh("until nslookup mydb; do echo waiting for mydb; sleep 2; done; echo found");
    node.runUntil(() -> false, Duration.ofSeconds(5));
    assertTrue(c.output().contains("waiting for mydb"));
    node.cluster.putService(new ClusterNet.Service("default", "mydb", "10.96.0.77", Map.of(), List.of()));
    assertEquals(0, node.exitOf(c, Duration.ofSeconds(5)));
    assertTrue(c.output().endsWith("found\n"), c.output());
  }

  @Test
  void wgetFetchesFromNginxInAnotherPod() {
    VirtualNode.Container web = node.container("nginx", "10.244.0.9");
    web.run(List.of("nginx", "-g", "daemon off;"));
    node.runUntil(() -> web.net.isListening(80), Duration.ofSeconds(1));
    VirtualNode.Container c = busybox();
    c.sh("wget -q -O - http://10.244.0.9/ | grep -c 'Welcome to nginx'; wget -q -O - http://10.244.0.9/nope; echo $?");
    assertEquals(0, node.exitOf(c, Duration.ofSeconds(5)));
    assertEquals("2\nwget: server returned error: HTTP/1.1 404 Not Found\n1\n", c.output());
    assertTrue(web.output().contains("\"GET / HTTP/1.1\" 200"), web.output());

    VirtualNode.Container d = node.container("busybox", "10.244.0.4");
    d.sh("wget -q -O - http://10.244.0.200/");
    assertEquals(1, node.exitOf(d, Duration.ofMinutes(20)));
  }

  @Test
  void wgetThroughAServiceNameToAPod() {
    VirtualNode.Container web = node.new Container("nginx", "10.244.0.20", "default", Map.of("app", "web"));
    web.run(List.of("nginx", "-g", "daemon off;"));
    node.cluster.putService(new ClusterNet.Service("default", "web", "10.96.0.50", Map.of("app", "web"),
        List.of(new ClusterNet.ServicePort("http", 8080, "80", "TCP"))));
    VirtualNode.Container c = busybox();
    c.sh("wget -q -O /tmp/page http://web:8080/index.html && grep -o 'Welcome to nginx!' /tmp/page | head -1");
    assertEquals(0, node.exitOf(c, Duration.ofSeconds(5)));
    assertEquals("Welcome to nginx!\n", c.output());
  }

  @Test
  void redisAnswersOn6379AndNginxQuitsGracefully() {
    VirtualNode.Container redis = node.container("redis", "10.244.0.30");
    redis.run(List.of("redis-server"));
    node.runUntil(() -> redis.net.isListening(6379), Duration.ofSeconds(1));
    assertTrue(redis.output().contains("Ready to accept connections tcp"));
    Proc cli = redis.machine.spawn(null, List.of("redis-cli", "ping"), Map.of(), "/",
        io.kemu.kubelet.runtime.proc.InStream.empty(node.kernel), redis.out::writeBytes, redis.out::writeBytes,
        io.kemu.kubelet.runtime.programs.Programs.INSTANCE.create("redis-cli"));
    node.runUntil(cli::exited, Duration.ofSeconds(1));
    assertEquals(0, cli.status());
    assertTrue(redis.output().endsWith("PONG\n"), redis.output());

    VirtualNode.Container web = node.container("nginx", "10.244.0.31");
    Proc nginx = web.run(List.of("nginx", "-g", "daemon off;"));
    node.runUntil(() -> web.net.isListening(80), Duration.ofSeconds(1));
    Proc quit = web.machine.spawn(null, List.of("sh", "-c", "nginx -s quit; while killall -0 nginx; do sleep 1; done"),
        Map.of("PATH", io.kemu.kubelet.runtime.ImageCatalog.PATH), "/",
        io.kemu.kubelet.runtime.proc.InStream.empty(node.kernel), web.out::writeBytes, web.out::writeBytes,
        new Shell(Shell.Flavor.DASH));
    node.runUntil(quit::exited, Duration.ofSeconds(5));
    assertTrue(nginx.exited());
    assertEquals(0, nginx.status());
    assertFalse(web.net.isListening(80));
  }

  @Test
  void debianPrintenv() {
    VirtualNode.Container c = node.container("debian", "10.244.0.40");
    c.run(List.of("printenv", "HOSTNAME"));
    assertEquals(0, node.exitOf(c, Duration.ofSeconds(1)));
    assertEquals("pod-10-244-0-40\n", c.output());
  }
}
