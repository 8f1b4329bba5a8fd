package io.kemu.apiserver.protobuf;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Go's text forms of time.Time (RFC 3339 as metav1.Time and metav1.MicroTime write it) and time.Duration. */
final class GoFormats {

    /** Seconds of Go's zero time.Time, 0001-01-01T00:00:00Z, which metav1 types write as JSON null. */
    static final long GO_ZERO_TIME_SECONDS = -62135596800L;

    private GoFormats() {}

    /**
     * Go's {@code t.UTC().Format(time.RFC3339)} for metav1.Time ({@code 2006-01-02T15:04:05Z}), or with
     * {@code micro}, metav1.RFC3339Micro ({@code 2006-01-02T15:04:05.000000Z}).
     *
     * @throws java.time.DateTimeException if the instant is outside what java.time can represent
     */
    static String rfc3339(long epochSeconds, int nanos, boolean micro) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSeconds, 0, ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(27);
        pad(b, t.getYear(), 4).append('-');
        pad(b, t.getMonthValue(), 2).append('-');
        pad(b, t.getDayOfMonth(), 2).append('T');
        pad(b, t.getHour(), 2).append(':');
        pad(b, t.getMinute(), 2).append(':');
        pad(b, t.getSecond(), 2);
        if (micro) {
            b.append('.');
            pad(b, nanos / 1000, 6);
        }
        return b.append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder b, int value, int width) {
        if (value < 0) {
            b.append('-');
            value = -value;
        }
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(digits);
    }

    /** Go's {@code time.Duration(nanos).String()}: "1h2m3.5s", "1.5ms", "2µs", "0s". */
    static String duration(long nanos) {
        char[] buf = new char[32];
        int w = buf.length;
        boolean neg = nanos < 0;
        long u = neg ? -nanos : nanos; // Long.MIN_VALUE stays as is and is handled as unsigned below
        if (Long.compareUnsigned(u, 1_000_000_000L) < 0) {
            // Less than a second: use a smaller unit, like 1.2ms.
            int prec;
            buf[--w] = 's';
            w--;
            if (u == 0) {
                buf[w] = '0';
                return new String(buf, w, buf.length - w);
            } else if (u < 1_000L) {
                prec = 0;
                buf[w] = 'n';
            } else if (u < 1_000_000L) {
                prec = 3;
                buf[w] = '\u00b5';
            } else {
                prec = 6;
                buf[w] = 'm';
            }
            long[] frac = fmtFrac(buf, w, u, prec);
            w = fmtInt(buf, (int) frac[0], frac[1]);
        } else {
            buf[--w] = 's';
            long[] frac = fmtFrac(buf, w, u, 9);
            w = (int) frac[0];
            u = frac[1]; // whole seconds
            w = fmtInt(buf, w, u % 60);
            u /= 60; // whole minutes
            if (u > 0) {
                buf[--w] = 'm';
                w = fmtInt(buf, w, u % 60);
                u /= 60; // whole hours; Go stops at hours
                if (u > 0) {
                    buf[--w] = 'h';
                    w = fmtInt(buf, w, u);
                }
            }
        }
        if (neg) {
            buf[--w] = '-';
        }
        return new String(buf, w, buf.length - w);
    }

    /** Writes the fraction v / 10^prec (".12", trailing zeros and a bare point omitted) before w. */
    private static long[] fmtFrac(char[] buf, int w, long v, int prec) {
        boolean print = false;
        for (int i = 0; i < prec; i++) {
            long digit = Long.remainderUnsigned(v, 10);
            print = print || digit != 0;
            if (print) {
                buf[--w] = (char) ('0' + digit);
            }
            v = Long.divideUnsigned(v, 10);
        }
        if (print) {
            buf[--w] = '.';
        }
        return new long[] {w, v};
    }

    private static int fmtInt(char[] buf, int w, long v) {
        if (v == 0) {
            buf[--w] = '0';
        } else {
            while (v != 0) {
                buf[--w] = (char) ('0' + Long.remainderUnsigned(v, 10));
                v = Long.divideUnsigned(v, 10);
            }
        }
        return w;
    }
}
