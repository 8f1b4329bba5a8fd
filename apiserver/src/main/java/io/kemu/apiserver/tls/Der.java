package io.kemu.apiserver.tls;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The little DER reading this package needs (tag, length, value), with definite lengths only. */
final class Der {

    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;

    /** One TLV. {@code value} are the content bytes. */
    record Tlv(int tag, byte[] value) {
        List<Tlv> children() throws IOException {
            return Der.readAll(value);
        }
    }

    private Der() {
    }

    static Tlv readSingle(byte[] der) throws IOException {
        List<Tlv> all = readAll(der);
        if (all.size() != 1) {
            throw new IOException("expected one DER element, found " + all.size());
        }
        return all.get(0);
    }

    static List<Tlv> readAll(byte[] der) throws IOException {
        List<Tlv> out = new ArrayList<>();
        int pos = 0;
        while (pos < der.length) {
            int tag = der[pos++] & 0xff;
            if ((tag & 0x1f) == 0x1f) {
                throw new IOException("high-tag-number DER tags are not supported");
            }
            if (pos >= der.length) {
                throw new IOException("truncated DER");
            }
            int len = der[pos++] & 0xff;
            if (len == 0x80) {
                throw new IOException("indefinite DER length");
            }
            if (len > 0x80) {
                int n = len & 0x7f;
                if (n > 3 || pos + n > der.length) {
                    throw new IOException("unsupported or truncated DER length");
                }
                len = 0;
                for (int i = 0; i < n; i++) {
                    len = (len << 8) | (der[pos++] & 0xff);
                }
            }
            if (len > der.length - pos) {
                throw new IOException("truncated DER");
            }
            byte[] value = new byte[len];
            System.arraycopy(der, pos, value, 0, len);
            pos += len;
            out.add(new Tlv(tag, value));
        }
        return out;
    }

    /** Dotted form of an OBJECT IDENTIFIER's content bytes. */
    static String oid(byte[] v) throws IOException {
        if (v.length == 0) {
            throw new IOException("empty OID");
        }
        StringBuilder sb = new StringBuilder();
        long acc = 0;
        boolean first = true;
        for (byte b : v) {
            acc = (acc << 7) | (b & 0x7f);
            if (acc > (Long.MAX_VALUE >> 7)) {
                throw new IOException("OID arc too large");
            }
            if ((b & 0x80) == 0) {
                if (first) {
                    long a = acc < 40 ? 0 : acc < 80 ? 1 : 2;
                    sb.append(a).append('.').append(acc - 40 * a);
                    first = false;
                } else {
                    sb.append('.').append(acc);
                }
                acc = 0;
            }
        }
        if (v[v.length - 1] < 0) {
            throw new IOException("truncated OID");
        }
        return sb.toString();
    }
}
