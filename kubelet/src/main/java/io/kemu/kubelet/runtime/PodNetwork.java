package io.kemu.kubelet.runtime;

import io.kemu.kubelet.node.Addressing;
import java.util.BitSet;

/** The node's pod IPs (host-local IPAM over the node's /24): .1 is the bridge, pods get .2 to .254. */
public final class PodNetwork {
  private final String cidr;
  private final BitSet used = new BitSet(256);
  private int next = 2;

  public PodNetwork(String cidr) {
    this.cidr = cidr;
  }

  public synchronized String allocate() {
    for (int i = 0; i < 253; i++) {
      int host = 2 + (next - 2 + i) % 253;
      if (!used.get(host)) {
        used.set(host);
        next = host + 1 > 254 ? 2 : host + 1;
        return Addressing.podIp(cidr, host);
      }
    }
    throw new IllegalStateException("no free pod IP in " + cidr);
  }

  public synchronized void release(String ip) {
    if (ip != null) {
      used.clear(Integer.parseInt(ip.substring(ip.lastIndexOf('.') + 1)));
    }
  }
}
