package dev.tokenscope.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRank_shouldGiveTheValueAtTheRank_whenThereAreAHundredValues() {
        // given 1..100
        long[] sorted = LongStream.rangeClosed(1, 100).toArray();

        // then p50 is the 50th value, p99 the 99th, p100 the largest
        assertEquals(50, Percentiles.nearestRank(sorted, 0.50));
        assertEquals(90, Percentiles.nearestRank(sorted, 0.90));
        assertEquals(99, Percentiles.nearestRank(sorted, 0.99));
        assertEquals(100, Percentiles.nearestRank(sorted, 1.0));
    }

    @Test
    void nearestRank_shouldRoundTheRankUp_whenItFallsBetweenTwoValues() {
        // given 10 values: p99 asks for rank 9.9, p50 for rank 5, p1 for rank 0.1
        long[] sorted = LongStream.rangeClosed(1, 10).map(i -> i * 10).toArray();

        // then the rank rounds up, and the lowest rank is the first value
        assertEquals(100, Percentiles.nearestRank(sorted, 0.99));
        assertEquals(50, Percentiles.nearestRank(sorted, 0.50));
        assertEquals(10, Percentiles.nearestRank(sorted, 0.01));
    }

    @Test
    void nearestRank_shouldGiveTheOnlyValue_whenThereIsOne() {
        assertEquals(7, Percentiles.nearestRank(new long[] {7}, 0.5));
        assertEquals(7, Percentiles.nearestRank(new long[] {7}, 0.99));
    }

    @Test
    void nearestRank_shouldGiveZero_whenThereAreNoValues() {
        assertEquals(0, Percentiles.nearestRank(new long[0], 0.99));
    }

    @Test
    void nearestRank_shouldRefuse_whenTheFractionIsOutsideZeroToOne() {
        assertThrows(IllegalArgumentException.class, () -> Percentiles.nearestRank(new long[] {1}, 0));
        assertThrows(IllegalArgumentException.class, () -> Percentiles.nearestRank(new long[] {1}, 99));
    }
}
