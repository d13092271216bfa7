package dev.tokenscope.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The line FunctionJarSmoke prints, read back into a run's times and memory. */
class FunctionJvmTest {

    @Test
    void parse_shouldSplitTheAnswerFromTheMetrics_whenTheAnswerHoldsTheSeparatorToo() {
        // given: an API answer whose body holds " | " itself
        String line = "200 {\"note\":\"a | b\"} | main_at=1000 built_at=1400 handled_at=1650 peak_rss_kb=204800"
                + " heap_max_mb=256";

        // when
        FunctionJvm.Run run = FunctionJvm.parse(line, 900);

        // then
        assertEquals("200 {\"note\":\"a | b\"}", run.answer());
        assertEquals(750, run.totalMs());
        assertEquals(100, run.jvmMs());
        assertEquals(400, run.buildMs());
        assertEquals(250, run.handleMs());
        assertEquals(204800, run.peakRssKb());
        assertEquals(256, run.heapMaxMb());
        assertEquals(Map.of(), run.steps());
    }

    @Test
    void parse_shouldGiveTheStepsInOrder_whenTheHandlersStartWasTakenApart() {
        // given
        String line = "done | main_at=1000 built_at=1400 handled_at=1650 peak_rss_kb=1 heap_max_mb=2"
                + " step_s3_client_ms=120 step_model_catalog_ms=80";

        // when
        FunctionJvm.Run run = FunctionJvm.parse(line, 900);

        // then
        assertEquals(List.of("s3_client", "model_catalog"), List.copyOf(run.steps().keySet()));
        assertEquals(120, run.steps().get("s3_client"));
    }

    @Test
    void parse_shouldRefuseTheLine_whenAMetricIsMissing() {
        assertThrows(IllegalArgumentException.class,
                () -> FunctionJvm.parse("done | main_at=1 built_at=2 handled_at=3 heap_max_mb=4", 0));
        assertThrows(IllegalArgumentException.class, () -> FunctionJvm.parse("no metrics here", 0));
    }
}
