package io.kemu.kubelet.runtime.fs;

import io.kemu.kubelet.runtime.fs.FsException.Errno;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One container's view of files: its own root tree (a copy of the image's) plus mounts grafted at absolute paths
 * (volumes shared with other containers of the pod, or with the node for hostPath). Directories, files and symlinks
 * are plain objects; a mounted directory is the same object in every container that mounts it, so a file written by
 * an init container into an emptyDir is there for nginx. Read-only is a property of the mount, not of the directory.
 * Not thread-safe: the node's kernel is the only caller.
 */
public final class Vfs {
  /** An inode. */
  public abstract static class Node {
    public int mode;
    public Instant mtime;

    Node(int mode, Instant mtime) {
      this.mode = mode;
      this.mtime = mtime;
    }

    abstract Node copy();
  }

  public static final class Dir extends Node {
    public final TreeMap<String, Node> entries = new TreeMap<>();

    public Dir(int mode, Instant mtime) {
      super(mode, mtime);
    }

    @Override
    public Dir copy() {
      Dir d = new Dir(mode, mtime);
      entries.forEach((k, v) -> d.entries.put(k, v.copy()));
      return d;
    }
  }

  public static final class File extends Node {
    public byte[] data;
    /** For executables: the emulated program this file runs (e.g. "busybox:sh", "nginx"); null for data. */
    public String program;
    /** Device files: "null", "zero", "random". */
    public String device;

    public File(int mode, Instant mtime, byte[] data) {
      super(mode, mtime);
      this.data = data;
    }

    @Override
    File copy() {
      File f = new File(mode, mtime, data);
      f.program = program;
      f.device = device;
      return f;
    }

    public void append(byte[] more) {
      if (device != null) {
        return;
      }
      byte[] n = Arrays.copyOf(data, data.length + more.length);
      System.arraycopy(more, 0, n, data.length, more.length);
      data = n;
    }
  }

  public static final class Link extends Node {
    public final String target;

    public Link(String target, Instant mtime) {
      super(0777, mtime);
      this.target = target;
    }

    @Override
    Link copy() {
      return new Link(target, mtime);
    }
  }

  /** A directory grafted at an absolute path. */
  public record Mount(String path, Dir root, boolean readOnly) {}

  /** Where a path leads: its parent directory, last name, the node (null if absent) and the mount's access. */
  public record Resolved(Dir parent, String name, Node node, String path, boolean readOnly) {}

  private record Frame(Dir dir, String path, boolean readOnly) {}

  private final Dir root;
  private final Map<String, Mount> mounts = new HashMap<>();
  private final Clock clock;
  private final boolean rootReadOnly;

  public Vfs(Dir root, Clock clock, boolean rootReadOnly) {
    this.root = root;
    this.clock = clock;
    this.rootReadOnly = rootReadOnly;
  }

  public Vfs(Dir root, Clock clock) {
    this(root, clock, false);
  }

  public static Dir emptyDir(Instant now) {
    return new Dir(0755, now);
  }

  public Dir root() {
    return root;
  }

  public Instant now() {
    return clock.instant();
  }

  /** Grafts a directory at an absolute path, creating the mount point in the underlying tree if needed. */
  public void mount(String path, Dir dir, boolean readOnly) {
    String p = normalize("/", path);
    try {
      mkdirs(root, p);
    } catch (FsException e) {
      // the mount point shadows whatever was there
    }
    mounts.put(p, new Mount(p, dir, readOnly));
  }

  public Map<String, Mount> mounts() {
    return mounts;
  }

  private void mkdirs(Dir base, String abs) throws FsException {
    Dir cur = base;
    StringBuilder sofar = new StringBuilder();
    for (String c : abs.split("/")) {
      if (c.isEmpty()) {
        continue;
      }
      sofar.append('/').append(c);
      Node n = cur.entries.get(c);
      if (n == null) {
        Dir d = new Dir(0755, now());
        cur.entries.put(c, d);
        cur = d;
      } else if (n instanceof Dir d) {
        cur = d;
      } else {
        throw new FsException(Errno.ENOTDIR, sofar.toString());
      }
    }
  }

  /** The lexical absolute form of a path (no symlinks followed). */
  public static String normalize(String cwd, String path) {
    String abs = path.startsWith("/") ? path : (cwd.endsWith("/") ? cwd : cwd + "/") + path;
    Deque<String> parts = new ArrayDeque<>();
    for (String c : abs.split("/")) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        parts.pollLast();
      } else {
        parts.addLast(c);
      }
    }
    return parts.isEmpty() ? "/" : "/" + String.join("/", parts);
  }

  // ---------------------------------------------------------------- resolution

  public Resolved resolve(String cwd, String path, boolean followLast) throws FsException {
    if (path.isEmpty()) {
      throw new FsException(Errno.ENOENT, path);
    }
    String abs = path.startsWith("/") ? path : (cwd.endsWith("/") ? cwd : cwd + "/") + path;
    Deque<String> todo = new ArrayDeque<>();
    for (String c : abs.split("/")) {
      if (!c.isEmpty()) {
        todo.addLast(c);
      }
    }
    Deque<Frame> stack = new ArrayDeque<>();
    Mount rm = mounts.get("/");
    stack.push(rm != null ? new Frame(rm.root(), "", rm.readOnly()) : new Frame(root, "", rootReadOnly));
    int hops = 0;
    if (todo.isEmpty()) {
      Frame f = stack.peek();
      return new Resolved(f.dir(), "", f.dir(), "/", f.readOnly());
    }
    while (!todo.isEmpty()) {
      String c = todo.pollFirst();
      boolean last = todo.isEmpty();
      Frame cur = stack.peek();
      if (c.equals(".")) {
        if (last) {
          return new Resolved(cur.dir(), ".", cur.dir(), cur.path().isEmpty() ? "/" : cur.path(), cur.readOnly());
        }
        continue;
      }
      if (c.equals("..")) {
        if (stack.size() > 1) {
          stack.pop();
        }
        if (last) {
          Frame f = stack.peek();
          return new Resolved(f.dir(), "..", f.dir(), f.path().isEmpty() ? "/" : f.path(), f.readOnly());
        }
        continue;
      }
      String childPath = cur.path() + "/" + c;
      Node child = cur.dir().entries.get(c);
      boolean ro = cur.readOnly();
      Mount m = mounts.get(childPath);
      if (m != null) {
        child = m.root();
        ro = m.readOnly();
      }
      if (child instanceof Link link && (!last || followLast)) {
        if (++hops > 40) {
          throw new FsException(Errno.ELOOP, path);
        }
        List<String> target = new ArrayList<>();
        for (String t : link.target.split("/")) {
          if (!t.isEmpty()) {
            target.add(t);
          }
        }
        if (link.target.startsWith("/")) {
          while (stack.size() > 1) {
            stack.pop();
          }
        }
        for (int i = target.size() - 1; i >= 0; i--) {
          todo.addFirst(target.get(i));
        }
        if (target.isEmpty() && last) {
          Frame f = stack.peek();
          return new Resolved(f.dir(), "", f.dir(), f.path().isEmpty() ? "/" : f.path(), f.readOnly());
        }
        continue;
      }
      if (last) {
        return new Resolved(cur.dir(), c, child, childPath, ro);
      }
      if (child == null) {
        throw new FsException(Errno.ENOENT, path);
      }
      if (!(child instanceof Dir d)) {
        throw new FsException(Errno.ENOTDIR, path);
      }
      stack.push(new Frame(d, childPath, ro));
    }
    Frame f = stack.peek();
    return new Resolved(f.dir(), "", f.dir(), f.path().isEmpty() ? "/" : f.path(), f.readOnly());
  }

  private Node existing(String cwd, String path, boolean follow) throws FsException {
    Resolved r = resolve(cwd, path, follow);
    if (r.node() == null) {
      throw new FsException(Errno.ENOENT, path);
    }
    return r.node();
  }

  // ---------------------------------------------------------------- queries

  public Node stat(String cwd, String path) throws FsException {
    return existing(cwd, path, true);
  }

  public Node lstat(String cwd, String path) throws FsException {
    return existing(cwd, path, false);
  }

  public Node find(String cwd, String path) {
    try {
      return resolve(cwd, path, true).node();
    } catch (FsException e) {
      return null;
    }
  }

  public boolean exists(String cwd, String path) {
    return find(cwd, path) != null;
  }

  public boolean isDir(String cwd, String path) {
    return find(cwd, path) instanceof Dir;
  }

  public boolean isFile(String cwd, String path) {
    return find(cwd, path) instanceof File;
  }

  public boolean isReadOnly(String cwd, String path) {
    try {
      return resolve(cwd, path, true).readOnly();
    } catch (FsException e) {
      return false;
    }
  }

  public byte[] read(String cwd, String path) throws FsException {
    Node n = existing(cwd, path, true);
    if (n instanceof Dir) {
      throw new FsException(Errno.EISDIR, path);
    }
    File f = (File) n;
    if ("zero".equals(f.device)) {
      return new byte[0];
    }
    return f.data;
  }

  public String readString(String cwd, String path) throws FsException {
    return new String(read(cwd, path), StandardCharsets.UTF_8);
  }

  /** Names in a directory, sorted. */
  public List<String> list(String cwd, String path) throws FsException {
    Node n = existing(cwd, path, true);
    if (!(n instanceof Dir d)) {
      throw new FsException(Errno.ENOTDIR, path);
    }
    Resolved r = resolve(cwd, path, true);
    List<String> names = new ArrayList<>(d.entries.keySet());
    String base = r.path().equals("/") ? "" : r.path();
    for (String mp : mounts.keySet()) {
      if (mp.startsWith(base + "/") && mp.indexOf('/', base.length() + 1) < 0) {
        String name = mp.substring(base.length() + 1);
        if (!names.contains(name)) {
          names.add(name);
        }
      }
    }
    names.sort(null);
    return names;
  }

  /** The node of a directory entry as listed (mounts included). */
  public Node child(String cwd, String dirPath, String name) {
    return find(cwd, (dirPath.endsWith("/") ? dirPath : dirPath + "/") + name);
  }

  public String canonical(String cwd, String path) throws FsException {
    return resolve(cwd, path, true).path();
  }

  // ---------------------------------------------------------------- changes

  /** Opens a file for writing (creating it 0644, or truncating it), as {@code >} and {@code >>} do. */
  public File openForWrite(String cwd, String path, boolean append) throws FsException {
    Resolved r = resolve(cwd, path, true);
    if (r.node() instanceof Dir) {
      throw new FsException(Errno.EISDIR, path);
    }
    if (r.node() instanceof File f) {
      if (f.device != null) {
        return f;
      }
      if (r.readOnly()) {
        throw new FsException(Errno.EROFS, path);
      }
      if (!append) {
        f.data = new byte[0];
      }
      f.mtime = now();
      return f;
    }
    if (r.readOnly()) {
      throw new FsException(Errno.EROFS, path);
    }
    if (r.name().isEmpty()) {
      throw new FsException(Errno.EISDIR, path);
    }
    File f = new File(0644, now(), new byte[0]);
    r.parent().entries.put(r.name(), f);
    return f;
  }

  public void write(String cwd, String path, byte[] data, boolean append) throws FsException {
    File f = openForWrite(cwd, path, append);
    if (f.device == null) {
      f.append(data);
      f.mtime = now();
    }
  }

  public void write(String cwd, String path, String data) throws FsException {
    write(cwd, path, data.getBytes(StandardCharsets.UTF_8), false);
  }

  /** touch(1): creates an empty file or updates its time. */
  public void touch(String cwd, String path) throws FsException {
    Resolved r = resolve(cwd, path, true);
    if (r.node() != null) {
      if (r.readOnly()) {
        throw new FsException(Errno.EROFS, path);
      }
      r.node().mtime = now();
      return;
    }
    openForWrite(cwd, path, true);
  }

  public void mkdir(String cwd, String path, boolean parents, int mode) throws FsException {
    if (parents) {
      String abs = normalize(cwd, path);
      StringBuilder sofar = new StringBuilder();
      for (String c : abs.split("/")) {
        if (c.isEmpty()) {
          continue;
        }
        sofar.append('/').append(c);
        Resolved r = resolve("/", sofar.toString(), true);
        if (r.node() == null) {
          if (r.readOnly()) {
            throw new FsException(Errno.EROFS, path);
          }
          r.parent().entries.put(r.name(), new Dir(mode, now()));
        } else if (!(r.node() instanceof Dir)) {
          throw new FsException(Errno.ENOTDIR, path);
        }
      }
      return;
    }
    Resolved r = resolve(cwd, path, true);
    if (r.node() != null) {
      throw new FsException(Errno.EEXIST, path);
    }
    if (r.readOnly()) {
      throw new FsException(Errno.EROFS, path);
    }
    r.parent().entries.put(r.name(), new Dir(mode, now()));
  }

  /** unlink(2) / rmdir(2) / rm -r. */
  public void remove(String cwd, String path, boolean recursive) throws FsException {
    Resolved r = resolve(cwd, path, false);
    if (r.node() == null) {
      throw new FsException(Errno.ENOENT, path);
    }
    if (mounts.containsKey(r.path())) {
      throw new FsException(Errno.EBUSY, path);
    }
    if (r.readOnly()) {
      throw new FsException(Errno.EROFS, path);
    }
    if (r.node() instanceof Dir d && !recursive && !d.entries.isEmpty()) {
      throw new FsException(Errno.ENOTEMPTY, path);
    }
    r.parent().entries.remove(r.name());
  }

  public void rename(String cwd, String from, String to) throws FsException {
    Resolved src = resolve(cwd, from, false);
    if (src.node() == null) {
      throw new FsException(Errno.ENOENT, from);
    }
    Resolved dst = resolve(cwd, to, true);
    if (dst.node() instanceof Dir d && !(src.node() instanceof Dir)) {
      dst = resolve(cwd, (to.endsWith("/") ? to : to + "/") + src.name(), true);
    } else if (dst.node() instanceof Dir && src.node() instanceof Dir) {
      dst = resolve(cwd, (to.endsWith("/") ? to : to + "/") + src.name(), true);
    }
    if (src.readOnly() || dst.readOnly()) {
      throw new FsException(Errno.EROFS, to);
    }
    src.parent().entries.remove(src.name());
    dst.parent().entries.put(dst.name(), src.node());
  }

  public void symlink(String cwd, String target, String linkPath) throws FsException {
    Resolved r = resolve(cwd, linkPath, false);
    if (r.node() != null) {
      throw new FsException(Errno.EEXIST, linkPath);
    }
    if (r.readOnly()) {
      throw new FsException(Errno.EROFS, linkPath);
    }
    r.parent().entries.put(r.name(), new Link(target, now()));
  }

  public void chmod(String cwd, String path, int mode) throws FsException {
    Resolved r = resolve(cwd, path, true);
    if (r.node() == null) {
      throw new FsException(Errno.ENOENT, path);
    }
    if (r.readOnly()) {
      throw new FsException(Errno.EROFS, path);
    }
    r.node().mode = mode & 07777;
  }

  /** Copies a file (cp). */
  public void copyFile(String cwd, String from, String to) throws FsException {
    Node n = existing(cwd, from, true);
    if (n instanceof Dir) {
      throw new FsException(Errno.EISDIR, from);
    }
    String dest = to;
    if (isDir(cwd, to)) {
      dest = (to.endsWith("/") ? to : to + "/") + normalize("/", from).substring(normalize("/", from)
          .lastIndexOf('/') + 1);
    }
    File src = (File) n;
    File f = openForWrite(cwd, dest, false);
    f.append(src.data);
    f.mode = src.mode;
    f.program = src.program;
  }

  /** Total bytes of the regular files under a directory (emptyDir sizeLimit, medium Memory). */
  public static long usage(Node n) {
    if (n instanceof File f) {
      return f.data.length;
    }
    if (n instanceof Dir d) {
      long sum = 0;
      for (Node c : d.entries.values()) {
        sum += usage(c);
      }
      return sum;
    }
    return 0;
  }
}
