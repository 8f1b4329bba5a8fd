package io.kemu.apiserver.printers;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** metav1.Time / metav1.MicroTime handling: RFC 3339 strings as fabric8 carries them, and Go's zero time. */
final class Timestamps {

    /** Go's zero {@code time.Time} (0001-01-01T00:00:00Z), which {@code metav1.Time.IsZero} reports as unset. */
    static final Instant ZERO = Instant.parse("0001-01-01T00:00:00Z");

    private static final DateTimeFormatter RFC3339_SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

    private Timestamps() {
    }

    /** Parses an RFC 3339 timestamp; null, empty or unparseable values yield {@link #ZERO}. */
    static Instant parse(String rfc3339) {
        if (rfc3339 == null || rfc3339.isEmpty()) {
            return ZERO;
        }
        try {
            return OffsetDateTime.parse(rfc3339, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return ZERO;
        }
    }

    static boolean isZero(Instant t) {
        return t == null || t.equals(ZERO);
    }

    /** True when the field holds a timestamp (Go: a non-nil {@code *metav1.Time}). */
    static boolean isSet(String rfc3339) {
        return rfc3339 != null && !rfc3339.isEmpty();
    }

    /** {@code t.UTC().Format(time.RFC3339)}: second precision, {@code Z} suffix. */
    static String formatRfc3339Utc(Instant t) {
        return RFC3339_SECONDS.format(t.atOffset(ZoneOffset.UTC));
    }
}
