package io.kemu.scheduler.framework;

import java.util.HashMap;
import java.util.Map;

/**
 * framework.HostPortInfo: host ports in use on a node, by host IP then protocol/port, counted so that removing
 * one of two pods using the same port keeps it in use.
 */
public final class HostPortInfo {
  public static final String DEFAULT_BIND_ALL_HOST_IP = "0.0.0.0";

  private final Map<String, Map<String, Integer>> byIp = new HashMap<>();

  public HostPortInfo copy() {
    HostPortInfo c = new HostPortInfo();
    byIp.forEach((ip, m) -> c.byIp.put(ip, new HashMap<>(m)));
    return c;
  }

  public boolean isEmpty() {
    return byIp.isEmpty();
  }

  private static String ip(String ip) {
    return ip == null || ip.isEmpty() ? DEFAULT_BIND_ALL_HOST_IP : ip;
  }

  private static String key(String protocol, int port) {
    return (protocol == null || protocol.isEmpty() ? "TCP" : protocol) + "/" + port;
  }

  public void add(String ip, String protocol, int port) {
    if (port <= 0) {
      return;
    }
    byIp.computeIfAbsent(ip(ip), k -> new HashMap<>()).merge(key(protocol, port), 1, Integer::sum);
  }

  public void remove(String ip, String protocol, int port) {
    if (port <= 0) {
      return;
    }
    Map<String, Integer> m = byIp.get(ip(ip));
    if (m == null) {
      return;
    }
    m.computeIfPresent(key(protocol, port), (k, v) -> v <= 1 ? null : v - 1);
    if (m.isEmpty()) {
      byIp.remove(ip(ip));
    }
  }

  /** CheckConflict: 0.0.0.0 conflicts with the port on any IP; a specific IP with itself and 0.0.0.0. */
  public boolean checkConflict(String ip, String protocol, int port) {
    if (port <= 0) {
      return false;
    }
    String k = key(protocol, port);
    String i = ip(ip);
    if (i.equals(DEFAULT_BIND_ALL_HOST_IP)) {
      for (Map<String, Integer> m : byIp.values()) {
        if (m.containsKey(k)) {
          return true;
        }
      }
      return false;
    }
    for (String candidate : new String[] {DEFAULT_BIND_ALL_HOST_IP, i}) {
      Map<String, Integer> m = byIp.get(candidate);
      if (m != null && m.containsKey(k)) {
        return true;
      }
    }
    return false;
  }
}
