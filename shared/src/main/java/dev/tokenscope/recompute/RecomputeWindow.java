package dev.tokenscope.recompute;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Which days a recompute covers: the last N days up to today (UTC), or the from/to an on-demand run names. The
 * days are parsed strictly (YYYY-MM-DD, ASCII digits, within the years records may have), so nothing of the
 * event's text reaches the queries: they take the parsed days as parameters.
 */
public final class RecomputeWindow {

    static final int MAX_DAYS = 366;
    /** The days a record may fall on (CanonicalFields refuses timestamps outside them). */
    private static final LocalDate FIRST = LocalDate.of(2000, 1, 1);
    private static final LocalDate LAST = LocalDate.of(2099, 12, 31);

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
        LocalDate day;
        try {
            day = LocalDate.parse(value.toString().trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("recompute window: " + name + " must be YYYY-MM-DD, got "
                    + AthenaQueryEngine.shown(value.toString()));
        }
        if (day.isBefore(FIRST) || day.isAfter(LAST)) {
            throw new IllegalArgumentException("recompute window: " + name + " must be a day in 2000..2099, got "
                    + day);
        }
        return day;
    }
}
