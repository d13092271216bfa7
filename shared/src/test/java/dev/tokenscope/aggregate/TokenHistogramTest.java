package dev.tokenscope.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenHistogramTest {

    @ParameterizedTest
    @CsvSource({
        // tokens, bucket: exact below 32 (16 per power of two from 16 on), then 16 per power of two
        "0, 0", "1, 1", "15, 15", "16, 16", "31, 31", "32, 32", "33, 32", "34, 33", "63, 47", "64, 48",
        "67, 48", "68, 49", "1000, 111", "20000, 179", "1048576, 272"})
    void bucket_shouldCutEachPowerOfTwoInSixteen_whenCountsGrow(long tokens, int bucket) {
        // e.g. 1000 = 2^9 * 1.953: exponent 9, top five bits 11111 = 31 -> 16 * 6 + 31 - 16 = 111
        assertEquals(bucket, TokenHistogram.bucket(tokens));
        assertTrue(TokenHistogram.lowest(bucket) <= tokens && tokens < TokenHistogram.lowest(bucket + 1));
    }

    @Test
    void bucket_shouldKeepEveryCountWithin3Percent_whenReadBackAsTheMiddle() {
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            long tokens = 32 + (long) Math.exp(random.nextDouble() * Math.log(2_000_000));
            double middle = TokenHistogram.middle(TokenHistogram.bucket(tokens));
            assertTrue(Math.abs(middle - tokens) / tokens <= 0.0313, tokens + " read back as " + middle);
        }
    }

    @Test
    void quantile_shouldBeTheMiddleOfTheRanksBucket_whenCountsAreKnown() {
        // given: 100 requests of 10 tokens, 100 of 1000 (bucket 111: 992..1023, middle 1007.5)
        Map<Integer, Long> histogram = new HashMap<>();
        histogram.put(TokenHistogram.bucket(10), 100L);
        histogram.put(TokenHistogram.bucket(1000), 100L);

        // then: rank 100 is the last 10, rank 101 the first 1000
        assertEquals(10.0, TokenHistogram.quantile(histogram, 0.5));
        assertEquals(1007.5, TokenHistogram.quantile(histogram, 0.505));
        assertEquals(1007.5, TokenHistogram.quantile(histogram, 0.99));
        assertTrue(Double.isNaN(TokenHistogram.quantile(Map.of(), 0.5)));
    }
}
