package io.kemu.kubelet.runtime.programs;

import io.kemu.kubelet.runtime.fs.FsException;
import io.kemu.kubelet.runtime.fs.Vfs;
import io.kemu.kubelet.runtime.net.Listener;
import io.kemu.kubelet.runtime.net.NetReply;
import io.kemu.kubelet.runtime.net.NetRequest;
import io.kemu.kubelet.runtime.proc.Proc;
import io.kemu.kubelet.runtime.proc.Program;
import io.kemu.kubelet.runtime.proc.Signals;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/** The servers of the emulated images: nginx, redis, tomcat, agnhost, goproxy, pause, and the idle default. */
final class Servers {
  private Servers() {}

  static Program create(String tag) {
    return switch (tag) {
      case "nginx" -> new Nginx();
      case "redis-server" -> new Redis();
      case "redis-cli" -> new RedisCli();
      case "catalina" -> new Tomcat();
      case "agnhost" -> new Agnhost();
      case "goproxy" -> new Idle("goproxy", 8080);
      case "pause" -> new Pause();
      case "idle" -> new Idle("idle", 0);
      default -> null;
    };
  }

  private static final DateTimeFormatter NGINX_LOG = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z",
      Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter NGINX_ERR = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss",
      Locale.ROOT).withZone(ZoneOffset.UTC);

  /** Listens on a port for the life of the process; false (with the bind error printed) if it is taken. */
  static boolean listen(Proc p, int port, Listener l) {
    Runnable close = p.machine().net().listen(port, l);
    if (close == null) {
      return false;
    }
    p.onRelease(close);
    return true;
  }

  /** A static file server over a document root: index.html for directories, 404 and 403 as nginx does. */
  static NetReply serveFile(Proc p, String root, NetRequest r, String server) {
    if (!r.isHttp()) {
      return NetReply.RESET;
    }
    String path = r.path() == null ? "/" : r.path();
    int q = path.indexOf('?');
    if (q >= 0) {
      path = path.substring(0, q);
    }
    Vfs fs = p.machine().fs();
    try {
      Vfs.Node n = fs.stat("/", root + path);
      if (n instanceof Vfs.Dir) {
        String index = (root + path + "/index.html").replace("//", "/");
        if (!fs.isFile("/", index)) {
          return page(403, "403 Forbidden", server);
        }
        n = fs.stat("/", index);
      }
      Vfs.File f = (Vfs.File) n;
      if ((f.mode & 0444) == 0) {
        return page(403, "403 Forbidden", server);
      }
      byte[] body = f.data;
      return NetReply.http(200, List.of("Server: " + server, "Content-Type: " + contentType(path),
          "Content-Length: " + body.length), "HEAD".equals(r.method()) ? new byte[0] : body);
    } catch (FsException e) {
      return page(404, "404 Not Found", server);
    }
  }

  static NetReply page(int status, String title, String server) {
    String body = "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title
        + "</h1></center>\r\n<hr><center>" + server + "</center>\r\n</body>\r\n</html>\r\n";
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return NetReply.http(status, List.of("Server: " + server, "Content-Type: text/html",
        "Content-Length: " + b.length), b);
  }

  static String contentType(String path) {
    if (path.endsWith(".html") || path.endsWith("/") || path.endsWith(".htm")) {
      return "text/html";
    }
    if (path.endsWith(".css")) {
      return "text/css";
    }
    if (path.endsWith(".js")) {
      return "application/javascript";
    }
    if (path.endsWith(".json")) {
      return "application/json";
    }
    return "text/plain";
  }

  /**
   * nginx: {@code nginx -g 'daemon off;'} serves /usr/share/nginx/html on 80 and logs requests to stdout;
   * TERM is a fast shutdown, QUIT a graceful one; {@code nginx -s quit|stop} signals the running master.
   */
  static final class Nginx implements Program {
    @Override
    public void main(Proc p) {
      List<String> args = p.args();
      int s = args.indexOf("-s");
      if (s >= 0) {
        String what = s + 1 < args.size() ? args.get(s + 1) : "";
        int sig = switch (what) {
          case "quit" -> Signals.QUIT;
          case "stop" -> Signals.TERM;
          case "reload" -> Signals.HUP;
          default -> -1;
        };
        List<Proc> masters = p.machine().byName("nginx").stream().filter(x -> x != p && x.program() instanceof Nginx
            && !x.args().contains("-s")).toList();
        if (sig < 0) {
          p.eprintln("nginx: invalid option: \"-s " + what + "\"");
          p.exit(1);
          return;
        }
        if (masters.isEmpty()) {
          p.eprintln(NGINX_ERR.format(p.kernel().now()) + " [error] " + p.pid()
              + "#" + p.pid() + ": open() \"/run/nginx.pid\" failed (2: No such file or directory)");
          p.exit(1);
          return;
        }
        p.eprintln(NGINX_ERR.format(p.kernel().now()) + " [notice] " + p.pid() + "#" + p.pid()
            + ": signal process started");
        masters.forEach(m -> m.signal(sig));
        p.exit(0);
        return;
      }
      if (args.contains("-t")) {
        p.eprintln("nginx: the configuration file /etc/nginx/nginx.conf syntax is ok");
        p.eprintln("nginx: configuration file /etc/nginx/nginx.conf test is successful");
        p.exit(0);
        return;
      }
      if (args.contains("-v")) {
        p.eprintln("nginx version: nginx/1.29.3");
        p.exit(0);
        return;
      }
      String t = NGINX_ERR.format(p.kernel().now());
      boolean ok = listen(p, 80, (req, from, reply) -> {
        NetReply r = serveFile(p, "/usr/share/nginx/html", req, "nginx/1.29.3");
        if (req.isHttp()) {
          String ua = req.header("User-Agent");
          p.println(from + " - - [" + NGINX_LOG.format(p.kernel().now()) + "] \"" + req.method() + " " + req.path()
              + " HTTP/1.1\" " + r.status() + " " + (r.body() == null ? 0 : r.body().length) + " \"-\" \""
              + (ua == null ? "-" : ua) + "\" \"-\"");
        }
        reply.accept(r);
      });
      if (!ok) {
        p.eprintln(t + " [emerg] 1#1: bind() to 0.0.0.0:80 failed (98: Address already in use)");
        p.eprintln("nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)");
        p.exit(1);
        return;
      }
      p.println("/docker-entrypoint.sh: Configuration complete; ready for start up");
      p.eprintln(t + " [notice] 1#1: using the \"epoll\" event method");
      p.eprintln(t + " [notice] 1#1: nginx/1.29.3");
      p.eprintln(t + " [notice] 1#1: start worker processes");
      p.eprintln(t + " [notice] 1#1: start worker process 29");
    }

    @Override
    public void signal(Proc p, int sig) {
      String t = NGINX_ERR.format(p.kernel().now());
      switch (sig) {
        case Signals.QUIT -> {
          p.eprintln(t + " [notice] 1#1: signal 3 (SIGQUIT) received, shutting down");
          p.eprintln(t + " [notice] 1#1: exit");
          p.exit(0);
        }
        case Signals.TERM, Signals.INT -> {
          p.eprintln(t + " [notice] 1#1: signal " + sig + " (SIG" + Signals.name(sig) + ") received, exiting");
          p.eprintln(t + " [notice] 1#1: exit");
          p.exit(0);
        }
        case Signals.HUP -> p.eprintln(t + " [notice] 1#1: signal 1 (SIGHUP) received, reconfiguring");
        default -> p.defaultAction(sig);
      }
    }
  }

  private static final DateTimeFormatter REDIS_LOG = DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS",
      Locale.ROOT).withZone(ZoneOffset.UTC);

  /** redis-server on 6379 with PING, ECHO, SET, GET, DEL, INCR, DBSIZE; TERM saves and exits 0. */
  static final class Redis implements Program {
    private final java.util.Map<String, String> data = new java.util.HashMap<>();

    @Override
    public void main(Proc p) {
      String t = REDIS_LOG.format(p.kernel().now());
      int port = 6379;
      int i = p.args().indexOf("--port");
      if (i >= 0 && i + 1 < p.args().size()) {
        port = (int) Utility.parseLong(p.args().get(i + 1), 6379);
      }
      boolean ok = listen(p, port, (req, from, reply) -> reply.accept(req.isLine() ? NetReply.line(command(req.line()))
          : req.isConnect() ? NetReply.ACCEPTED : NetReply.RESET));
      if (!ok) {
        p.println("1:M " + t + " # Warning: Could not create server TCP listening socket *:" + port
            + ": bind: Address already in use");
        p.exit(1);
        return;
      }
      p.println("1:C " + t + " * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo");
      p.println("1:C " + t + " * Redis version=7.4.1, bits=64, commit=00000000, modified=0, pid=1, just started");
      p.println("1:M " + t + " * Running mode=standalone, port=" + port + ".");
      p.println("1:M " + t + " * Server initialized");
      p.println("1:M " + t + " * Ready to accept connections tcp");
    }

    String command(String line) {
      String[] w = line.trim().split("\\s+");
      String c = w[0].toUpperCase(Locale.ROOT);
      return switch (c) {
        case "PING" -> w.length > 1 ? w[1] : "PONG";
        case "ECHO" -> w.length > 1 ? w[1] : "(error) ERR wrong number of arguments for 'echo' command";
        case "SET" -> {
          if (w.length < 3) {
            yield "(error) ERR wrong number of arguments for 'set' command";
          }
          data.put(w[1], w[2]);
          yield "OK";
        }
        case "GET" -> w.length < 2 ? "(error) ERR wrong number of arguments for 'get' command"
            : data.containsKey(w[1]) ? "\"" + data.get(w[1]) + "\"" : "(nil)";
        case "DEL" -> {
          int n = 0;
          for (int i = 1; i < w.length; i++) {
            n += data.remove(w[i]) != null ? 1 : 0;
          }
          yield "(integer) " + n;
        }
        case "INCR" -> {
          if (w.length < 2) {
            yield "(error) ERR wrong number of arguments for 'incr' command";
          }
          try {
            long v = Long.parseLong(data.getOrDefault(w[1], "0")) + 1;
            data.put(w[1], Long.toString(v));
            yield "(integer) " + v;
          } catch (NumberFormatException e) {
            yield "(error) ERR value is not an integer or out of range";
          }
        }
        case "DBSIZE" -> "(integer) " + data.size();
        default -> "(error) ERR unknown command '" + w[0] + "', with args beginning with: ";
      };
    }

    @Override
    public void signal(Proc p, int sig) {
      if (sig == Signals.TERM || sig == Signals.INT) {
        String t = REDIS_LOG.format(p.kernel().now());
        p.println("1:signal-handler (" + t.substring(0, 20) + ") Received SIG" + Signals.name(sig)
            + " scheduling shutdown...");
        p.println("1:M " + t + " * User requested shutdown...");
        p.println("1:M " + t + " # Redis is now ready to exit, bye bye...");
        p.exit(0);
      } else {
        p.defaultAction(sig);
      }
    }
  }

  /** redis-cli [-h host] [-p port] command...: prints the reply; "Could not connect" when nothing listens. */
  static final class RedisCli implements Program {
    @Override
    public void main(Proc p) {
      String host = "127.0.0.1";
      int port = 6379;
      List<String> a = p.args();
      StringBuilder cmd = new StringBuilder();
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i).equals("-h") && i + 1 < a.size()) {
          host = a.get(++i);
        } else if (a.get(i).equals("-p") && i + 1 < a.size()) {
          port = (int) Utility.parseLong(a.get(++i), 6379);
        } else {
          cmd.append(cmd.length() == 0 ? "" : " ").append(a.get(i));
        }
      }
      String c = cmd.length() == 0 ? "PING" : cmd.toString();
      String h = host;
      int pt = port;
      NetTools.fetch(p, new NetTools.Url("redis", host, port, ""), NetRequest.line(c), Duration.ofSeconds(10), x -> {
        p.eprintln("Could not connect to Redis at " + h + ":" + pt + ": Name or service not known");
        p.exit(1);
      }, (ip, r) -> {
        if (r.is("line")) {
          p.println(r.line());
          p.exit(0);
        } else {
          p.eprintln("Could not connect to Redis at " + h + ":" + pt + ": Connection refused");
          p.exit(1);
        }
      });
    }
  }

  /** catalina.sh run: serves /usr/local/tomcat/webapps/ROOT on 8080 (404 without it); TERM stops it (143). */
  static final class Tomcat implements Program {
    @Override
    public void main(Proc p) {
      String t = DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC)
          .format(p.kernel().now());
      boolean ok = listen(p, 8080, (req, from, reply) -> {
        NetReply r = serveFile(p, "/usr/local/tomcat/webapps/ROOT", req, "Apache Tomcat/10.1.34");
        reply.accept(r);
      });
      if (!ok) {
        p.eprintln(t + " SEVERE [main] org.apache.catalina.core.StandardService.initInternal Failed to initialize "
            + "connector [Connector[HTTP/1.1-8080]]");
        p.exit(1);
        return;
      }
      p.println(t + " INFO [main] org.apache.catalina.startup.VersionLoggerListener.log Server version name:   "
          + "Apache Tomcat/10.1.34");
      p.println(t + " INFO [main] org.apache.coyote.AbstractProtocol.start Starting ProtocolHandler "
          + "[\"http-nio-8080\"]");
      p.println(t + " INFO [main] org.apache.catalina.startup.Catalina.start Server startup in [812] milliseconds");
    }

    @Override
    public void signal(Proc p, int sig) {
      if (sig == Signals.TERM || sig == Signals.INT) {
        p.println("INFO [Thread-1] org.apache.coyote.AbstractProtocol.pause Pausing ProtocolHandler "
            + "[\"http-nio-8080\"]");
        p.die(sig);
      } else {
        p.defaultAction(sig);
      }
    }
  }

  /**
   * agnhost (registry.k8s.io/e2e-test-images/agnhost): {@code liveness} (/healthz 200 for 10 s, then 500),
   * {@code netexec} (--http-port, /, /echo, /hostname, /healthz, /shutdown), {@code serve-hostname} (9376),
   * {@code pause}; TERM ends it.
   */
  static final class Agnhost implements Program {
    @Override
    public void main(Proc p) {
      List<String> a = p.args();
      String sub = a.isEmpty() ? "" : a.get(0);
      switch (sub) {
        case "liveness" -> liveness(p);
        case "netexec" -> netexec(p, a);
        case "serve-hostname" -> {
          if (!listen(p, 9376, (req, from, reply) -> reply.accept(NetReply.http(200, "text/plain",
              p.machine().hostname())))) {
            p.exit(1);
            return;
          }
          p.println("Serving on port 9376.");
        }
        case "pause" -> p.println("Paused");
        case "test-webserver" -> {
          if (!listen(p, 80, (req, from, reply) -> reply.accept(NetReply.http(200, "text/plain",
              "Hello World!")))) {
            p.exit(1);
          }
        }
        default -> {
          p.eprintln("Error: unknown command \"" + sub + "\" for \"agnhost\"");
          p.eprintln("Run 'agnhost --help' for usage.");
          p.exit(1);
        }
      }
    }

    private static void liveness(Proc p) {
      Instant started = p.kernel().now();
      boolean ok = listen(p, 8080, (req, from, reply) -> {
        Duration up = p.kernel().emulatedSince(started);
        if (req.isHttp() && req.path() != null && req.path().startsWith("/healthz")) {
          if (up.toMillis() > 10_000) {
            reply.accept(NetReply.http(500, "text/plain", "error: " + String.format(Locale.ROOT, "%.6f",
                up.toNanos() / 1e9)));
          } else {
            reply.accept(NetReply.http(200, "text/plain", "ok"));
          }
        } else if (req.isHttp() && "/redirect".equals(req.path())) {
          reply.accept(NetReply.http(302, List.of("Location: /healthz", "Content-Length: 0"), new byte[0]));
        } else {
          reply.accept(req.isHttp() ? NetReply.http(404, "text/plain", "404 page not found\n") : NetReply.RESET);
        }
      });
      if (!ok) {
        p.exit(1);
      }
    }

    private static void netexec(Proc p, List<String> a) {
      int port = 8080;
      for (String s : a) {
        if (s.startsWith("--http-port=")) {
          port = (int) Utility.parseLong(s.substring(12), 8080);
        }
      }
      int pt = port;
      boolean ok = listen(p, port, (req, from, reply) -> {
        if (!req.isHttp()) {
          reply.accept(req.isConnect() ? NetReply.ACCEPTED : NetReply.RESET);
          return;
        }
        String path = req.path() == null ? "/" : req.path();
        String query = path.contains("?") ? path.substring(path.indexOf('?') + 1) : "";
        String base = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        switch (base) {
          case "/", "/clientip" -> reply.accept(NetReply.http(200, "text/plain", base.equals("/") ? "NOW: "
              + p.kernel().now() : from + ":" + 40000));
          case "/echo" -> reply.accept(NetReply.http(200, "text/plain", param(query, "msg")));
          case "/hostname" -> reply.accept(NetReply.http(200, "text/plain", p.machine().hostname()));
          case "/healthz" -> reply.accept(NetReply.http(200, "text/plain", "ok"));
          case "/shutdown" -> {
            reply.accept(NetReply.http(200, "text/plain", ""));
            p.exit(0);
          }
          case "/exit" -> {
            int code = (int) Utility.parseLong(param(query, "code"), 0);
            reply.accept(NetReply.http(200, "text/plain", ""));
            p.exit(code);
          }
          default -> reply.accept(NetReply.http(404, "text/plain", "404 page not found\n"));
        }
      });
      if (!ok) {
        p.exit(1);
        return;
      }
      p.eprintln("I1122 00:00:00.000000       1 log.go:245] Started HTTP server on port " + pt);
    }

    private static String param(String query, String name) {
      for (String kv : query.split("&")) {
        int eq = kv.indexOf('=');
        if (eq > 0 && kv.substring(0, eq).equals(name)) {
          return java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
        }
      }
      return "";
    }
  }

  /** pause: waits for a signal; INT and TERM end it with 0, as the real pause does. */
  static final class Pause implements Program {
    @Override
    public void main(Proc p) {
      // waits for a signal
    }

    @Override
    public void signal(Proc p, int sig) {
      if (sig == Signals.INT || sig == Signals.TERM) {
        p.eprintln("Shutting down, got signal: " + Signals.description(sig));
        p.exit(0);
      } else {
        p.defaultAction(sig);
      }
    }
  }

  /** A server this emulator knows only by its port (or nothing): accepts connections, answers HTTP 200. */
  static final class Idle implements Program {
    private final String name;
    private final int port;

    Idle(String name, int port) {
      this.name = name;
      this.port = port;
    }

    @Override
    public void main(Proc p) {
      if (port > 0 && !listen(p, port, (req, from, reply) -> reply.accept(req.isHttp()
          ? NetReply.http(200, "text/plain", name + "\n") : NetReply.ACCEPTED))) {
        p.eprintln(name + ": listen tcp :" + port + ": bind: address already in use");
        p.exit(1);
      }
    }
  }

}
