package io.kemu.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.kemu.api.etcd.EtcdProtocol;
import io.kemu.etcd.client.StoreClient;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;

/** The operations the workloads need, against one store: kemu's etcd-store or real etcd. */
interface Backend extends AutoCloseable {
  String name();

  CompletionStage<?> put(String key, byte[] value);

  /** A range over a prefix; completes with the number of keys returned. */
  CompletionStage<Integer> rangePrefix(String prefix);

  CompletionStage<?> deletePrefix(String prefix);

  /** A watch on a prefix from the next revision; every PUT event's value goes to the consumer. */
  AutoCloseable watchPrefix(String prefix, Consumer<byte[]> onPut);

  // ---------------------------------------------------------------- kemu

  final class Kemu implements Backend {
    private final StoreClient client;
    private final ActorSystem<?> system;

    Kemu(StoreClient client) {
      this.client = client;
      this.system = client.system();
    }

    @Override
    public String name() {
      return "kemu";
    }

    @Override
    public CompletionStage<?> put(String key, byte[] value) {
      return client.put(key, value);
    }

    @Override
    public CompletionStage<Integer> rangePrefix(String prefix) {
      return client.range(EtcdProtocol.RangeRequest.prefix(prefix)).thenApply(r -> r.kvs().size());
    }

    @Override
    public CompletionStage<?> deletePrefix(String prefix) {
      return client.<EtcdProtocol.DeleteRangeResponse>ask(r -> new EtcdProtocol.DeleteRange(
          new EtcdProtocol.DeleteRangeRequest(prefix, EtcdProtocol.prefixEnd(prefix), false), r));
    }

    @Override
    public AutoCloseable watchPrefix(String prefix, Consumer<byte[]> onPut) {
      UniqueKillSwitch ks = client.watch(new EtcdProtocol.WatchRequest(prefix, EtcdProtocol.prefixEnd(prefix), 0,
              false, false))
          .viaMat(KillSwitches.single(), Keep.right())
          .to(Sink.foreach(r -> {
            for (EtcdProtocol.Event e : r.events()) {
              if (e.type() == EtcdProtocol.EventType.PUT) {
                onPut.accept(e.kv().value());
              }
            }
          })).run(system);
      return ks::shutdown;
    }

    @Override
    public void close() {}
  }

  // ---------------------------------------------------------------- etcd

  final class Etcd implements Backend {
    private final Client client;

    Etcd(String endpoint) {
      this.client = Client.builder().endpoints(endpoint).build();
    }

    private static ByteSequence bs(String s) {
      return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    @Override
    public String name() {
      return "etcd";
    }

    @Override
    public CompletionStage<?> put(String key, byte[] value) {
      return client.getKVClient().put(bs(key), ByteSequence.from(value));
    }

    @Override
    public CompletionStage<Integer> rangePrefix(String prefix) {
      return client.getKVClient().get(bs(prefix), GetOption.builder().isPrefix(true).build())
          .thenApply(r -> r.getKvs().size());
    }

    @Override
    public CompletionStage<?> deletePrefix(String prefix) {
      return client.getKVClient().delete(bs(prefix), DeleteOption.builder().isPrefix(true).build());
    }

    @Override
    public AutoCloseable watchPrefix(String prefix, Consumer<byte[]> onPut) {
      var watcher = client.getWatchClient().watch(bs(prefix), WatchOption.builder().isPrefix(true).build(), resp -> {
        for (WatchEvent e : resp.getEvents()) {
          if (e.getEventType() == WatchEvent.EventType.PUT) {
            onPut.accept(e.getKeyValue().getValue().getBytes());
          }
        }
      });
      return watcher::close;
    }

    @Override
    public void close() {
      client.close();
    }
  }
}
