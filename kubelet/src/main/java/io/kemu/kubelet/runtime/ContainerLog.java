package io.kemu.kubelet.runtime;

import io.kemu.kubelet.runtime.proc.OutStream;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The log of one container instance, as the CRI keeps it: whole lines with their timestamps (a partial line waits
 * for its newline or the container's end), the newest {@value #MAX_LINES} lines and 512 KiB kept (kubelet's
 * containerLogMaxSize rotation, simplified). Written by the node's kernel,
 * read and followed by log requests on other threads.
 */
public final class ContainerLog {
  static final int MAX_LINES = 5000;
  static final long MAX_BYTES = 512 * 1024;

  public record Line(Instant at, byte[] text) {}

  /** A follower gets each new line, then {@code closed} once the container has ended. */
  public interface Follower {
    void line(Line l);

    void closed();
  }

  private final Clock clock;
  private final ArrayDeque<Line> lines = new ArrayDeque<>();
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private final List<Follower> followers = new ArrayList<>();
  private boolean closed;
  private long bytes;

  public ContainerLog(Clock clock) {
    this.clock = clock;
  }

  /** The container's stdout and stderr. */
  public OutStream stream() {
    return new OutStream() {
      @Override
      public void write(byte[] data) {
        append(data);
      }
    };
  }

  public void append(byte[] data) {
    List<Follower> fs;
    List<Line> added = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      int start = 0;
      for (int i = 0; i < data.length; i++) {
        if (data[i] == '\n') {
          partial.write(data, start, i - start + 1);
          added.add(add(partial.toByteArray()));
          partial.reset();
          start = i + 1;
        }
      }
      partial.write(data, start, data.length - start);
      fs = followers.isEmpty() ? List.of() : List.copyOf(followers);
    }
    for (Follower f : fs) {
      added.forEach(f::line);
    }
  }

  private Line add(byte[] text) {
    Line l = new Line(clock.instant(), text);
    lines.add(l);
    bytes += text.length;
    while (lines.size() > MAX_LINES || bytes > MAX_BYTES && lines.size() > 1) {
      bytes -= lines.poll().text().length;
    }
    return l;
  }

  /** The container ended: a partial last line is kept as it is, followers are released. */
  public void close() {
    List<Follower> fs;
    Line last = null;
    synchronized (this) {
      if (closed) {
        return;
      }
      if (partial.size() > 0) {
        last = add(partial.toByteArray());
        partial.reset();
      }
      closed = true;
      fs = List.copyOf(followers);
      followers.clear();
    }
    for (Follower f : fs) {
      if (last != null) {
        f.line(last);
      }
      f.closed();
    }
  }

  public synchronized boolean closed() {
    return closed;
  }

  /** The lines kept; with {@code follower}, atomically registered for what comes next (null if closed). */
  public synchronized List<Line> lines(Follower follower) {
    List<Line> copy = new ArrayList<>(lines);
    if (follower != null) {
      if (closed) {
        follower.closed();
      } else {
        followers.add(follower);
      }
    }
    return copy;
  }

  public synchronized void unfollow(Follower f) {
    followers.remove(f);
  }

  /** kubectl logs' selection: lines since an instant, then the last {@code tail} of them. */
  public static List<Line> select(List<Line> all, Long tail, Instant since) {
    List<Line> out = all;
    if (since != null) {
      out = out.stream().filter(l -> !l.at().isBefore(since)).toList();
    }
    if (tail != null && tail < out.size()) {
      out = out.subList(out.size() - (int) (long) tail, out.size());
    }
    return out;
  }
}
