package dev.tokenscope.local;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each function's jar stays small and holds only what its function runs: its handler, no local engines, no
 * test code, and none of the SDK modules or models that only another function needs. FunctionJarsIT runs each
 * jar on its own.
 */
class FunctionJarTest {

    private static final long MAX_BYTES = 20L << 20;

    /**
     * Never in a function jar. The Glue client among them: it alone is about 10 MB, and the recompute keeps the
     * Parquet table's partitions in Glue through Athena DDL instead.
     */
    private static final List<String> NEVER = List.of("org/duckdb/", "com/adobe/testing/", "org/springframework/",
            "org/junit/", "dev/tokenscope/testing/", "dev/tokenscope/local/", "org/yaml/",
            "software/amazon/awssdk/services/glue/");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ingest    | IngestHandler     | software/amazon/awssdk/services/athena/ dashboard/",
        "api       | SummaryApiHandler | software/amazon/awssdk/services/athena/ software/amazon/awssdk/services/bedrockruntime/ classify/",
        "recompute | RecomputeHandler  | software/amazon/awssdk/services/bedrockruntime/ classify/ dashboard/"})
    void lambdaJar_shouldHoldItsHandlerAndNothingItNeverLoads_whenBuilt(String function, String handler,
                                                                       String notNeeded) throws IOException {
        // given: the jar `mvn package` builds for sam build (the reactor builds functions before local)
        Path jar = jar(function);

        // when
        long size = Files.size(jar);
        System.out.printf("Lambda jar %s: %.1f MB%n", jar.getFileName(), size / 1e6);
        List<String> entries = entries(jar);

        // then
        assertTrue(size < MAX_BYTES, jar.getFileName() + " is " + size + " bytes, over 20 MiB");
        assertTrue(entries.contains("dev/tokenscope/functions/" + handler + ".class"), handler + " missing");
        List<String> forbidden = new java.util.ArrayList<>(NEVER);
        forbidden.addAll(List.of(notNeeded.split(" ")));
        for (String prefix : forbidden) {
            assertTrue(entries.stream().noneMatch(e -> e.startsWith(prefix)), jar.getFileName() + " holds " + prefix);
        }
    }

    @Test
    void apiJar_shouldHoldTheDashboardAndTheChartLibrarysLicences_whenBuilt() throws IOException {
        // when
        List<String> entries = entries(jar("api"));

        // then
        for (String file : List.of("index.html", "dashboard.js", "dashboard.css", "vendor/echarts/echarts.min.js",
                "vendor/echarts/LICENSE", "vendor/echarts/NOTICE", "vendor/echarts/LICENSE-d3",
                "vendor/echarts/LICENSE-zrender")) {
            assertTrue(entries.contains("dashboard/" + file), "dashboard/" + file + " missing");
        }
    }

    private static Path jar(String function) {
        Path jar = TestStack.projectRoot().resolve("functions/target/tokenscope-" + function + "-lambda.jar");
        assertTrue(Files.isRegularFile(jar), "build the functions module first: " + jar);
        return jar;
    }

    private static List<String> entries(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().map(e -> e.getName()).toList();
        }
    }
}
