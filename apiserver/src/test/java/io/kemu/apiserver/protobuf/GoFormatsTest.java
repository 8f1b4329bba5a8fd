package io.kemu.apiserver.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoFormatsTest {

    /** Expected values are what Go's time.Duration.String() prints. */
    @ParameterizedTest
    @CsvSource({
        "0, 0s",
        "1, 1ns",
        "999, 999ns",
        "1000, 1µs",
        "1100, 1.1µs",
        "2200000, 2.2ms",
        "100000000, 100ms",
        "1000000000, 1s",
        "1500000000, 1.5s",
        "90000000000, 1m30s",
        "3600000000000, 1h0m0s",
        "5430000000000, 1h30m30s",
        "-1500000000, -1.5s",
        "-1, -1ns",
        "9223372036854775807, 2562047h47m16.854775807s",
        "-9223372036854775808, -2562047h47m16.854775808s",
    })
    void durationAsGoPrintsIt(long nanos, String expected) {
        assertEquals(expected, GoFormats.duration(nanos));
    }

    @Test
    void rfc3339AsMetav1TimeWritesIt() {
        assertEquals("1970-01-01T00:00:00Z", GoFormats.rfc3339(0, 0, false));
        assertEquals("2026-11-22T01:52:50Z", GoFormats.rfc3339(1795312370L, 0, false));
        assertEquals("0001-01-01T00:00:01Z", GoFormats.rfc3339(GoFormats.GO_ZERO_TIME_SECONDS + 1, 0, false));
        assertEquals("1969-12-31T23:59:59Z", GoFormats.rfc3339(-1, 0, false));
    }

    @Test
    void rfc3339MicroAsMetav1MicroTimeWritesIt() {
        assertEquals("2026-11-22T01:52:50.000000Z", GoFormats.rfc3339(1795312370L, 0, true));
        assertEquals("2026-11-22T01:52:50.123456Z", GoFormats.rfc3339(1795312370L, 123_456_000, true));
        assertEquals("2026-11-22T01:52:50.000001Z", GoFormats.rfc3339(1795312370L, 1_000, true));
    }
}
