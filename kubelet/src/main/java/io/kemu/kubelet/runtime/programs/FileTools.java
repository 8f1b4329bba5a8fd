package io.kemu.kubelet.runtime.programs;

import io.kemu.kubelet.runtime.fs.FsException;
import io.kemu.kubelet.runtime.fs.Vfs;
import io.kemu.kubelet.runtime.proc.Proc;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** File utilities: cat, touch, rm, mkdir, rmdir, ls, cp, mv, ln, chmod, chown, stat, find, basename, dirname... */
final class FileTools {
  private FileTools() {}

  static Utility create(String name, boolean busybox) {
    return switch (name) {
      case "cat" -> new Cat(busybox);
      case "touch" -> new Touch(busybox);
      case "rm" -> new Rm(busybox);
      case "mkdir" -> new Mkdir(busybox);
      case "rmdir" -> new Rmdir(busybox);
      case "ls" -> new Ls(busybox);
      case "cp" -> new Cp(busybox);
      case "mv" -> new Mv(busybox);
      case "ln" -> new Ln(busybox);
      case "chmod" -> new Chmod(busybox);
      case "chown", "chgrp" -> new Chown(name, busybox);
      case "stat" -> new Stat(busybox);
      case "find" -> new Find(busybox);
      case "basename" -> new Basename(busybox);
      case "dirname" -> new Dirname(busybox);
      case "realpath", "readlink" -> new Realpath(name, busybox);
      case "mktemp" -> new Mktemp(busybox);
      case "du" -> new Du(busybox);
      case "df" -> new Df(busybox);
      case "sync" -> new Noop("sync", busybox);
      default -> null;
    };
  }

  static final class Noop extends Utility {
    Noop(String name, boolean busybox) {
      super(name, busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      return 0;
    }
  }

  static final class Cat extends Utility {
    Cat(boolean busybox) {
      super("cat", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      Map<Character, String> o = new HashMap<>();
      List<String> files = options(args, "", o);
      boolean number = o.containsKey('n');
      if (files.isEmpty()) {
        stream(p);
        return ASYNC;
      }
      int[] errors = {0};
      readInputs(p, files, chunks -> {
        StringBuilder sb = new StringBuilder();
        for (byte[] c : chunks) {
          if (number) {
            int n = 1;
            for (String l : lines(text(c))) {
              sb.append(String.format("%6d\t%s%n", n++, l));
            }
          } else {
            sb.append(text(c));
          }
        }
        if (out(p, sb.toString())) {
          p.exit(errors[0] > 0 ? 1 : 0);
        }
      }, errors);
      return ASYNC;
    }

    /** cat with no file copies stdin as it comes (it may never end: a pipe from a loop). */
    private void stream(Proc p) {
      p.stdin().read(chunk -> {
        if (chunk == null) {
          p.exit(0);
          return;
        }
        if (out(p, chunk)) {
          stream(p);
        }
      });
    }
  }

  static final class Touch extends Utility {
    Touch(boolean busybox) {
      super("touch", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      Map<Character, String> o = new HashMap<>();
      List<String> files = options(args, "dtr", o);
      if (files.isEmpty()) {
        err(p, busybox ? "missing operand" : "missing file operand");
        return 1;
      }
      int st = 0;
      for (String f : files) {
        try {
          if (o.containsKey('c') && !p.machine().fs().exists(p.cwd(), f)) {
            continue;
          }
          p.machine().fs().touch(p.cwd(), f);
        } catch (FsException e) {
          err(p, busybox ? f + ": " + e.reason() : "cannot touch '" + f + "': " + e.reason());
          st = 1;
        }
      }
      return st;
    }
  }

  static final class Rm extends Utility {
    Rm(boolean busybox) {
      super("rm", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      Map<Character, String> o = new HashMap<>();
      List<String> files = options(args, "", o);
      boolean force = o.containsKey('f');
      boolean recursive = o.containsKey('r') || o.containsKey('R');
      if (files.isEmpty() && !force) {
        err(p, "missing operand");
        return 1;
      }
      int st = 0;
      for (String f : files) {
        try {
          Vfs.Node n = p.machine().fs().lstat(p.cwd(), f);
          if (n instanceof Vfs.Dir && !recursive) {
            err(p, busybox ? "'" + f + "' is a directory" : "cannot remove '" + f + "': Is a directory");
            st = 1;
            continue;
          }
          p.machine().fs().remove(p.cwd(), f, recursive);
        } catch (FsException e) {
          if (force && e.errno() == FsException.Errno.ENOENT) {
            continue;
          }
          err(p, (busybox ? "can't remove '" : "cannot remove '") + f + "': " + e.reason());
          st = 1;
        }
      }
      return st;
    }
  }

  static final class Mkdir extends Utility {
    Mkdir(boolean busybox) {
      super("mkdir", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      Map<Character, String> o = new HashMap<>();
      List<String> dirs = options(args, "m", o);
      int mode = o.containsKey('m') ? parseMode(o.get('m'), 0755) : 0755;
      if (dirs.isEmpty()) {
        err(p, "missing operand");
        return 1;
      }
      int st = 0;
      for (String d : dirs) {
        try {
          p.machine().fs().mkdir(p.cwd(), d, o.containsKey('p'), mode);
        } catch (FsException e) {
          err(p, (busybox ? "can't create directory '" : "cannot create directory '") + d + "': " + e.reason());
          st = 1;
        }
      }
      return st;
    }
  }

  static final class Rmdir extends Utility {
    Rmdir(boolean busybox) {
      super("rmdir", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      int st = 0;
      for (String d : args) {
        try {
          if (!(p.machine().fs().stat(p.cwd(), d) instanceof Vfs.Dir)) {
            throw new FsException(FsException.Errno.ENOTDIR, d);
          }
          p.machine().fs().remove(p.cwd(), d, false);
        } catch (FsException e) {
          err(p, (busybox ? "'" + d + "': " : "failed to remove '" + d + "': ") + e.reason());
          st = 1;
        }
      }
      return st;
    }
  }

  static String modeString(Vfs.Node n) {
    char type = n instanceof Vfs.Dir ? 'd' : n instanceof Vfs.Link ? 'l'
        : n instanceof Vfs.File f && f.device != null ? 'c' : '-';
    StringBuilder sb = new StringBuilder().append(type);
    String rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++) {
      sb.append((n.mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
    }
    return sb.toString();
  }

  static long size(Vfs.Node n) {
    if (n instanceof Vfs.File f) {
      return f.data.length;
    }
    if (n instanceof Vfs.Link l) {
      return l.target.length();
    }
    return 4096;
  }

  static final class Ls extends Utility {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MMM d HH:mm", Locale.ROOT)
        .withZone(ZoneOffset.UTC);

    Ls(boolean busybox) {
      super("ls", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      Map<Character, String> o = new HashMap<>();
      List<String> paths = options(args, "", o);
      if (paths.isEmpty()) {
        paths = List.of(".");
      }
      boolean longForm = o.containsKey('l');
      boolean all = o.containsKey('a') || o.containsKey('A');
      boolean dirSelf = o.containsKey('d');
      int st = 0;
      StringBuilder sb = new StringBuilder();
      List<String> files = new ArrayList<>();
      List<String> dirs = new ArrayList<>();
      Vfs fs = p.machine().fs();
      for (String path : paths) {
        Vfs.Node n;
        try {
          n = fs.stat(p.cwd(), path);
        } catch (FsException e) {
          err(p, busybox ? path + ": " + e.reason() : "cannot access '" + path + "': " + e.reason());
          st = 2;
          continue;
        }
        if (n instanceof Vfs.Dir && !dirSelf) {
          dirs.add(path);
        } else {
          files.add(path);
        }
      }
      for (String f : files) {
        sb.append(entry(p, f, f, longForm)).append('\n');
      }
      for (String d : dirs) {
        if (paths.size() > 1) {
          sb.append(sb.length() > 0 ? "\n" : "").append(d).append(":\n");
        }
        try {
          List<String> names = new ArrayList<>(fs.list(p.cwd(), d));
          if (o.containsKey('a')) {
            names.add(0, "..");
            names.add(0, ".");
          }
          if (longForm) {
            sb.append("total ").append(names.size() * 4).append('\n');
          }
          for (String nm : names) {
            if (!all && nm.startsWith(".")) {
              continue;
            }
            sb.append(entry(p, (d.endsWith("/") ? d : d + "/") + nm, nm, longForm)).append('\n');
          }
        } catch (FsException e) {
          err(p, e.getMessage());
          st = 2;
        }
      }
      out(p, sb.toString());
      return st;
    }

    private String entry(Proc p, String path, String shown, boolean longForm) {
      if (!longForm) {
        return shown;
      }
      Vfs.Node n;
      try {
        n = p.machine().fs().lstat(p.cwd(), path);
      } catch (FsException e) {
        return shown;
      }
      String link = n instanceof Vfs.Link l ? " -> " + l.target : "";
      String time = TIME.format(n.mtime);
      if (busybox) {
        return String.format("%s %4d %-8s %-8s %12d %s %s%s", modeString(n), n instanceof Vfs.Dir ? 2 : 1, "root",
            "root", size(n), time, shown, link);
      }
      return String.format("%s %d %s %s %d %s %s%s", modeString(n), n instanceof Vfs.Dir ? 2 : 1, "root", "root",
          size(n), time, shown, link);
    }
  }

  static final class Cp extends Utility {
    Cp(boolean busybox) {
      super("cp", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      Map<Character, String> o = new HashMap<>();
      List<String> ops = options(args, "", o);
      if (ops.size() < 2) {
        err(p, "missing file operand");
        return 1;
      }
      boolean recursive = o.containsKey('r') || o.containsKey('R') || o.containsKey('a');
      String dest = ops.get(ops.size() - 1);
      int st = 0;
      Vfs fs = p.machine().fs();
      for (String src : ops.subList(0, ops.size() - 1)) {
        try {
          Vfs.Node n = fs.stat(p.cwd(), src);
          if (n instanceof Vfs.Dir) {
            if (!recursive) {
              err(p, busybox ? "omitting directory '" + src + "'" : "-r not specified; omitting directory '" + src
                  + "'");
              st = 1;
              continue;
            }
            String target = fs.isDir(p.cwd(), dest) ? dest + "/" + baseName(src) : dest;
            copyTree(fs, p.cwd(), src, target);
          } else {
            fs.copyFile(p.cwd(), src, dest);
          }
        } catch (FsException e) {
          err(p, busybox ? "can't stat '" + src + "': " + e.reason() : "cannot stat '" + src + "': " + e.reason());
          st = 1;
        }
      }
      return st;
    }

    private static void copyTree(Vfs fs, String cwd, String src, String dst) throws FsException {
      fs.mkdir(cwd, dst, true, 0755);
      for (String n : fs.list(cwd, src)) {
        Vfs.Node c = fs.stat(cwd, src + "/" + n);
        if (c instanceof Vfs.Dir) {
          copyTree(fs, cwd, src + "/" + n, dst + "/" + n);
        } else {
          fs.copyFile(cwd, src + "/" + n, dst + "/" + n);
        }
      }
    }
  }

  static String baseName(String path) {
    String p = path;
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    int slash = p.lastIndexOf('/');
    return slash >= 0 && p.length() > 1 ? p.substring(slash + 1) : p;
  }

  static final class Mv extends Utility {
    Mv(boolean busybox) {
      super("mv", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      Map<Character, String> o = new HashMap<>();
      List<String> ops = options(args, "", o);
      if (ops.size() < 2) {
        err(p, "missing file operand");
        return 1;
      }
      String dest = ops.get(ops.size() - 1);
      int st = 0;
      for (String src : ops.subList(0, ops.size() - 1)) {
        try {
          p.machine().fs().rename(p.cwd(), src, dest);
        } catch (FsException e) {
          err(p, (busybox ? "can't rename '" : "cannot move '") + src + "': " + e.reason());
          st = 1;
        }
      }
      return st;
    }
  }

  static final class Ln extends Utility {
    Ln(boolean busybox) {
      super("ln", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      Map<Character, String> o = new HashMap<>();
      List<String> ops = options(args, "", o);
      if (ops.size() < 2) {
        err(p, "missing file operand");
        return 1;
      }
      String target = ops.get(0);
      String link = ops.get(1);
      Vfs fs = p.machine().fs();
      try {
        if (fs.isDir(p.cwd(), link)) {
          link = link + "/" + baseName(target);
        }
        if (o.containsKey('f') && fs.find(p.cwd(), link) != null) {
          fs.remove(p.cwd(), link, false);
        }
        if (o.containsKey('s')) {
          fs.symlink(p.cwd(), target, link);
        } else {
          fs.copyFile(p.cwd(), target, link);
        }
      } catch (FsException e) {
        err(p, link + ": " + e.reason());
        return 1;
      }
      return 0;
    }
  }

  /** Octal or symbolic ([ugoa]*[+-=][rwxXst]*, comma-separated) modes. */
  static int parseMode(String spec, int current) {
    if (spec.matches("[0-7]{1,4}")) {
      return Integer.parseInt(spec, 8);
    }
    int mode = current;
    for (String clause : spec.split(",")) {
      int i = 0;
      int who = 0;
      while (i < clause.length() && "ugoa".indexOf(clause.charAt(i)) >= 0) {
        switch (clause.charAt(i)) {
          case 'u' -> who |= 04700;
          case 'g' -> who |= 02070;
          case 'o' -> who |= 01007;
          default -> who |= 07777;
        }
        i++;
      }
      if (who == 0) {
        who = 07777 & ~022;
      }
      while (i < clause.length()) {
        char op = clause.charAt(i++);
        int bits = 0;
        while (i < clause.length() && "rwxXst".indexOf(clause.charAt(i)) >= 0) {
          switch (clause.charAt(i)) {
            case 'r' -> bits |= 0444;
            case 'w' -> bits |= 0222;
            case 'x', 'X' -> bits |= 0111;
            case 's' -> bits |= 06000;
            default -> bits |= 01000;
          }
          i++;
        }
        bits &= who;
        switch (op) {
          case '+' -> mode |= bits;
          case '-' -> mode &= ~bits;
          case '=' -> mode = (mode & ~(who & 0777)) | bits;
          default -> throw new IllegalArgumentException(spec);
        }
      }
    }
    return mode;
  }

  static final class Chmod extends Utility {
    Chmod(boolean busybox) {
      super("chmod", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      boolean recursive = false;
      List<String> ops = new ArrayList<>();
      for (String a : args) {
        if (a.equals("-R")) {
          recursive = true;
        } else if (a.equals("-v") || a.equals("-f") || a.equals("-c")) {
          continue;
        } else {
          ops.add(a);
        }
      }
      if (ops.size() < 2) {
        err(p, "missing operand");
        return 1;
      }
      String spec = ops.get(0);
      int st = 0;
      for (String f : ops.subList(1, ops.size())) {
        try {
          apply(p, f, spec, recursive);
        } catch (FsException e) {
          err(p, busybox ? f + ": " + e.reason() : "cannot access '" + f + "': " + e.reason());
          st = 1;
        } catch (IllegalArgumentException e) {
          err(p, "invalid mode: '" + spec + "'");
          return 1;
        }
      }
      return st;
    }

    private void apply(Proc p, String f, String spec, boolean recursive) throws FsException {
      Vfs fs = p.machine().fs();
      Vfs.Node n = fs.stat(p.cwd(), f);
      fs.chmod(p.cwd(), f, parseMode(spec, n.mode));
      if (recursive && n instanceof Vfs.Dir) {
        for (String c : fs.list(p.cwd(), f)) {
          apply(p, f + "/" + c, spec, true);
        }
      }
    }
  }

  static final class Chown extends Utility {
    Chown(String name, boolean busybox) {
      super(name, busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      List<String> ops = new ArrayList<>();
      for (String a : args) {
        if (!a.startsWith("-")) {
          ops.add(a);
        }
      }
      int st = 0;
      for (String f : ops.subList(Math.min(1, ops.size()), ops.size())) {
        if (!p.machine().fs().exists(p.cwd(), f)) {
          err(p, (busybox ? f + ": " : "cannot access '" + f + "': ") + "No such file or directory");
          st = 1;
        }
      }
      return st;
    }
  }

  static final class Stat extends Utility {
    Stat(boolean busybox) {
      super("stat", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      Map<Character, String> o = new HashMap<>();
      List<String> files = options(args, "c", o);
      int st = 0;
      StringBuilder sb = new StringBuilder();
      for (String f : files) {
        try {
          Vfs.Node n = p.machine().fs().stat(p.cwd(), f);
          if (o.containsKey('c')) {
            String fmt = o.get('c');
            sb.append(fmt.replace("%a", Integer.toOctalString(n.mode & 07777)).replace("%A", modeString(n))
                .replace("%s", Long.toString(size(n))).replace("%n", f).replace("%U", "root").replace("%G", "root")
                .replace("%u", "0").replace("%g", "0").replace("%F", n instanceof Vfs.Dir ? "directory"
                    : "regular file").replace("%Y", Long.toString(n.mtime.getEpochSecond()))).append('\n');
          } else {
            sb.append("  File: ").append(f).append('\n').append("  Size: ").append(size(n)).append("\t\t")
                .append(n instanceof Vfs.Dir ? "directory" : "regular file").append('\n')
                .append("Access: (").append(String.format("%04o", n.mode & 07777)).append('/')
                .append(modeString(n)).append(")  Uid: (    0/    root)   Gid: (    0/    root)\n")
                .append("Modify: ").append(n.mtime).append('\n');
          }
        } catch (FsException e) {
          err(p, busybox ? "can't stat '" + f + "': " + e.reason() : "cannot stat '" + f + "': " + e.reason());
          st = 1;
        }
      }
      out(p, sb.toString());
      return st;
    }
  }

  static final class Find extends Utility {
    Find(boolean busybox) {
      super("find", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      List<String> roots = new ArrayList<>();
      int i = 0;
      while (i < args.size() && !args.get(i).startsWith("-")) {
        roots.add(args.get(i++));
      }
      if (roots.isEmpty()) {
        roots.add(".");
      }
      String namePattern = null;
      String type = null;
      int maxDepth = Integer.MAX_VALUE;
      for (; i < args.size(); i++) {
        switch (args.get(i)) {
          case "-name", "-iname" -> namePattern = i + 1 < args.size() ? args.get(++i) : null;
          case "-type" -> type = i + 1 < args.size() ? args.get(++i) : null;
          case "-maxdepth" -> maxDepth = (int) parseLong(i + 1 < args.size() ? args.get(++i) : "0", 0);
          default -> { }
        }
      }
      StringBuilder sb = new StringBuilder();
      int st = 0;
      for (String r : roots) {
        Vfs.Node n = p.machine().fs().find(p.cwd(), r);
        if (n == null) {
          err(p, (busybox ? r : "'" + r + "'") + ": No such file or directory");
          st = 1;
          continue;
        }
        walk(p, r, n, 0, maxDepth, namePattern, type, sb);
      }
      out(p, sb.toString());
      return st;
    }

    private void walk(Proc p, String path, Vfs.Node n, int depth, int max, String pattern, String type,
                      StringBuilder sb) {
      boolean typeOk = type == null || type.equals("d") && n instanceof Vfs.Dir || type.equals("f")
          && n instanceof Vfs.File || type.equals("l") && n instanceof Vfs.Link;
      boolean nameOk = pattern == null || io.kemu.kubelet.shell.Glob.matches(pattern, baseName(path));
      if (typeOk && nameOk) {
        sb.append(path).append('\n');
      }
      if (n instanceof Vfs.Dir && depth < max) {
        try {
          for (String c : p.machine().fs().list(p.cwd(), path)) {
            String cp = path.endsWith("/") ? path + c : path + "/" + c;
            Vfs.Node cn = p.machine().fs().find(p.cwd(), cp);
            if (cn != null) {
              walk(p, cp, cn, depth + 1, max, pattern, type, sb);
            }
          }
        } catch (FsException e) {
          // unreadable: skipped
        }
      }
    }
  }

  static final class Basename extends Utility {
    Basename(boolean busybox) {
      super("basename", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      if (args.isEmpty()) {
        err(p, "missing operand");
        return 1;
      }
      String b = baseName(args.get(0));
      if (args.size() > 1 && b.endsWith(args.get(1)) && !b.equals(args.get(1))) {
        b = b.substring(0, b.length() - args.get(1).length());
      }
      out(p, b + "\n");
      return 0;
    }
  }

  static final class Dirname extends Utility {
    Dirname(boolean busybox) {
      super("dirname", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      if (args.isEmpty()) {
        err(p, "missing operand");
        return 1;
      }
      String s = args.get(0);
      while (s.length() > 1 && s.endsWith("/")) {
        s = s.substring(0, s.length() - 1);
      }
      int slash = s.lastIndexOf('/');
      out(p, (slash < 0 ? "." : slash == 0 ? "/" : s.substring(0, slash)) + "\n");
      return 0;
    }
  }

  static final class Realpath extends Utility {
    Realpath(String name, boolean busybox) {
      super(name, busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      List<String> ops = new ArrayList<>();
      boolean canonical = name.equals("realpath");
      for (String a : args) {
        if (a.equals("-f") || a.equals("-e") || a.equals("-m")) {
          canonical = true;
        } else if (!a.startsWith("-")) {
          ops.add(a);
        }
      }
      int st = 0;
      for (String f : ops) {
        try {
          if (canonical) {
            out(p, p.machine().fs().canonical(p.cwd(), f) + "\n");
          } else {
            Vfs.Node n = p.machine().fs().lstat(p.cwd(), f);
            if (n instanceof Vfs.Link l) {
              out(p, l.target + "\n");
            } else {
              st = 1;
            }
          }
        } catch (FsException e) {
          st = 1;
        }
      }
      return st;
    }
  }

  static final class Mktemp extends Utility {
    Mktemp(boolean busybox) {
      super("mktemp", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      boolean dir = args.contains("-d");
      String template = "/tmp/tmp.XXXXXXXXXX";
      for (String a : args) {
        if (!a.startsWith("-")) {
          template = a.contains("/") ? a : "/tmp/" + a;
        }
      }
      StringBuilder sb = new StringBuilder(template);
      String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
      for (int i = 0; i < sb.length(); i++) {
        if (sb.charAt(i) == 'X') {
          sb.setCharAt(i, chars.charAt(ThreadLocalRandom.current().nextInt(chars.length())));
        }
      }
      try {
        if (dir) {
          p.machine().fs().mkdir(p.cwd(), sb.toString(), true, 0700);
        } else {
          p.machine().fs().touch(p.cwd(), sb.toString());
        }
      } catch (FsException e) {
        err(p, "failed to create file via template '" + template + "': " + e.reason());
        return 1;
      }
      out(p, sb + "\n");
      return 0;
    }
  }

  static final class Du extends Utility {
    Du(boolean busybox) {
      super("du", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      List<String> ops = new ArrayList<>();
      for (String a : args) {
        if (!a.startsWith("-")) {
          ops.add(a);
        }
      }
      if (ops.isEmpty()) {
        ops.add(".");
      }
      StringBuilder sb = new StringBuilder();
      for (String f : ops) {
        Vfs.Node n = p.machine().fs().find(p.cwd(), f);
        long kb = n == null ? 0 : Math.max(4, (Vfs.usage(n) + 1023) / 1024);
        sb.append(kb).append('\t').append(f).append('\n');
      }
      out(p, sb.toString());
      return 0;
    }
  }

  static final class Df extends Utility {
    Df(boolean busybox) {
      super("df", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      out(p, "Filesystem           1K-blocks      Used Available Use% Mounted on\n"
          + "overlay              102687672   8839456  88588952   9% /\n"
          + "tmpfs                    65536         0     65536   0% /dev\n");
      return 0;
    }
  }
}
