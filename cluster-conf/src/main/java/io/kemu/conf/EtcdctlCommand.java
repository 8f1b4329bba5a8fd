package io.kemu.conf;

import io.kemu.api.etcd.EtcdProtocol;
import io.kemu.api.etcd.EtcdProtocol.DeleteRangeRequest;
import io.kemu.api.etcd.EtcdProtocol.KeyValue;
import io.kemu.api.etcd.EtcdProtocol.PutRequest;
import io.kemu.api.etcd.EtcdProtocol.RangeRequest;
import io.kemu.api.etcd.EtcdProtocol.WatchRequest;
import io.kemu.api.etcd.EtcdProtocol.WatchResponse;
import io.kemu.etcd.client.StoreClient;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A debugging CLI for the running etcd-store, shaped like etcdctl v3 (its simple and json output): it joins the
 * cluster as a client node, finds the store through the Receptionist, runs one command and leaves.
 * Mirrors etcdctl/ctlv3/command (get_command.go, put_command.go, del_command.go, watch_command.go,
 * compaction_command.go, printer_simple.go, printer_json.go).
 */
@Command(name = "etcdctl", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Talk to the running etcd-store like etcdctl (v3 API).")
public final class EtcdctlCommand {
  @Option(names = "--endpoints", scope = ScopeType.INHERIT, split = ",", defaultValue = "${env:KEMU_ETCD_ENDPOINTS:-127.0.0.1:25520}",
      description = "host:port of the store (or any cluster member), comma-separated (default: ${DEFAULT-VALUE}).")
  List<String> endpoints;

  @Option(names = {"-w", "--write-out"}, scope = ScopeType.INHERIT, defaultValue = "simple",
      description = "Output format: simple or json (status also: table). Default: ${DEFAULT-VALUE}.")
  String format;

  @Option(names = "--command-timeout", scope = ScopeType.INHERIT, defaultValue = "10s", description = "Deadline of one request (default: ${DEFAULT-VALUE}).")
  String commandTimeout;

  @Option(names = "--dial-timeout", scope = ScopeType.INHERIT, defaultValue = "20s", description = "Deadline to join the cluster (default: ${DEFAULT-VALUE}).")
  String dialTimeout;

  PrintStream out = System.out;

  // ---------------------------------------------------------------- commands

  @Command(name = "get", description = "Gets the key or a range of keys.")
  int get(@Parameters(index = "0", paramLabel = "key") String key,
          @Parameters(index = "1", arity = "0..1", paramLabel = "range_end") String rangeEnd,
          @Option(names = "--prefix", description = "Get keys with matching prefix.") boolean prefix,
          @Option(names = "--from-key", description = "Get keys that are greater than or equal to the given key.") boolean fromKey,
          @Option(names = "--limit", defaultValue = "0", description = "Maximum number of results.") long limit,
          @Option(names = "--rev", defaultValue = "0", description = "Specify the kv revision.") long rev,
          @Option(names = "--keys-only", description = "Get only the keys.") boolean keysOnly,
          @Option(names = "--count-only", description = "Get only the count.") boolean countOnly,
          @Option(names = "--print-value-only", description = "Only write values when using the simple format.") boolean valueOnly)
      throws Exception {
    String end = rangeEnd(key, rangeEnd, prefix, fromKey);
    RangeRequest req = new RangeRequest(key, end, rev, limit, countOnly, keysOnly);
    return withClient(c -> c.range(req), resp -> {
      if (isJson()) {
        out.println(json(ordered("header", header(resp.header()), "kvs", resp.kvs().stream().map(this::kvJson).toList(),
            "more", resp.more(), "count", resp.count())));
      } else if (countOnly) {
        out.println(resp.count());
      } else {
        resp.kvs().forEach(kv -> printKv(kv, valueOnly));
      }
    });
  }

  @Command(name = "put", description = "Puts the given key into the store.")
  int put(@Parameters(index = "0", paramLabel = "key") String key,
          @Parameters(index = "1", paramLabel = "value") String value,
          @Option(names = "--lease", defaultValue = "0", description = "lease ID (in hexadecimal) to attach to the key.") String lease,
          @Option(names = "--prev-kv", description = "return the previous key-value pair before modification.") boolean prevKv)
      throws Exception {
    PutRequest req = new PutRequest(key, value.getBytes(StandardCharsets.UTF_8), Long.parseUnsignedLong(lease, 16), prevKv);
    return withClient(c -> c.<EtcdProtocol.PutResponse>ask(r -> new EtcdProtocol.Put(req, r)), resp -> {
      if (isJson()) {
        out.println(json(resp.prevKv() == null ? ordered("header", header(resp.header()))
            : ordered("header", header(resp.header()), "prev_kv", kvJson(resp.prevKv()))));
      } else {
        out.println("OK");
        if (resp.prevKv() != null) {
          printKv(resp.prevKv(), false);
        }
      }
    });
  }

  @Command(name = "del", description = "Removes the specified key or range of keys [key, range_end).")
  int del(@Parameters(index = "0", paramLabel = "key") String key,
          @Parameters(index = "1", arity = "0..1", paramLabel = "range_end") String rangeEnd,
          @Option(names = "--prefix", description = "delete keys with matching prefix") boolean prefix,
          @Option(names = "--from-key", description = "delete keys that are greater than or equal to the given key") boolean fromKey,
          @Option(names = "--prev-kv", description = "return deleted key-value pairs") boolean prevKv)
      throws Exception {
    DeleteRangeRequest req = new DeleteRangeRequest(key, rangeEnd(key, rangeEnd, prefix, fromKey), prevKv);
    return withClient(c -> c.<EtcdProtocol.DeleteRangeResponse>ask(r -> new EtcdProtocol.DeleteRange(req, r)), resp -> {
      if (isJson()) {
        out.println(json(ordered("header", header(resp.header()), "deleted", resp.deleted(),
            "prev_kvs", resp.prevKvs().stream().map(this::kvJson).toList())));
      } else {
        out.println(resp.deleted());
        resp.prevKvs().forEach(kv -> printKv(kv, false));
      }
    });
  }

  @Command(name = "compact", description = "Compacts the event history in the store.")
  int compact(@Parameters(index = "0", paramLabel = "revision") long revision) throws Exception {
    return withClient(c -> c.<EtcdProtocol.CompactResponse>ask(r -> new EtcdProtocol.Compact(revision, r)),
        resp -> out.println(isJson() ? json(ordered("header", header(resp.header()))) : "compacted revision " + revision));
  }

  @Command(name = "status", description = "Prints the status of the store.")
  int status() throws Exception {
    return withClient(StoreClient::status, s -> {
      String endpoint = String.join(",", endpoints);
      if (isJson()) {
        out.println(json(ordered("Endpoint", endpoint, "Status", ordered("header", header(s.header()),
            "compact_revision", s.compactRevision(), "keys", s.keys(), "watchers", s.watchers(), "leases", s.leases(),
            "data", s.dataDir(), "journal_sequence_nr", s.persistedSequenceNr()))));
        return;
      }
      List<String> head = List.of("ENDPOINT", "REVISION", "COMPACT REVISION", "KEYS", "WATCHERS", "LEASES",
          "PERSISTENCE ID", "JOURNAL SEQ NR");
      List<String> row = List.of(endpoint, Long.toString(s.header().revision()), Long.toString(s.compactRevision()),
          Long.toString(s.keys()), Long.toString(s.watchers()), Long.toString(s.leases()), s.dataDir(),
          Long.toString(s.persistedSequenceNr()));
      if (format.equals("table")) {
        printTable(head, row);
      } else {
        out.println(String.join(", ", row));
      }
    });
  }

  @Command(name = "watch", description = "Watches events stream on keys or prefixes; resumes after a store restart.")
  int watch(@Parameters(index = "0", paramLabel = "key") String key,
            @Parameters(index = "1", arity = "0..1", paramLabel = "range_end") String rangeEnd,
            @Option(names = "--prefix", description = "Watch on a prefix if prefix is set") boolean prefix,
            @Option(names = "--rev", defaultValue = "0", description = "Revision to start watching") long rev,
            @Option(names = "--prev-kv", description = "get the previous key-value pair before the event happens") boolean prevKv,
            @Option(names = "--progress-notify", description = "get periodic watch progress notification from server") boolean progress,
            @Option(names = "--max-events", defaultValue = "0", description = "exit after this many events (0: never)") long maxEvents)
      throws Exception {
    WatchRequest req = new WatchRequest(key, rangeEnd(key, rangeEnd, prefix, false), rev, prevKv, progress);
    ActorSystem<Void> system = join();
    try {
      StoreClient client = new StoreClient(system, parse(commandTimeout));
      long[] seen = {0};
      var done = client.watch(req)
          .takeWhile(r -> maxEvents <= 0 || seen[0] < maxEvents)
          .runWith(Sink.foreach(r -> {
            printWatch(r);
            seen[0] += r.events().size();
          }), system);
      try {
        done.toCompletableFuture().get();
      } catch (ExecutionException e) {
        if (!system.whenTerminated().isCompleted() && !(e.getCause() instanceof org.apache.pekko.stream.AbruptStageTerminationException)) {
          throw e;
        }
        // interrupted (Ctrl-C): etcdctl exits quietly too
      }
      return 0;
    } finally {
      ClientNode.stop(system, Duration.ofSeconds(10));
    }
  }

  // ---------------------------------------------------------------- output

  private void printWatch(WatchResponse r) {
    if (isJson()) {
      out.println(json(ordered("Header", header(r.header()), "Events", r.events().stream().map(e -> {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        if (e.type() == EtcdProtocol.EventType.DELETE) {
          m.put("type", 1);
        }
        m.put("kv", kvJson(e.kv()));
        if (e.prevKv() != null) {
          m.put("prev_kv", kvJson(e.prevKv()));
        }
        return m;
      }).toList(), "CompactRevision", r.compactRevision(), "Canceled", r.canceled(),
          "Created", false)));
      out.flush();
      return;
    }
    if (r.canceled()) {
      System.err.println("watch was canceled (" + r.cancelReason() + ")");
      return;
    }
    if (r.events().isEmpty() && r.header().revision() > 0) {
      out.println("progress notify: revision " + r.header().revision());
    }
    for (EtcdProtocol.Event e : r.events()) {
      out.println(e.type());
      if (e.prevKv() != null) {
        printKv(e.prevKv(), false);
      }
      printKv(e.kv(), false);
    }
    out.flush();
  }

  private void printKv(KeyValue kv, boolean valueOnly) {
    if (!valueOnly) {
      out.println(kv.key());
    }
    out.println(kv.valueUtf8());
  }

  private void printTable(List<String> head, List<String> row) {
    int[] w = new int[head.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = Math.max(head.get(i).length(), row.get(i).length());
    }
    StringBuilder line = new StringBuilder("+");
    for (int x : w) {
      line.append("-".repeat(x + 2)).append('+');
    }
    out.println(line);
    out.println(tableRow(head, w));
    out.println(line);
    out.println(tableRow(row, w));
    out.println(line);
  }

  private static String tableRow(List<String> cells, int[] w) {
    StringBuilder b = new StringBuilder("|");
    for (int i = 0; i < w.length; i++) {
      String c = cells.get(i);
      int pad = w[i] - c.length();
      b.append(' ').append(" ".repeat(pad / 2)).append(c).append(" ".repeat(pad - pad / 2)).append(" |");
    }
    return b.toString();
  }

  private boolean isJson() {
    return format.equals("json");
  }

  private Map<String, Object> header(EtcdProtocol.ResponseHeader h) {
    return Map.of("revision", h == null ? 0 : h.revision());
  }

  /** etcd's JSON printer prints keys and values base64-encoded (they are bytes in protobuf). */
  private Map<String, Object> kvJson(KeyValue kv) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("key", Base64.getEncoder().encodeToString(kv.key().getBytes(StandardCharsets.UTF_8)));
    m.put("create_revision", kv.createRevision());
    m.put("mod_revision", kv.modRevision());
    m.put("version", kv.version());
    if (kv.value() != null) {
      m.put("value", Base64.getEncoder().encodeToString(kv.value()));
    }
    if (kv.lease() != 0) {
      m.put("lease", kv.lease());
    }
    return m;
  }

  /** A map that keeps etcdctl's field order in JSON. */
  private static Map<String, Object> ordered(Object... kv) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static String json(Object o) {
    try {
      return io.kemu.api.KubeJson.MAPPER.writeValueAsString(o);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- plumbing

  /** etcdctl's rule: --prefix and --from-key exclude an explicit range_end. */
  static String rangeEnd(String key, String rangeEnd, boolean prefix, boolean fromKey) {
    if ((prefix || fromKey) && rangeEnd != null) {
      throw new IllegalArgumentException("too many arguments, only accept one argument when `--prefix` or `--from-key` is set");
    }
    if (prefix && fromKey) {
      throw new IllegalArgumentException("`--prefix` and `--from-key` cannot be set at the same time, choose one");
    }
    if (prefix) {
      return key.isEmpty() ? "\0" : EtcdProtocol.prefixEnd(key);
    }
    if (fromKey) {
      return "\0";
    }
    return rangeEnd;
  }

  private ActorSystem<Void> join() {
    return ClientNode.start(ClientNode.config("etcdctl", endpoints, 0, Map.of()), parse(dialTimeout));
  }

  private <T> int withClient(Function<StoreClient, CompletionStage<T>> call, java.util.function.Consumer<T> print)
      throws Exception {
    ActorSystem<Void> system = join();
    try {
      StoreClient client = new StoreClient(system, parse(commandTimeout));
      T result;
      try {
        result = call.apply(client).toCompletableFuture().get(parse(commandTimeout).toMillis() * 2, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c && c.getCause() != null
            ? c.getCause() : e.getCause();
        System.err.println("Error: " + (cause instanceof StoreClient.StoreError ? cause.getMessage() : cause.toString()));
        return 1;
      }
      print.accept(result);
      out.flush();
      return 0;
    } finally {
      ClientNode.stop(system, Duration.ofSeconds(10));
    }
  }

  static Duration parse(String d) {
    return Duration.ofMillis(com.typesafe.config.ConfigFactory.parseString("d = " + d).getDuration("d", TimeUnit.MILLISECONDS));
  }
}
