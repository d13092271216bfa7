package dev.tokenscope.recompute;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** Which days a recompute covers: the last N days up to today (UTC), or the from/to an on-demand run names. */
public final class RecomputeWindow {

    static final int MAX_DAYS = 366;

    private RecomputeWindow() {
    }

    public static QueryEngine.Window of(Map<String, Object> detail, int defaultDays, Clock clock) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        if (detail == null || (detail.get("from") == null && detail.get("to") == null)) {
            return new QueryEngine.Window(today.minusDays(defaultDays - 1L), today);
        }
        LocalDate to = day(detail, "to", today);
        LocalDate from = day(detail, "from", to.minusDays(defaultDays - 1L));
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("recompute window: from " + from + " is after to " + to);
        }
        if (ChronoUnit.DAYS.between(from, to) + 1 > MAX_DAYS) {
            throw new IllegalArgumentException("recompute window: at most " + MAX_DAYS + " days per run");
        }
        return new QueryEngine.Window(from, to);
    }

    private static LocalDate day(Map<String, Object> detail, String name, LocalDate fallback) {
        Object value = detail.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return LocalDate.parse(value.toString().trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("recompute window: " + name + " must be YYYY-MM-DD, got '" + value + "'");
        }
    }
}
