package io.kemu.apiserver.printers;

import java.time.Duration;
import java.time.Instant;

/**
 * Port of {@code k8s.io/apimachinery/pkg/util/duration} ({@code HumanDuration}, {@code ShortHumanDuration})
 * and of the printers' {@code translateTimestampSince}.
 *
 * <p>Go's {@code time.Duration} is an int64 count of nanoseconds and {@code time.Sub}/{@code time.Since}
 * saturate at its bounds; every computation here works on such a saturated nanosecond count and uses
 * truncating integer division, exactly as the Go code does.
 */
public final class HumanDuration {

    private static final long SECOND = 1_000_000_000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;

    private HumanDuration() {
    }

    /**
     * {@code duration.HumanDuration}: a succinct representation with ~2-3 significant figures,
     * e.g. {@code 59s}, {@code 119s}, {@code 2m59s}, {@code 10m}, {@code 179m}, {@code 3h}, {@code 7h59m},
     * {@code 47h}, {@code 2d}, {@code 7d23h}, {@code 729d}, {@code 2y}, {@code 3y45d}, {@code 8y}.
     * Durations down to -1.999s print as {@code 0s} (clock skew tolerance); anything more negative is
     * {@code <invalid>}.
     */
    public static String human(Duration d) {
        return human(saturatedNanos(d));
    }

    /** {@link #human(Duration)} for a Go-style nanosecond count. */
    public static String human(long nanos) {
        long seconds = nanos / SECOND; // int(d.Seconds()) truncates towards zero
        if (seconds < -1) {
            return "<invalid>";
        } else if (seconds < 0) {
            return "0s";
        } else if (seconds < 60 * 2) {
            return seconds + "s";
        }
        long minutes = nanos / MINUTE;
        if (minutes < 10) {
            long s = (nanos / SECOND) % 60;
            if (s == 0) {
                return minutes + "m";
            }
            return minutes + "m" + s + "s";
        } else if (minutes < 60 * 3) {
            return minutes + "m";
        }
        long hours = nanos / HOUR;
        if (hours < 8) {
            long m = (nanos / MINUTE) % 60;
            if (m == 0) {
                return hours + "h";
            }
            return hours + "h" + m + "m";
        } else if (hours < 48) {
            return hours + "h";
        } else if (hours < 24 * 8) {
            long h = hours % 24;
            if (h == 0) {
                return (hours / 24) + "d";
            }
            return (hours / 24) + "d" + h + "h";
        } else if (hours < 24 * 365 * 2) {
            return (hours / 24) + "d";
        } else if (hours < 24 * 365 * 8) {
            long dy = (hours / 24) % 365;
            if (dy == 0) {
                return (hours / 24 / 365) + "y";
            }
            return (hours / 24 / 365) + "y" + dy + "d";
        }
        return (hours / 24 / 365) + "y";
    }

    /**
     * {@code duration.ShortHumanDuration}: one unit only, e.g. {@code 59s}, {@code 2m}, {@code 3h}, {@code 2d},
     * {@code 3y}. Not used by the table printers ported here, provided for completeness.
     */
    public static String shortHuman(Duration d) {
        long nanos = saturatedNanos(d);
        long seconds = nanos / SECOND;
        if (seconds < -1) {
            return "<invalid>";
        } else if (seconds < 0) {
            return "0s";
        } else if (seconds < 60) {
            return seconds + "s";
        }
        long minutes = nanos / MINUTE;
        if (minutes < 60) {
            return minutes + "m";
        }
        long hours = nanos / HOUR;
        if (hours < 24) {
            return hours + "h";
        } else if (hours < 24 * 365) {
            return (hours / 24) + "d";
        }
        // int(d.Hours()/24/365): float division then truncation
        return ((long) ((double) nanos / HOUR / 24 / 365)) + "y";
    }

    /**
     * The printers' {@code translateTimestampSince}: {@code <unknown>} for an absent (null, empty or zero)
     * timestamp, otherwise {@link #human} of {@code now - timestamp}. Accepts RFC 3339 timestamps with or
     * without fractional seconds (metav1.Time and metav1.MicroTime); an unparseable value is treated like
     * an absent one.
     */
    public static String translateTimestampSince(String rfc3339OrNull, Instant now) {
        return since(Timestamps.parse(rfc3339OrNull), now);
    }

    /** {@code translateTimestampSince} for an already parsed timestamp; null or the Go zero time gives {@code <unknown>}. */
    static String since(Instant timestamp, Instant now) {
        if (Timestamps.isZero(timestamp)) {
            return "<unknown>";
        }
        return human(between(timestamp, now));
    }

    /** {@code end.Sub(start)} with Go's saturation at the int64 nanosecond bounds. */
    static long between(Instant start, Instant end) {
        return saturatedNanos(Duration.between(start, end));
    }

    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
