package io.kemu.apiserver.registry.core;

import io.kemu.apiserver.storage.Storage;
import io.kemu.apiserver.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Allocations that must be unique across apiservers (service ClusterIPs, NodePorts): each taken value is a key
 * created if absent in etcd, named after the value and holding its owner, like kube's IPAddress objects.
 */
public final class Allocator {
  public static final class Exhausted extends RuntimeException {
    Exhausted(String what) {
      super(what, null, false, false);
    }
  }

  /** The values one allocator hands out: a contiguous range of longs rendered to strings (IPs, ports). */
  public interface Range {
    long first();

    long last();

    String render(long value);

    /** The value a string denotes, or -1 when it is outside the range or malformed. */
    long parse(String value);
  }

  private final Storage storage;
  private final String prefix;
  private final Range range;

  public Allocator(Storage storage, String prefix, Range range) {
    this.storage = storage;
    this.prefix = prefix;
    this.range = range;
  }

  public Range range() {
    return range;
  }

  /** Takes a specific value; fails with {@link StorageException} KEY_EXISTS if it is taken. */
  public CompletionStage<String> allocate(String value, String owner) {
    return storage.create(prefix + value, owner.getBytes(StandardCharsets.UTF_8), 0).thenApply(s -> value);
  }

  /** Takes any free value: random probes, then the remaining ones in order. */
  public CompletionStage<String> allocateNext(String owner) {
    long size = range.last() - range.first() + 1;
    long start = range.first() + ThreadLocalRandom.current().nextLong(size);
    return probe(start, 0, size, owner);
  }

  private CompletionStage<String> probe(long candidate, long tried, long size, String owner) {
    if (tried >= Math.min(size, 4096)) {
      return CompletableFuture.failedFuture(new Exhausted("range is full"));
    }
    String value = range.render(candidate);
    return allocate(value, owner).handle((v, err) -> {
      if (err == null) {
        return CompletableFuture.completedFuture(v);
      }
      Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
      if (cause instanceof StorageException se && se.code() == StorageException.Code.KEY_EXISTS) {
        long next = candidate + 1 > range.last() ? range.first() : candidate + 1;
        return probe(next, tried + 1, size, owner);
      }
      return CompletableFuture.<String>failedFuture(cause);
    }).thenCompose(x -> x);
  }

  public CompletionStage<Void> release(String value) {
    return storage.delete(prefix + value, null, s -> true).handle((x, e) -> null);
  }

  /** An IPv4 CIDR without its network address, its broadcast address and the first host (kept for "kubernetes"). */
  public static Range ipv4(String cidr, boolean reserveFirst) {
    String[] parts = cidr.split("/");
    long base = ipToLong(parts[0]);
    int bits = Integer.parseInt(parts[1]);
    long size = 1L << (32 - bits);
    long first = base + (reserveFirst ? 2 : 1);
    long last = base + size - 2;
    return new Range() {
      public long first() {
        return first;
      }

      public long last() {
        return last;
      }

      public String render(long v) {
        return ((v >> 24) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 8) & 0xff) + "." + (v & 0xff);
      }

      public long parse(String value) {
        try {
          long v = ipToLong(value);
          return v >= base + 1 && v <= last ? v : -1;
        } catch (RuntimeException e) {
          return -1;
        }
      }
    };
  }

  public static Range ports(int first, int last) {
    return new Range() {
      public long first() {
        return first;
      }

      public long last() {
        return last;
      }

      public String render(long v) {
        return Long.toString(v);
      }

      public long parse(String value) {
        try {
          long v = Long.parseLong(value);
          return v >= first && v <= last ? v : -1;
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    };
  }

  static long ipToLong(String ip) {
    String[] o = ip.split("\\.");
    if (o.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + ip);
    }
    long v = 0;
    for (String part : o) {
      int b = Integer.parseInt(part);
      if (b < 0 || b > 255) {
        throw new IllegalArgumentException("not an IPv4 address: " + ip);
      }
      v = (v << 8) | b;
    }
    return v;
  }
}
