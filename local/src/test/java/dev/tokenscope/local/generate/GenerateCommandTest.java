package dev.tokenscope.local.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.tokenscope.catalog.ModelCatalog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command's output is the same bytes for the same arguments, and is produced as a stream. */
class GenerateCommandTest {

    @TempDir
    Path dir;

    private byte[] run(String seed, String out) throws IOException {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int code = GenerateCommand.run(List.of("--records", "3000", "--seed", seed, "--format", "litellm", "--out",
                dir.resolve(out).toString()), new PrintStream(stdout), System.err);
        assertEquals(0, code);
        assertTrue(stdout.toString(StandardCharsets.UTF_8).startsWith("3,000 litellm records"));
        return Files.readAllBytes(dir.resolve(out).resolve("spend-logs-2025-06-02.jsonl.gz"));
    }

    @Test
    void run_should_writeTheSameBytes_when_sameSeed() throws IOException {
        assertArrayEquals(run("5", "a"), run("5", "b"));
    }

    @Test
    void run_should_writeOtherBytes_when_otherSeed() throws IOException {
        assertFalse(java.util.Arrays.equals(run("5", "a"), run("6", "b")));
    }

    @Test
    void run_should_writeOneFilePerWeek_when_defaultPlan() throws IOException {
        run("5", "a");
        try (var files = Files.list(dir.resolve("a"))) {
            assertEquals(52, files.count());
        }
    }

    @Test
    void week_should_streamRequests_when_farMoreThanMemoryHolds() {
        // given a trillion requests: a generator that listed them first would never return the first one
        Workload workload = new Workload(WorkloadPlan.defaults(1_000_000_000_000L, 1), ModelCatalog.builtIn());
        // when / then
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Iterator<SyntheticRequest> week = workload.week(0);
            for (int i = 0; i < 10_000; i++) {
                assertTrue(week.next().tokens() > 0);
            }
        });
    }

    @Test
    void run_should_refuseWithUsage_when_unknownKnob() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = GenerateCommand.run(List.of("--records", "10", "--out", dir.toString(), "--set", "colour=red"),
                System.out, new PrintStream(err));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown knob 'colour'"));
    }

    @Test
    void with_should_changeOnlyTheNamedKnobs_when_overridden() {
        WorkloadPlan plan = WorkloadPlan.defaults(100, 1).with(Map.of("programmingShareEnd", "0.6",
                "loyalRetention", "0.5,0.4"));
        assertEquals(0.6, plan.programmingShare(51), 1e-9);
        assertEquals(0.11, plan.programmingShare(0), 1e-9);
        assertEquals(0.4, plan.retention(plan.loyalCohort(), 5), 1e-9);
        assertEquals(WorkloadPlan.defaults(100, 1).chineseOpenShareEnd(), plan.chineseOpenShareEnd());
    }
}
