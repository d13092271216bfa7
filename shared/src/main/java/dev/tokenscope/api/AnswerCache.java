package dev.tokenscope.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Answers the API computed, kept while the rollups have not changed since (their change count is the same) and
 * for at most a minute, the age the figures' Cache-Control allows. A dashboard asks the same figures again and
 * again; a cached answer costs one read of the count instead of reading and summing thousands of items. The
 * minute bounds what a change the count missed (a function that died between its writes and the count) can cost.
 * Bounded by the characters it holds, least recently used first out. One per process (a Lambda container).
 */
final class AnswerCache {

    static final Duration MAX_AGE = Duration.ofSeconds(60);
    /** About 32 MB of answers (two bytes a character). */
    static final long MAX_CHARS = 16L * 1024 * 1024;

    private record Entry(long changes, Instant stored, ApiResponse response) {
    }

    private final Clock clock;
    private final long maxChars;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long chars;

    AnswerCache(Clock clock) {
        this(clock, MAX_CHARS);
    }

    AnswerCache(Clock clock, long maxChars) {
        this.clock = clock;
        this.maxChars = maxChars;
    }

    /** The answer stored for this request, if the rollups are at the same change count and it is young enough. */
    synchronized Optional<ApiResponse> get(String request, long changes) {
        Entry entry = entries.get(request);
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.changes() != changes || entry.stored().plus(MAX_AGE).isBefore(clock.instant())) {
            remove(request);
            return Optional.empty();
        }
        return Optional.of(entry.response());
    }

    /** Keeps an answer computed at this change count (read before it was computed). */
    synchronized void put(String request, long changes, ApiResponse response) {
        long size = request.length() + (long) response.body().length();
        if (size > maxChars) {
            return;
        }
        remove(request);
        entries.put(request, new Entry(changes, clock.instant(), response));
        chars += size;
        Iterator<Map.Entry<String, Entry>> oldest = entries.entrySet().iterator();
        while (chars > maxChars && oldest.hasNext()) {
            Map.Entry<String, Entry> out = oldest.next();
            chars -= out.getKey().length() + (long) out.getValue().response().body().length();
            oldest.remove();
        }
    }

    synchronized int size() {
        return entries.size();
    }

    private void remove(String request) {
        Entry gone = entries.remove(request);
        if (gone != null) {
            chars -= request.length() + (long) gone.response().body().length();
        }
    }
}
