package dev.tokenscope.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

/** The median the cold start table reports. */
class ColdStartBenchTest {

    private static final ToLongFunction<Long> SELF = Long::longValue;

    @Test
    void median_shouldBeTheMiddleTime_whenTheCountIsOdd() {
        assertEquals(700, ColdStartBench.median(List.of(900L, 650L, 700L, 2400L, 690L), SELF));
    }

    @Test
    void median_shouldBeTheLowerMiddleTime_whenTheCountIsEven() {
        assertEquals(650, ColdStartBench.median(List.of(900L, 650L, 700L, 600L), SELF));
    }

    @Test
    void median_shouldRefuse_whenThereAreNoRuns() {
        assertThrows(IllegalArgumentException.class, () -> ColdStartBench.median(List.<Long>of(), SELF));
    }
}
