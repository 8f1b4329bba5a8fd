package io.kemu.kubelet.runtime;

import io.kemu.kubelet.runtime.fs.Vfs;
import io.kemu.kubelet.runtime.programs.Programs;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the emulated images contain: a root filesystem with their executables (each file tagged with the program
 * it runs), their ENTRYPOINT, CMD and ENV, as their Dockerfiles define them. An image this catalog does not know
 * gets busybox's tools and an idle default command.
 */
public final class ImageCatalog {
  private ImageCatalog() {}

  /** The image config (docker's ENTRYPOINT, CMD, ENV, WORKDIR) and its root filesystem template. */
  public record Image(String kind, List<String> entrypoint, List<String> cmd, Map<String, String> env,
                      String workingDir, Vfs.Dir root) {
    /** A private copy of the root filesystem for a new container. */
    public Vfs.Dir rootCopy() {
      return root.copy();
    }
  }

  public static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  private static final Instant BUILT = Instant.parse("2025-01-01T00:00:00Z");
  private static final Map<String, Image> CACHE = new ConcurrentHashMap<>();

  /** The kind of image a normalized reference names: the last path component of its repository. */
  public static String kind(String normalized) {
    String repo = Images.repository(normalized);
    String last = repo.substring(repo.lastIndexOf('/') + 1);
    return switch (last) {
      case "busybox", "alpine", "debian", "ubuntu", "centos", "nginx", "redis", "tomcat", "agnhost", "pause",
           "goproxy", "php" -> last;
      default -> "other";
    };
  }

  public static Image image(String normalized) {
    return CACHE.computeIfAbsent(kind(normalized), ImageCatalog::build);
  }

  private static Image build(String kind) {
    Vfs.Dir root = base();
    Map<String, String> env = Map.of("PATH", PATH);
    switch (kind) {
      case "busybox" -> {
        busybox(root);
        return new Image(kind, List.of(), List.of("sh"), env, "/", root);
      }
      case "alpine" -> {
        busybox(root);
        return new Image(kind, List.of(), List.of("/bin/sh"), env, "/", root);
      }
      case "debian", "ubuntu" -> {
        debian(root, "dash");
        return new Image(kind, List.of(), List.of("bash"), env, "/", root);
      }
      case "centos" -> {
        debian(root, "bash");
        exe(root, "/usr/bin/curl", "curl");
        return new Image(kind, List.of(), List.of("/bin/bash"), env, "/", root);
      }
      case "nginx" -> {
        debian(root, "dash");
        exe(root, "/usr/sbin/nginx", "nginx");
        exe(root, "/usr/bin/curl", "curl");
        file(root, "/usr/share/nginx/html/index.html", NGINX_INDEX);
        file(root, "/usr/share/nginx/html/50x.html", "<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n"
            + "</head>\n<body>\n<h1>An error occurred.</h1>\n</body>\n</html>\n");
        file(root, "/etc/nginx/nginx.conf", "user  nginx;\nworker_processes  auto;\n");
        return new Image(kind, List.of(), List.of("nginx", "-g", "daemon off;"), env, "/", root);
      }
      case "redis" -> {
        debian(root, "dash");
        exe(root, "/usr/local/bin/redis-server", "redis-server");
        exe(root, "/usr/local/bin/redis-cli", "redis-cli");
        dir(root, "/data");
        return new Image(kind, List.of(), List.of("redis-server"), env, "/data", root);
      }
      case "tomcat" -> {
        debian(root, "dash");
        exe(root, "/usr/bin/curl", "curl");
        exe(root, "/usr/local/tomcat/bin/catalina.sh", "catalina");
        dir(root, "/usr/local/tomcat/webapps");
        dir(root, "/usr/local/tomcat/webapps.dist/ROOT");
        return new Image(kind, List.of(), List.of("catalina.sh", "run"),
            Map.of("PATH", "/usr/local/tomcat/bin:" + PATH, "CATALINA_HOME", "/usr/local/tomcat"),
            "/usr/local/tomcat", root);
      }
      case "php" -> {
        debian(root, "dash");
        exe(root, "/usr/local/sbin/php-fpm", "php-fpm");
        return new Image(kind, List.of(), List.of("php-fpm"), env, "/var/www/html", root);
      }
      case "agnhost" -> {
        busybox(root);
        exe(root, "/agnhost", "agnhost");
        return new Image(kind, List.of("/agnhost"), List.of("pause"), env, "/", root);
      }
      case "pause" -> {
        exe(root, "/pause", "pause");
        return new Image(kind, List.of("/pause"), List.of(), env, "/", root);
      }
      case "goproxy" -> {
        exe(root, "/goproxy", "goproxy");
        return new Image(kind, List.of(), List.of("/goproxy"), env, "/", root);
      }
      default -> {
        busybox(root);
        exe(root, "/usr/local/bin/app", "idle");
        return new Image(kind, List.of(), List.of("/usr/local/bin/app"), env, "/", root);
      }
    }
  }

  private static Vfs.Dir base() {
    Vfs.Dir root = new Vfs.Dir(0755, BUILT);
    for (String d : List.of("/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin", "/etc",
        "/root", "/home", "/var/log", "/var/run", "/run", "/proc", "/sys", "/mnt", "/opt", "/srv")) {
      dir(root, d);
    }
    Vfs.Dir tmp = dir(root, "/tmp");
    tmp.mode = 01777;
    Vfs.Dir dev = dir(root, "/dev");
    for (String d : List.of("null", "zero", "random", "urandom")) {
      Vfs.File f = new Vfs.File(0666, BUILT, new byte[0]);
      f.device = d;
      dev.entries.put(d, f);
    }
    file(root, "/etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
    file(root, "/etc/group", "root:x:0:\nnogroup:x:65534:\n");
    file(root, "/etc/os-release", "NAME=\"kemu emulated image\"\n");
    return root;
  }

  private static void busybox(Vfs.Dir root) {
    for (String a : Programs.BUSYBOX_APPLETS) {
      exe(root, "/bin/" + a, "busybox:" + a);
    }
    exe(root, "/bin/busybox", "busybox:sh");
  }

  private static void debian(Vfs.Dir root, String sh) {
    for (String a : Programs.COREUTILS) {
      exe(root, "/usr/bin/" + a, "coreutils:" + a);
      exe(root, "/bin/" + a, "coreutils:" + a);
    }
    exe(root, "/bin/sh", sh);
    exe(root, "/bin/dash", "dash");
    exe(root, "/bin/bash", "bash");
    exe(root, "/usr/bin/bash", "bash");
  }

  static Vfs.Dir dir(Vfs.Dir root, String path) {
    Vfs.Dir cur = root;
    for (String c : path.split("/")) {
      if (c.isEmpty()) {
        continue;
      }
      Vfs.Node n = cur.entries.get(c);
      if (!(n instanceof Vfs.Dir)) {
        n = new Vfs.Dir(0755, BUILT);
        cur.entries.put(c, n);
      }
      cur = (Vfs.Dir) n;
    }
    return cur;
  }

  static void file(Vfs.Dir root, String path, String content) {
    int slash = path.lastIndexOf('/');
    dir(root, path.substring(0, slash)).entries.put(path.substring(slash + 1),
        new Vfs.File(0644, BUILT, content.getBytes(StandardCharsets.UTF_8)));
  }

  static void exe(Vfs.Dir root, String path, String program) {
    int slash = path.lastIndexOf('/');
    Vfs.File f = new Vfs.File(0755, BUILT, new byte[0]);
    f.program = program;
    dir(root, path.substring(0, slash)).entries.put(path.substring(slash + 1), f);
  }

  static final String NGINX_INDEX = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\n"
      + "html { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\n"
      + "font-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n"
      + "<p>If you see this page, the nginx web server is successfully installed and\n"
      + "working. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n"
      + "<a href=\"http://nginx.org/\">nginx.org</a>.<br/>\nCommercial support is available at\n"
      + "<a href=\"http://nginx.com/\">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n"
      + "</html>\n";
}
