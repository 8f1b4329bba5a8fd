package io.kemu.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.kemu.kubelet.runtime.ImageCatalog;
import io.kemu.kubelet.runtime.net.ClusterNet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * How the kubelet turns a container spec into what the runtime starts (kubelet_pods.go makeEnvironmentVariables,
 * expansion.Expand, the image's ENTRYPOINT/CMD rules): the argv, the environment with the Service links, and the
 * {@code $(VAR)} references expanded. Pure.
 */
public final class ContainerConfig {
  private ContainerConfig() {}

  /** Docker's rules: command replaces ENTRYPOINT (and drops CMD), args replace CMD. */
  public static List<String> argv(Container c, ImageCatalog.Image image, Map<String, String> env) {
    List<String> cmd = c.getCommand() == null ? List.of() : c.getCommand();
    List<String> args = c.getArgs() == null ? List.of() : c.getArgs();
    List<String> out = new ArrayList<>();
    if (!cmd.isEmpty()) {
      cmd.forEach(s -> out.add(expand(s, env::get)));
      args.forEach(s -> out.add(expand(s, env::get)));
    } else {
      out.addAll(image.entrypoint());
      if (!args.isEmpty()) {
        args.forEach(s -> out.add(expand(s, env::get)));
      } else {
        out.addAll(image.cmd());
      }
    }
    return out;
  }

  /**
   * The container's environment: the image's ENV, HOSTNAME, the Service variables of the pod's namespace (and the
   * kubernetes Service), then the container's own env in order, each able to refer to the ones before.
   * {@code field} answers fieldRef paths; values it cannot answer are left empty.
   */
  public static Map<String, String> env(Pod pod, Container c, ImageCatalog.Image image, List<ClusterNet.Service> services,
                                        Function<String, String> field) {
    return env(pod, c, image, services, Map.of(), field);
  }

  /** As above, with the variables of envFrom (already prefixed) coming before the container's env. */
  public static Map<String, String> env(Pod pod, Container c, ImageCatalog.Image image, List<ClusterNet.Service> services,
                                        Map<String, String> envFrom, Function<String, String> field) {
    Map<String, String> env = new LinkedHashMap<>(image.env());
    env.put("HOSTNAME", pod.getSpec().getHostname() != null ? pod.getSpec().getHostname()
        : pod.getMetadata().getName());
    env.putIfAbsent("HOME", "/root");
    boolean links = pod.getSpec().getEnableServiceLinks() == null || pod.getSpec().getEnableServiceLinks();
    for (ClusterNet.Service s : services) {
      boolean master = s.namespace().equals("default") && s.name().equals("kubernetes");
      boolean mine = s.namespace().equals(pod.getMetadata().getNamespace());
      if ((master || links && mine) && s.clusterIp() != null && !s.clusterIp().isEmpty()
          && !"None".equals(s.clusterIp()) && !s.ports().isEmpty()) {
        serviceVars(s, env);
      }
    }
    env.putAll(envFrom);
    if (c.getEnv() != null) {
      for (EnvVar e : c.getEnv()) {
        String v;
        if (e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null) {
          v = field.apply(e.getValueFrom().getFieldRef().getFieldPath());
        } else if (e.getValueFrom() != null) {
          v = field.apply("valueFrom:" + e.getName());
        } else {
          v = expand(e.getValue() == null ? "" : e.getValue(), env::get);
        }
        env.put(e.getName(), v == null ? "" : v);
      }
    }
    return env;
  }

  /** The docker-links variables of a Service (kubelet envvars.FromServices). */
  static void serviceVars(ClusterNet.Service s, Map<String, String> env) {
    String prefix = s.name().toUpperCase(Locale.ROOT).replace('-', '_');
    ClusterNet.ServicePort first = s.ports().get(0);
    env.put(prefix + "_SERVICE_HOST", s.clusterIp());
    env.put(prefix + "_SERVICE_PORT", Integer.toString(first.port()));
    for (ClusterNet.ServicePort p : s.ports()) {
      if (p.name() != null && !p.name().isEmpty()) {
        env.put(prefix + "_SERVICE_PORT_" + p.name().toUpperCase(Locale.ROOT).replace('-', '_'),
            Integer.toString(p.port()));
      }
    }
    String proto = first.protocol() == null ? "tcp" : first.protocol().toLowerCase(Locale.ROOT);
    env.put(prefix + "_PORT", proto + "://" + s.clusterIp() + ":" + first.port());
    for (ClusterNet.ServicePort p : s.ports()) {
      String pr = p.protocol() == null ? "tcp" : p.protocol().toLowerCase(Locale.ROOT);
      String base = prefix + "_PORT_" + p.port() + "_" + pr.toUpperCase(Locale.ROOT);
      env.put(base, pr + "://" + s.clusterIp() + ":" + p.port());
      env.put(base + "_PROTO", pr);
      env.put(base + "_PORT", Integer.toString(p.port()));
      env.put(base + "_ADDR", s.clusterIp());
    }
  }

  /** expansion.Expand: $(VAR) from the map when defined, $$ escapes, anything else stays as written. */
  public static String expand(String in, Function<String, String> lookup) {
    if (in.indexOf('$') < 0) {
      return in;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < in.length(); i++) {
      char c = in.charAt(i);
      if (c == '$' && i + 1 < in.length()) {
        char n = in.charAt(i + 1);
        if (n == '$') {
          out.append('$');
          i++;
          continue;
        }
        if (n == '(') {
          int close = in.indexOf(')', i + 2);
          if (close > 0) {
            String name = in.substring(i + 2, close);
            String v = lookup.apply(name);
            out.append(v != null ? v : "$(" + name + ")");
            i = close;
            continue;
          }
        }
      }
      out.append(c);
    }
    return out.toString();
  }
}
