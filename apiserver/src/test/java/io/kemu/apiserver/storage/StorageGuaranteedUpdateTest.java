package io.kemu.apiserver.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kemu.etcd.EtcdStore;
import io.kemu.etcd.StoreSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * guaranteedUpdate with a state from the watch cache (etcd3 GuaranteedUpdate's cachedExistingObject): a stale
 * state must never win. Against a real in-process store.
 */
class StorageGuaranteedUpdateTest {
  static ActorTestKit kit;
  static Storage storage;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("kemu-storage-test");
    Config c = ConfigFactory.parseMap(Map.of(
        "pekko.persistence.journal.plugin", "pekko.persistence.journal.leveldb",
        "pekko.persistence.journal.leveldb.dir", dir.resolve("journal").toString(),
        "pekko.persistence.snapshot-store.plugin", "pekko.persistence.snapshot-store.local",
        "pekko.persistence.snapshot-store.local.dir", dir.resolve("snapshots").toString()))
        .withFallback(ConfigFactory.load());
    kit = ActorTestKit.create(c);
    kit.spawn(EtcdStore.create(StoreSettings.fromConfig(kit.system().settings().config())), "etcd");
    storage = new Storage(new EtcdClient(kit.system(), Duration.ofSeconds(10)));
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  static <T> T get(CompletionStage<T> s) throws Exception {
    return s.toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String s(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void aStaleCachedStateLosesTheCompareAndSwapAndTheUpdateRunsOnTheCurrentValue() throws Exception {
    Storage.Stored v1 = get(storage.create("/t/stale", b("1"), 0));
    Storage.Stored v2 = get(storage.guaranteedUpdate("/t/stale", null, cur -> b("2")));
    List<String> seen = new ArrayList<>();
    Storage.Stored v3 = get(storage.guaranteedUpdate("/t/stale", v1, cur -> {
      seen.add(s(cur.value()));
      return b(s(cur.value()) + "+");
    }));
    assertEquals(List.of("1", "2"), seen, "tried on the cached state, then on the current one");
    assertEquals("2+", s(v3.value()));
    assertTrue(v3.revision() > v2.revision());
  }

  @Test
  void aRejectionOfTheCachedStateIsCheckedAgainstTheCurrentValue() throws Exception {
    Storage.Stored old = get(storage.create("/t/reject", b("assigned"), 0));
    get(storage.guaranteedUpdate("/t/reject", null, cur -> b("free")));
    // like a binding that a stale copy says is already assigned
    Storage.Stored done = get(storage.guaranteedUpdate("/t/reject", old, cur -> {
      if (s(cur.value()).equals("assigned")) {
        throw new IllegalStateException("already assigned");
      }
      return b("assigned to n1");
    }));
    assertEquals("assigned to n1", s(done.value()));
  }

  @Test
  void aNoOpOnTheCachedStateIsConfirmedOnTheCurrentValue() throws Exception {
    Storage.Stored old = get(storage.create("/t/noop", b("a"), 0));
    get(storage.guaranteedUpdate("/t/noop", null, cur -> b("b")));
    // "set to a" is a no-op on the stale copy but not on the current value
    Storage.Stored done = get(storage.guaranteedUpdate("/t/noop", old, cur -> b("a")));
    assertEquals("a", s(done.value()));
    assertEquals("a", s(get(storage.get("/t/noop")).orElseThrow().value()));
  }
}
