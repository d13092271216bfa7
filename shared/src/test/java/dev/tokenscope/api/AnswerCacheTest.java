package dev.tokenscope.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.testing.MovingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnswerCacheTest {

    private static final Instant NOW = Instant.parse("2026-11-05T12:00:00Z");

    private static ApiResponse answer(String body) {
        return new ApiResponse(200, Map.of(), body);
    }

    @Test
    void get_shouldGiveTheAnswer_whileTheRollupsHaveNotChanged() {
        // given
        MovingClock clock = new MovingClock(NOW);
        AnswerCache cache = new AnswerCache(clock);
        cache.put("usage", 7, answer("{\"a\":1}"));

        // when
        clock.advance(Duration.ofSeconds(59));

        // then
        assertEquals(Optional.of(answer("{\"a\":1}")), cache.get("usage", 7));
        assertEquals(Optional.empty(), cache.get("figure", 7), "another request");
    }

    @Test
    void get_shouldMiss_whenTheRollupsChangedSince() {
        // given
        AnswerCache cache = new AnswerCache(new MovingClock(NOW));
        cache.put("usage", 7, answer("{}"));

        // when the change count moved on
        Optional<ApiResponse> after = cache.get("usage", 8);

        // then it is gone for good, even at the old count
        assertEquals(Optional.empty(), after);
        assertEquals(Optional.empty(), cache.get("usage", 7));
        assertEquals(0, cache.size());
    }

    @Test
    void get_shouldMiss_whenTheAnswerIsOlderThanAMinute() {
        // given
        MovingClock clock = new MovingClock(NOW);
        AnswerCache cache = new AnswerCache(clock);
        cache.put("usage", 7, answer("{}"));

        // when
        clock.advance(AnswerCache.MAX_AGE.plusMillis(1));

        // then: a change the count missed costs at most the age Cache-Control allows
        assertEquals(Optional.empty(), cache.get("usage", 7));
    }

    @Test
    void put_shouldDropTheLeastRecentlyUsed_whenTheAnswersOutgrowTheLimit() {
        // given room for about three answers of 10 characters with their keys
        AnswerCache cache = new AnswerCache(new MovingClock(NOW), 36);
        cache.put("a", 1, answer("0123456789"));
        cache.put("b", 1, answer("0123456789"));
        cache.put("c", 1, answer("0123456789"));
        cache.get("a", 1);

        // when a fourth comes
        cache.put("d", 1, answer("0123456789"));

        // then b, the least recently used, made room
        assertEquals(Optional.empty(), cache.get("b", 1));
        assertTrue(cache.get("a", 1).isPresent());
        assertTrue(cache.get("d", 1).isPresent());
        assertEquals(3, cache.size());
    }

    @Test
    void put_shouldKeepNothing_whenOneAnswerIsLargerThanTheLimit() {
        // given
        AnswerCache cache = new AnswerCache(new MovingClock(NOW), 10);

        // when
        cache.put("big", 1, answer("x".repeat(20)));

        // then
        assertEquals(0, cache.size());
    }

    @Test
    void put_shouldReplaceTheAnswer_whenTheSameRequestIsKeptAgain() {
        // given
        AnswerCache cache = new AnswerCache(new MovingClock(NOW), Duration.ofDays(1).toSeconds());
        cache.put("usage", 1, answer("old"));

        // when
        cache.put("usage", 2, answer("new"));

        // then
        assertEquals(Optional.of(answer("new")), cache.get("usage", 2));
        assertEquals(1, cache.size());
    }
}
