package io.kemu.kubelet.runtime.programs;

import io.kemu.kubelet.runtime.fs.FsException;
import io.kemu.kubelet.runtime.net.Net;
import io.kemu.kubelet.runtime.net.NetReply;
import io.kemu.kubelet.runtime.net.NetRequest;
import io.kemu.kubelet.runtime.proc.Proc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** nslookup, wget (busybox) and curl over the emulated network. */
final class NetTools {
  private NetTools() {}

  static Utility create(String name, boolean busybox) {
    return switch (name) {
      case "nslookup" -> new Nslookup(busybox);
      case "wget" -> new Wget(busybox);
      case "curl" -> new Curl();
      case "nc" -> new Nc(busybox);
      default -> null;
    };
  }

  /** scheme://host[:port]/path, as the tools parse it. */
  record Url(String scheme, String host, int port, String path) {
    static Url parse(String s) {
      String scheme = "http";
      String rest = s;
      int sep = s.indexOf("://");
      if (sep >= 0) {
        scheme = s.substring(0, sep).toLowerCase(java.util.Locale.ROOT);
        rest = s.substring(sep + 3);
      }
      int slash = rest.indexOf('/');
      String hostPort = slash < 0 ? rest : rest.substring(0, slash);
      String path = slash < 0 ? "/" : rest.substring(slash);
      int at = hostPort.lastIndexOf('@');
      if (at >= 0) {
        hostPort = hostPort.substring(at + 1);
      }
      int port = scheme.equals("https") ? 443 : 80;
      int colon = hostPort.lastIndexOf(':');
      String host = hostPort;
      if (colon >= 0) {
        host = hostPort.substring(0, colon);
        try {
          port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
          return null;
        }
      }
      if (host.isEmpty()) {
        return null;
      }
      return new Url(scheme, host, port, path);
    }
  }

  /** Resolves then sends one request; the reply (or null with a resolution failure) goes to {@code k}. */
  static void fetch(Proc p, Url u, NetRequest req, Duration timeout, Consumer<Net.Answer> unresolved,
                    java.util.function.BiConsumer<String, NetReply> k) {
    Net net = p.machine().net();
    net.resolve(u.host(), a -> {
      if (p.exited()) {
        return;
      }
      if (!a.found()) {
        unresolved.accept(a);
        return;
      }
      String ip = a.addresses().get(0);
      net.send(ip, u.port(), req, timeout, r -> {
        if (!p.exited()) {
          k.accept(ip, r);
        }
      });
    });
  }

  /** busybox 1.28 nslookup: the server block, then the name's addresses, or "can't resolve". */
  static final class Nslookup extends Utility {
    Nslookup(boolean busybox) {
      super("nslookup", busybox);
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
        p.eprintln("BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\nUsage: nslookup [HOST] [SERVER]");
        return 1;
      }
      Net net = p.machine().net();
      String name = ops.get(0);
      net.resolve(name, a -> {
        if (p.exited()) {
          return;
        }
        out(p, "Server:    " + net.nameserver() + "\nAddress 1: " + net.nameserver()
            + " kube-dns.kube-system.svc.cluster.local\n\n");
        if (!a.found()) {
          p.eprintln("nslookup: can't resolve '" + name + "'");
          p.exit(1);
          return;
        }
        StringBuilder sb = new StringBuilder("Name:      " + a.name() + "\n");
        int i = 1;
        for (String ip : a.addresses()) {
          sb.append("Address ").append(i++).append(": ").append(ip).append(' ').append(a.name()).append('\n');
        }
        out(p, sb.toString());
        p.exit(0);
      });
      return ASYNC;
    }
  }

  static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 201 -> "Created";
      case 204 -> "No Content";
      case 301 -> "Moved Permanently";
      case 302 -> "Found";
      case 304 -> "Not Modified";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }

  /** busybox wget: -O file (- for stdout), -q, -T timeout, --spider, -S; errors as busybox prints them. */
  static final class Wget extends Utility {
    Wget(boolean busybox) {
      super("wget", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      String outFile = null;
      boolean quiet = false;
      boolean spider = false;
      double timeout = 900;
      List<String> urls = new ArrayList<>();
      List<String> headers = new ArrayList<>();
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        switch (a) {
          case "-O" -> outFile = i + 1 < args.size() ? args.get(++i) : null;
          case "-q", "--quiet" -> quiet = true;
          case "--spider" -> spider = true;
          case "-T", "--timeout" -> timeout = parseDouble(i + 1 < args.size() ? args.get(++i) : "", 900);
          case "--header" -> headers.add(i + 1 < args.size() ? args.get(++i) : "");
          case "-S", "-s", "-c", "--no-check-certificate" -> { }
          default -> {
            if (a.startsWith("-O") && a.length() > 2) {
              outFile = a.substring(2);
            } else if (a.startsWith("-T") && a.length() > 2) {
              timeout = parseDouble(a.substring(2), 900);
            } else if (a.startsWith("--timeout=")) {
              timeout = parseDouble(a.substring(10), 900);
            } else if (!a.startsWith("-")) {
              urls.add(a);
            }
          }
        }
      }
      if (urls.isEmpty()) {
        p.eprintln("BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\nUsage: wget [-c|--continue] "
            + "[--spider] [-q|--quiet] [-O|--output-document FILE] URL...");
        return 1;
      }
      Url u = Url.parse(urls.get(0));
      if (u == null || !(u.scheme().equals("http") || u.scheme().equals("https"))) {
        err(p, "not an http or ftp url: " + urls.get(0));
        return 1;
      }
      List<String> hs = new ArrayList<>();
      hs.add("Host: " + u.host());
      hs.add("User-Agent: Wget");
      hs.addAll(headers);
      String file = outFile != null ? outFile : baseName(u.path());
      boolean q = quiet;
      boolean sp = spider;
      fetch(p, u, NetRequest.http(spider ? "HEAD" : "GET", u.path(), hs, null),
          Duration.ofMillis((long) (timeout * 1000)), a -> {
            err(p, "bad address '" + u.host() + "'");
            p.exit(1);
          }, (ip, r) -> {
            if (!q) {
              p.eprintln("Connecting to " + u.host() + (u.host().equals(ip) ? "" : " (" + ip + ":" + u.port() + ")"));
            }
            if (r.is("refused")) {
              err(p, "can't connect to remote host (" + ip + "): Connection refused");
              p.exit(1);
            } else if (r.is("timeout")) {
              err(p, "download timed out");
              p.exit(1);
            } else if (!r.is("http")) {
              err(p, "error getting response: Connection reset by peer");
              p.exit(1);
            } else if (r.status() >= 400) {
              err(p, "server returned error: HTTP/1.1 " + r.status() + " " + reason(r.status()));
              p.exit(1);
            } else if (sp) {
              p.exit(0);
            } else {
              byte[] body = r.body() == null ? new byte[0] : r.body();
              if (file.equals("-")) {
                out(p, body);
              } else {
                try {
                  p.machine().fs().write(p.cwd(), file, body, false);
                } catch (FsException e) {
                  err(p, "can't open '" + file + "': " + e.reason());
                  p.exit(1);
                  return;
                }
                if (!q) {
                  p.eprintln("saving to '" + file + "'");
                  p.eprintln(String.format("%-20s 100%% |********************************| %5d  0:00:00 ETA",
                      baseName(file), body.length));
                  p.eprintln("'" + file + "' saved");
                }
              }
              p.exit(0);
            }
          });
      return ASYNC;
    }

    private static String baseName(String path) {
      String q = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
      String b = q.substring(q.lastIndexOf('/') + 1);
      return b.isEmpty() ? "index.html" : b;
    }
  }

  static double parseDouble(String s, double dflt) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return dflt;
    }
  }

  /** curl: -s, -f, -o file, -I, -m secs, -H header, -X method, -w '%{http_code}'; curl's exit codes. */
  static final class Curl extends Utility {
    Curl() {
      super("curl", false);
    }

    @Override
    int run(Proc p, List<String> args) {
      String outFile = null;
      boolean silent = false;
      boolean fail = false;
      boolean head = false;
      boolean include = false;
      String method = "GET";
      String writeOut = null;
      double timeout = 300;
      List<String> headers = new ArrayList<>();
      String url = null;
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        String next = i + 1 < args.size() ? args.get(i + 1) : "";
        switch (a) {
          case "-o", "--output" -> { outFile = next; i++; }
          case "-m", "--max-time", "--connect-timeout" -> { timeout = parseDouble(next, 300); i++; }
          case "-H", "--header" -> { headers.add(next); i++; }
          case "-X", "--request" -> { method = next; i++; }
          case "-w", "--write-out" -> { writeOut = next; i++; }
          case "-I", "--head" -> head = true;
          case "-i", "--include" -> include = true;
          default -> {
            if (a.startsWith("--") || !a.startsWith("-")) {
              if (!a.startsWith("-")) {
                url = a;
              }
            } else {
              for (char c : a.substring(1).toCharArray()) {
                switch (c) {
                  case 's' -> silent = true;
                  case 'f' -> fail = true;
                  case 'I' -> head = true;
                  case 'i' -> include = true;
                  default -> { }
                }
              }
            }
          }
        }
      }
      if (url == null) {
        p.eprintln("curl: try 'curl --help' or 'curl --manual' for more information");
        return 2;
      }
      Url u = Url.parse(url);
      if (u == null) {
        p.eprintln("curl: (3) URL using bad/illegal format or missing URL");
        return 3;
      }
      List<String> hs = new ArrayList<>(List.of("Host: " + u.host(), "User-Agent: curl/8.5.0", "Accept: */*"));
      hs.addAll(headers);
      boolean s = silent;
      boolean f = fail;
      boolean h = head;
      boolean inc = include;
      String file = outFile;
      String w = writeOut;
      fetch(p, u, NetRequest.http(head ? "HEAD" : method, u.path(), hs, null),
          Duration.ofMillis((long) (timeout * 1000)), a -> {
            if (!s) {
              p.eprintln("curl: (6) Could not resolve host: " + u.host());
            }
            p.exit(6);
          }, (ip, r) -> {
            if (r.is("refused")) {
              if (!s) {
                p.eprintln("curl: (7) Failed to connect to " + u.host() + " port " + u.port()
                    + " after 0 ms: Couldn't connect to server");
              }
              p.exit(7);
              return;
            }
            if (r.is("timeout")) {
              if (!s) {
                p.eprintln("curl: (28) Connection timed out");
              }
              p.exit(28);
              return;
            }
            if (!r.is("http")) {
              if (!s) {
                p.eprintln("curl: (52) Empty reply from server");
              }
              p.exit(52);
              return;
            }
            if (f && r.status() >= 400) {
              if (!s) {
                p.eprintln("curl: (22) The requested URL returned error: " + r.status());
              }
              p.exit(22);
              return;
            }
            StringBuilder head0 = new StringBuilder();
            if (h || inc) {
              head0.append("HTTP/1.1 ").append(r.status()).append(' ').append(reason(r.status())).append("\r\n");
              r.headers().forEach(x -> head0.append(x).append("\r\n"));
              head0.append("\r\n");
            }
            byte[] body = r.body() == null || h ? new byte[0] : r.body();
            byte[] headBytes = head0.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] all = new byte[headBytes.length + body.length];
            System.arraycopy(headBytes, 0, all, 0, headBytes.length);
            System.arraycopy(body, 0, all, headBytes.length, body.length);
            if (file != null && !file.equals("-")) {
              try {
                p.machine().fs().write(p.cwd(), file, all, false);
              } catch (FsException e) {
                p.eprintln("curl: (23) Failure writing output to destination");
                p.exit(23);
                return;
              }
            } else {
              out(p, all);
            }
            if (w != null) {
              out(p, w.replace("%{http_code}", Integer.toString(r.status())).replace("\\n", "\n"));
            }
            p.exit(0);
          });
      return ASYNC;
    }
  }

  /** nc -z host port (a connect check), nc host port sending stdin's first line. */
  static final class Nc extends Utility {
    Nc(boolean busybox) {
      super("nc", busybox);
    }

    @Override
    int run(Proc p, List<String> args) {
      boolean zero = false;
      double timeout = 10;
      List<String> ops = new ArrayList<>();
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        if (a.equals("-w")) {
          timeout = parseDouble(i + 1 < args.size() ? args.get(++i) : "", 10);
        } else if (a.startsWith("-")) {
          zero |= a.contains("z");
        } else {
          ops.add(a);
        }
      }
      if (ops.size() < 2) {
        err(p, "usage: nc [-z] HOST PORT");
        return 1;
      }
      int port;
      try {
        port = Integer.parseInt(ops.get(1));
      } catch (NumberFormatException e) {
        err(p, "bad port '" + ops.get(1) + "'");
        return 1;
      }
      Url u = new Url("tcp", ops.get(0), port, "");
      boolean z = zero;
      Duration t = Duration.ofMillis((long) (timeout * 1000));
      p.stdin().readAll(in -> {
        String line = new String(in, java.nio.charset.StandardCharsets.UTF_8).strip();
        NetRequest req = z || line.isEmpty() ? NetRequest.connect() : NetRequest.line(line);
        fetch(p, u, req, t, a -> {
          err(p, "bad address '" + u.host() + "'");
          p.exit(1);
        }, (ip, r) -> {
          if (r.is("accepted")) {
            p.exit(0);
          } else if (r.is("line")) {
            out(p, r.line() + "\n");
            p.exit(0);
          } else {
            if (!z) {
              err(p, "can't connect to remote host (" + ip + "): Connection refused");
            }
            p.exit(1);
          }
        });
      });
      return ASYNC;
    }
  }
}
