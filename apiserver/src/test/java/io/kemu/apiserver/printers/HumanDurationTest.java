package io.kemu.apiserver.printers;

import static io.kemu.apiserver.printers.Fixtures.NOW;
import static io.kemu.apiserver.printers.Fixtures.ago;
import static io.kemu.apiserver.printers.Fixtures.in;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Mirrors apimachinery's duration_test.go and printers_test.go TestTranslateTimestampSince. */
class HumanDurationTest {

    private static final Duration S = Duration.ofSeconds(1);
    private static final Duration MS = Duration.ofMillis(1);
    private static final Duration M = Duration.ofMinutes(1);
    private static final Duration H = Duration.ofHours(1);

    static Stream<Arguments> humanDuration() {
        return Stream.of(
                // TestHumanDuration
                Arguments.of(S, "1s"),
                Arguments.of(S.multipliedBy(70), "70s"),
                Arguments.of(S.multipliedBy(190), "3m10s"),
                Arguments.of(M.multipliedBy(70), "70m"),
                Arguments.of(H.multipliedBy(47), "47h"),
                Arguments.of(H.multipliedBy(49), "2d1h"),
                Arguments.of(H.multipliedBy(8 * 24 + 2), "8d"),
                Arguments.of(H.multipliedBy(367 * 24), "367d"),
                Arguments.of(H.multipliedBy(365 * 2 * 24 + 25), "2y1d"),
                Arguments.of(H.multipliedBy(365 * 8 * 24 + 2), "8y"),
                // TestHumanDurationBoundaries
                Arguments.of(S.multipliedBy(-2), "<invalid>"),
                Arguments.of(S.multipliedBy(-2).plusNanos(1), "0s"),
                Arguments.of(Duration.ZERO, "0s"),
                Arguments.of(S.minus(MS), "0s"),
                Arguments.of(M.multipliedBy(2).minus(MS), "119s"),
                Arguments.of(M.multipliedBy(2), "2m"),
                Arguments.of(M.multipliedBy(2).plus(S), "2m1s"),
                Arguments.of(M.multipliedBy(10).minus(MS), "9m59s"),
                Arguments.of(M.multipliedBy(10), "10m"),
                Arguments.of(M.multipliedBy(10).plus(S), "10m"),
                Arguments.of(H.multipliedBy(3).minus(MS), "179m"),
                Arguments.of(H.multipliedBy(3), "3h"),
                Arguments.of(H.multipliedBy(3).plus(M), "3h1m"),
                Arguments.of(H.multipliedBy(8).minus(MS), "7h59m"),
                Arguments.of(H.multipliedBy(8), "8h"),
                Arguments.of(H.multipliedBy(8).plus(M.multipliedBy(59)), "8h"),
                Arguments.of(H.multipliedBy(48).minus(MS), "47h"),
                Arguments.of(H.multipliedBy(48), "2d"),
                Arguments.of(H.multipliedBy(49), "2d1h"),
                Arguments.of(H.multipliedBy(8 * 24).minus(MS), "7d23h"),
                Arguments.of(H.multipliedBy(8 * 24), "8d"),
                Arguments.of(H.multipliedBy(8 * 24 + 23), "8d"),
                Arguments.of(H.multipliedBy(2 * 365 * 24).minus(MS), "729d"),
                Arguments.of(H.multipliedBy(2 * 365 * 24), "2y"),
                Arguments.of(H.multipliedBy(2 * 365 * 24 + 23), "2y"),
                Arguments.of(H.multipliedBy(2 * 365 * 24 + 23).plus(M.multipliedBy(59)), "2y"),
                Arguments.of(H.multipliedBy(2 * 365 * 24 + 24).minus(MS), "2y"),
                Arguments.of(H.multipliedBy(2 * 365 * 24 + 24), "2y1d"),
                Arguments.of(H.multipliedBy(3 * 365 * 24), "3y"),
                Arguments.of(H.multipliedBy(4 * 365 * 24), "4y"),
                Arguments.of(H.multipliedBy(5 * 365 * 24), "5y"),
                Arguments.of(H.multipliedBy(6 * 365 * 24), "6y"),
                Arguments.of(H.multipliedBy(7 * 365 * 24), "7y"),
                Arguments.of(H.multipliedBy(8 * 365 * 24).minus(MS), "7y364d"),
                Arguments.of(H.multipliedBy(8 * 365 * 24), "8y"),
                Arguments.of(H.multipliedBy(8 * 365 * 24 + 364 * 24), "8y"),
                Arguments.of(H.multipliedBy(9 * 365 * 24), "9y"),
                // examples of the brief
                Arguments.of(S.multipliedBy(59), "59s"),
                Arguments.of(S.multipliedBy(179), "2m59s"),
                Arguments.of(M.multipliedBy(5).plus(S.multipliedBy(30)), "5m30s"),
                Arguments.of(H.multipliedBy(24 * (3 * 365 + 45)), "3y45d"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource
    void humanDuration(Duration d, String want) {
        assertEquals(want, HumanDuration.human(d));
    }

    static Stream<Arguments> shortHumanDuration() {
        return Stream.of(
                Arguments.of(S.multipliedBy(-2), "<invalid>"),
                Arguments.of(S.multipliedBy(-2).plusNanos(1), "0s"),
                Arguments.of(Duration.ZERO, "0s"),
                Arguments.of(S.minus(MS), "0s"),
                Arguments.of(S, "1s"),
                Arguments.of(S.multipliedBy(2).minus(MS), "1s"),
                Arguments.of(M.minus(MS), "59s"),
                Arguments.of(M, "1m"),
                Arguments.of(M.multipliedBy(2).minus(MS), "1m"),
                Arguments.of(H.minus(MS), "59m"),
                Arguments.of(H, "1h"),
                Arguments.of(H.multipliedBy(2).minus(MS), "1h"),
                Arguments.of(H.multipliedBy(24).minus(MS), "23h"),
                Arguments.of(H.multipliedBy(24), "1d"),
                Arguments.of(H.multipliedBy(48).minus(MS), "1d"),
                Arguments.of(H.multipliedBy(365 * 24).minus(MS), "364d"),
                Arguments.of(H.multipliedBy(365 * 24), "1y"),
                Arguments.of(H.multipliedBy(2 * 365 * 24).minus(MS), "1y"),
                Arguments.of(H.multipliedBy(2 * 365 * 24), "2y"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource
    void shortHumanDuration(Duration d, String want) {
        assertEquals(want, HumanDuration.shortHuman(d));
    }

    @Test
    void translateTimestampSince() {
        // printers_test.go TestTranslateTimestampSince, with a fixed "now"
        assertEquals("<invalid>", HumanDuration.translateTimestampSince(in(Duration.ofMillis(2100)), NOW), "a while from now");
        assertEquals("0s", HumanDuration.translateTimestampSince(in(Duration.ofMillis(1900)), NOW), "almost now");
        assertEquals("0s", HumanDuration.translateTimestampSince(NOW.toString(), NOW), "now");
        assertEquals("<unknown>", HumanDuration.translateTimestampSince(null, NOW), "unknown");
        assertEquals("<unknown>", HumanDuration.translateTimestampSince("", NOW), "empty");
        assertEquals("<unknown>", HumanDuration.translateTimestampSince("0001-01-01T00:00:00Z", NOW), "Go zero time");
        assertEquals("30s", HumanDuration.translateTimestampSince(ago(Duration.ofSeconds(30)), NOW), "30 seconds ago");
        assertEquals("5m", HumanDuration.translateTimestampSince(ago(Duration.ofMinutes(5)), NOW), "5 minutes ago");
        assertEquals("100m", HumanDuration.translateTimestampSince(ago(Duration.ofMinutes(100)), NOW), "an hour ago");
        assertEquals("2d", HumanDuration.translateTimestampSince(ago(Duration.ofDays(2)), NOW), "2 days ago");
        assertEquals("90d", HumanDuration.translateTimestampSince(ago(Duration.ofDays(90)), NOW), "months ago");
        assertEquals("10y", HumanDuration.translateTimestampSince(ago(Duration.ofDays(10 * 365)), NOW), "10 years ago");
    }

    @Test
    void translateTimestampSinceAcceptsOffsetsAndMicroseconds() {
        assertEquals("2m30s", HumanDuration.translateTimestampSince("2025-03-01T13:57:30+02:00", NOW));
        assertEquals("59s", HumanDuration.translateTimestampSince("2025-03-01T11:59:00.500000Z", NOW));
    }

    @Test
    void saturatesLikeGoDurations() {
        // 400 years do not fit in an int64 of nanoseconds: Go's Sub saturates at ~292 years.
        assertEquals("292y", HumanDuration.translateTimestampSince("1625-03-01T12:00:00Z", NOW));
        assertEquals("<invalid>", HumanDuration.human(Duration.ofDays(-400 * 365)));
        assertEquals(Long.MAX_VALUE, HumanDuration.between(Instant.parse("1600-01-01T00:00:00Z"), NOW));
    }
}
