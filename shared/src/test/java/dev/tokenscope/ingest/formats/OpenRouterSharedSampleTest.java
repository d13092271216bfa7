package dev.tokenscope.ingest.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.ingest.LogFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * shared/data holds no OpenRouter sample, so this checks the other side: neither OpenRouter format, nor either
 * OpenAI usage-API format, claims another vendor's real sample (Bedrock, LiteLLM, OTel, chat completion, responses).
 */
class OpenRouterSharedSampleTest {

    private static final Path DATA = Path.of("../../shared/data/formats");

    @Test
    void detect_shouldScoreZero_whenFileIsAnotherVendorsSharedSample() throws IOException {
        // given
        assertTrue(Files.isDirectory(DATA), () -> "missing shared samples " + DATA.toAbsolutePath().normalize());
        List<Path> others;
        try (Stream<Path> files = Files.walk(DATA)) {
            others = files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("organization_"))
                    .filter(f -> !f.getFileName().toString().equals("SOURCE.md"))
                    .sorted().toList();
        }
        List<LogFormat> mine = List.of(new OpenRouterGenerationFormat(), new OpenRouterActivityFormat(),
                new OpenAiUsageFormat(), new OpenAiCostsFormat());

        // when / then
        assertFalse(others.isEmpty());
        for (Path file : others) {
            String head = Files.readString(file, StandardCharsets.UTF_8);
            for (LogFormat format : mine) {
                assertEquals(0, format.detect(file.toString(), head), () -> format.id() + " claims " + file);
            }
        }
    }
}
