package io.kemu.apiserver.printers;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Shared test clock: every test passes {@link #NOW} explicitly, nothing reads the system clock. */
final class Fixtures {

    static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

    private Fixtures() {
    }

    /** RFC 3339 timestamp {@code d} before {@link #NOW}. */
    static String ago(Duration d) {
        return NOW.minus(d).toString();
    }

    /** RFC 3339 timestamp {@code d} after {@link #NOW}. */
    static String in(Duration d) {
        return NOW.plus(d).toString();
    }

    static List<Object> row(Object... cells) {
        return List.of(cells);
    }
}
