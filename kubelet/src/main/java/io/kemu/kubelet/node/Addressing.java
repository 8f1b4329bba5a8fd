package io.kemu.kubelet.node;

/**
 * Addresses of emulated node number {@code index} (0-based): a /24 pod CIDR carved from 10.244.0.0 upwards
 * (continuing at 10.0.0.0 after 10.255.255.0, below the 10.96.0.0/12 service range) and an InternalIP in
 * 172.18.0.0/16 like a kind cluster's.
 */
public final class Addressing {
  private Addressing() {}

  public static String podCidr(int index) {
    int block = index < 3072 ? (244 << 8) + index : index - 3072;
    if (index >= 3072 && block >= (96 << 8)) {
      throw new IllegalArgumentException("too many nodes for the pod network: " + index);
    }
    return "10." + (block >> 8) + "." + (block & 0xff) + ".0/24";
  }

  public static String nodeIp(int index) {
    int host = index + 2;
    return "172.18." + (host / 254) + "." + (host % 254 + 1);
  }

  /** The pod IP of a host number (2..254) in a /24 CIDR. */
  public static String podIp(String cidr, int host) {
    String base = cidr.substring(0, cidr.lastIndexOf('.'));
    return base + "." + host;
  }
}
