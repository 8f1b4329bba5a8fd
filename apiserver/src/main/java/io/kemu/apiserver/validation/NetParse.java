package io.kemu.apiserver.validation;

import java.util.List;

/**
 * IP and CIDR parsing as {@code k8s.io/utils/net.ParseIPSloppy} / {@code ParseCIDRSloppy} do (a fork of Go 1.16's
 * net.ParseIP/ParseCIDR that still accepts leading zeros in IPv4 octets). No name resolution ever happens.
 */
public final class NetParse {
    private NetParse() {
    }

    private static final int BIG = 0xFFFFFF;

    /** A parsed CIDR: address bytes (4 or 16) and prefix length. */
    public record Cidr(byte[] ip, int prefix) {
        public boolean isIPv4() {
            return ip.length == 4;
        }
    }

    /** {@code ParseIPSloppy}: 4 bytes for IPv4, 16 for IPv6, null if invalid. */
    public static byte[] parseIP(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                return parseIPv4(s);
            }
            if (c == ':') {
                return parseIPv6(s);
            }
        }
        return null;
    }

    /** True if the address is IPv4 or IPv4-mapped IPv6 ({@code ip.To4() != nil}). */
    public static boolean isIPv4(byte[] ip) {
        if (ip.length == 4) {
            return true;
        }
        for (int i = 0; i < 10; i++) {
            if (ip[i] != 0) {
                return false;
            }
        }
        return ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
    }

    /** {@code ParseCIDRSloppy}; null if invalid. */
    public static Cidr parseCIDR(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) {
            return null;
        }
        String addr = s.substring(0, slash);
        String mask = s.substring(slash + 1);
        int iplen = 4;
        byte[] ip = parseIPv4(addr);
        if (ip == null) {
            iplen = 16;
            ip = parseIPv6(addr);
        }
        long[] d = dtoi(mask);
        if (ip == null || d == null || d[1] != mask.length() || d[0] < 0 || d[0] > 8L * iplen) {
            return null;
        }
        return new Cidr(ip, (int) d[0]);
    }

    /**
     * {@code netutils.IsDualStackIPStrings}/{@code IsDualStackCIDRStrings}: null when some entry does not parse,
     * otherwise whether at least one IPv4 and one IPv6 entry are present.
     */
    public static Boolean isDualStack(List<String> values, boolean cidr) {
        boolean v4 = false;
        boolean v6 = false;
        for (String v : values) {
            byte[] ip;
            if (cidr) {
                Cidr c = parseCIDR(v);
                ip = c == null ? null : c.ip();
            } else {
                ip = parseIP(v);
            }
            if (ip == null) {
                return null;
            }
            if (isIPv4(ip)) {
                v4 = true;
            } else {
                v6 = true;
            }
        }
        return v4 && v6;
    }

    // returns {n, consumed} or null when no digit was read or the value overflowed
    private static long[] dtoi(String s) {
        long n = 0;
        int i = 0;
        for (; i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) {
            n = n * 10 + (s.charAt(i) - '0');
            if (n >= BIG) {
                return null;
            }
        }
        if (i == 0) {
            return null;
        }
        return new long[] {n, i};
    }

    private static long[] xtoi(String s) {
        long n = 0;
        int i = 0;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            int v;
            if (c >= '0' && c <= '9') {
                v = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                v = c - 'a' + 10;
            } else if (c >= 'A' && c <= 'F') {
                v = c - 'A' + 10;
            } else {
                break;
            }
            n = n * 16 + v;
            if (n >= BIG) {
                return null;
            }
        }
        if (i == 0) {
            return null;
        }
        return new long[] {n, i};
    }

    private static byte[] parseIPv4(String s) {
        byte[] p = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (s.isEmpty()) {
                return null;
            }
            if (i > 0) {
                if (s.charAt(0) != '.') {
                    return null;
                }
                s = s.substring(1);
            }
            long[] d = dtoi(s);
            if (d == null || d[0] > 0xFF) {
                return null;
            }
            s = s.substring((int) d[1]);
            p[i] = (byte) d[0];
        }
        return s.isEmpty() ? p : null;
    }

    private static byte[] parseIPv6(String s) {
        byte[] ip = new byte[16];
        int ellipsis = -1;
        if (s.length() >= 2 && s.charAt(0) == ':' && s.charAt(1) == ':') {
            ellipsis = 0;
            s = s.substring(2);
            if (s.isEmpty()) {
                return ip;
            }
        }
        int i = 0;
        while (i < 16) {
            long[] x = xtoi(s);
            if (x == null || x[0] > 0xFFFF) {
                return null;
            }
            int c = (int) x[1];
            if (c < s.length() && s.charAt(c) == '.') {
                if (ellipsis < 0 && i != 12) {
                    return null;
                }
                if (i + 4 > 16) {
                    return null;
                }
                byte[] ip4 = parseIPv4(s);
                if (ip4 == null) {
                    return null;
                }
                System.arraycopy(ip4, 0, ip, i, 4);
                i += 4;
                s = "";
                break;
            }
            ip[i] = (byte) (x[0] >> 8);
            ip[i + 1] = (byte) x[0];
            i += 2;
            s = s.substring(c);
            if (s.isEmpty()) {
                break;
            }
            if (s.charAt(0) != ':' || s.length() == 1) {
                return null;
            }
            s = s.substring(1);
            if (s.charAt(0) == ':') {
                if (ellipsis >= 0) {
                    return null;
                }
                ellipsis = i;
                s = s.substring(1);
                if (s.isEmpty()) {
                    break;
                }
            }
        }
        if (!s.isEmpty()) {
            return null;
        }
        if (i < 16) {
            if (ellipsis < 0) {
                return null;
            }
            int n = 16 - i;
            for (int j = i - 1; j >= ellipsis; j--) {
                ip[j + n] = ip[j];
            }
            for (int j = ellipsis + n - 1; j >= ellipsis; j--) {
                ip[j] = 0;
            }
        } else if (ellipsis >= 0) {
            return null;
        }
        return ip;
    }
}
