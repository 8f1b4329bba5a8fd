package io.kemu.kubelet.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kemu.kubelet.runtime.ContainerLog;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Container logs as the CRI keeps them: whole lines, a partial last line, followers, tail and since. */
class ContainerLogTest {
  @Test
  void linesFollowersTailAndSince() {
    Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
    Clock clock = new Clock() {
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      public Clock withZone(java.time.ZoneId z) {
        return this;
      }

      public Instant instant() {
        return now[0];
      }
    };
    ContainerLog log = new ContainerLog(clock);
    log.append("a\nb".getBytes(StandardCharsets.UTF_8));
    now[0] = now[0].plusSeconds(10);
    log.append("c\nd\n".getBytes(StandardCharsets.UTF_8));
    List<String> followed = new ArrayList<>();
    boolean[] closed = new boolean[1];
    List<ContainerLog.Line> all = log.lines(new ContainerLog.Follower() {
      public void line(ContainerLog.Line l) {
        followed.add(new String(l.text(), StandardCharsets.UTF_8));
      }

      public void closed() {
        closed[0] = true;
      }
    });
    assertEquals(List.of("a\n", "bc\n", "d\n"), all.stream().map(l -> new String(l.text())).toList());
    assertEquals(1, ContainerLog.select(all, 1L, null).size());
    assertEquals(2, ContainerLog.select(all, null, now[0]).size());
    log.append("e".getBytes(StandardCharsets.UTF_8));
    assertTrue(followed.isEmpty(), "a partial line waits");
    log.close();
    assertEquals(List.of("e"), followed);
    assertTrue(closed[0]);
  }
}
