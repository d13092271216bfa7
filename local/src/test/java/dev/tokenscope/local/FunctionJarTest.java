package dev.tokenscope.local;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** The Lambda jar stays small and holds only what the functions run: no local engines, no test code. */
class FunctionJarTest {

    private static final long MAX_BYTES = 20L << 20;

    @Test
    void lambdaJar_shouldHoldTheHandlersAndNoLocalOrTestCode_whenBuilt() throws IOException {
        // given: the jar `mvn package` builds for sam build (the reactor builds functions before local)
        Path jar = TestStack.projectRoot().resolve("functions/target/tokenscope-functions-lambda.jar");
        assertTrue(Files.isRegularFile(jar), "build the functions module first: " + jar);

        // when
        long size = Files.size(jar);
        System.out.printf("Lambda jar %s: %.1f MB%n", jar.getFileName(), size / 1e6);
        List<String> entries;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            entries = zip.stream().map(e -> e.getName()).toList();
        }

        // then
        assertTrue(size < MAX_BYTES, "the Lambda jar is " + size + " bytes, over 20 MiB");
        for (String handler : List.of("IngestHandler", "SummaryApiHandler", "RecomputeHandler")) {
            assertTrue(entries.contains("dev/tokenscope/functions/" + handler + ".class"), handler + " missing");
        }
        for (String forbidden : List.of("org/duckdb/", "com/adobe/testing/", "org/springframework/", "org/junit/",
                "dev/tokenscope/testing/", "dev/tokenscope/local/", "org/yaml/")) {
            assertTrue(entries.stream().noneMatch(e -> e.startsWith(forbidden)), "the Lambda jar holds " + forbidden);
        }
    }
}
