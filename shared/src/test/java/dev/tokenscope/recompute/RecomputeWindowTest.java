package dev.tokenscope.recompute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecomputeWindowTest {

    /** 2026-11-05 at 23:30 UTC: still the 5th in UTC whatever the clock's zone. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-05T23:30:00Z"), ZoneOffset.ofHours(2));

    private static QueryEngine.Window window(LocalDate from, LocalDate to) {
        return new QueryEngine.Window(from, to);
    }

    @Test
    void of_shouldCoverTheLastNDaysToToday_whenThereIsNoDetail() {
        // given: 7 days ending today, 2026-11-05 (UTC)
        Map<String, Object> none = null;

        // when
        QueryEngine.Window w = RecomputeWindow.of(none, 7, CLOCK);

        // then: 11-05 minus 6 days = 10-30
        assertEquals(window(LocalDate.of(2026, 10, 30), LocalDate.of(2026, 11, 5)), w);
    }

    @Test
    void of_shouldCoverTheLastNDaysToToday_whenDetailIsEmptyOrHasOtherFields() {
        // given
        Map<String, Object> empty = Map.of();
        Map<String, Object> other = Map.of("reason", "nightly");

        // when
        QueryEngine.Window a = RecomputeWindow.of(empty, 1, CLOCK);
        QueryEngine.Window b = RecomputeWindow.of(other, 3, CLOCK);

        // then
        assertEquals(window(LocalDate.of(2026, 11, 5), LocalDate.of(2026, 11, 5)), a);
        assertEquals(window(LocalDate.of(2026, 11, 3), LocalDate.of(2026, 11, 5)), b);
    }

    @Test
    void of_shouldUseTheNamedDays_whenDetailHasFromAndTo() {
        // given
        Map<String, Object> detail = Map.of("from", " 2026-11-01 ", "to", "2026-11-07");

        // when
        QueryEngine.Window w = RecomputeWindow.of(detail, 7, CLOCK);

        // then
        assertEquals(window(LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 7)), w);
    }

    @Test
    void of_shouldEndToday_whenOnlyFromIsGiven() {
        // given
        Map<String, Object> detail = Map.of("from", "2026-10-01");

        // when
        QueryEngine.Window w = RecomputeWindow.of(detail, 7, CLOCK);

        // then
        assertEquals(window(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 11, 5)), w);
    }

    @Test
    void of_shouldStartNDaysBeforeTo_whenOnlyToIsGiven() {
        // given
        Map<String, Object> detail = new HashMap<>();
        detail.put("from", null);
        detail.put("to", "2026-01-03");

        // when
        QueryEngine.Window w = RecomputeWindow.of(detail, 7, CLOCK);

        // then: 01-03 minus 6 days crosses the year
        assertEquals(window(LocalDate.of(2025, 12, 28), LocalDate.of(2026, 1, 3)), w);
    }

    @Test
    void of_shouldAccept366Days_whenRangeIsTheLongestAllowed() {
        // given: 2025-01-01..2026-01-01 is 366 days
        Map<String, Object> detail = Map.of("from", "2025-01-01", "to", "2026-01-01");

        // when
        QueryEngine.Window w = RecomputeWindow.of(detail, 7, CLOCK);

        // then
        assertEquals(window(LocalDate.of(2025, 1, 1), LocalDate.of(2026, 1, 1)), w);
    }

    @Test
    void of_shouldThrow_whenTheRangeIsOver366Days() {
        // given: 367 days
        Map<String, Object> detail = Map.of("from", "2025-01-01", "to", "2026-01-02");

        // when
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RecomputeWindow.of(detail, 7, CLOCK));

        // then
        assertEquals("recompute window: at most 366 days per run", e.getMessage());
    }

    @Test
    void of_shouldThrow_whenFromIsAfterTo() {
        // given
        Map<String, Object> detail = Map.of("from", "2026-11-07", "to", "2026-11-01");

        // when
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RecomputeWindow.of(detail, 7, CLOCK));

        // then
        assertEquals("recompute window: from 2026-11-07 is after to 2026-11-01", e.getMessage());
    }

    @Test
    void of_shouldThrowNamingTheField_whenADayIsNotADate() {
        // given
        Map<String, Object> detail = Map.of("from", "2026-11-01", "to", "next week");

        // when
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RecomputeWindow.of(detail, 7, CLOCK));

        // then
        assertEquals("recompute window: to must be YYYY-MM-DD, got 'next week'", e.getMessage());
    }

    @Test
    void window_shouldThrow_whenItStartsAfterItEnds() {
        // given
        LocalDate from = LocalDate.of(2026, 11, 2);
        LocalDate to = LocalDate.of(2026, 11, 1);

        // when
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new QueryEngine.Window(from, to));

        // then
        assertEquals("window starts after it ends: 2026-11-02 > 2026-11-01", e.getMessage());
    }
}
