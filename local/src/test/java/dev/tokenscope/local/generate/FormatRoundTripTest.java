package dev.tokenscope.local.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.catalog.ModelCatalog;
import dev.tokenscope.ingest.BodyResolver;
import dev.tokenscope.ingest.FormatRegistry;
import dev.tokenscope.ingest.Limits;
import dev.tokenscope.ingest.LogReaders;
import dev.tokenscope.ingest.ParsedLine;
import dev.tokenscope.ingest.UsageRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What each format writes, the project's readers read back as the requests the generator meant. */
class FormatRoundTripTest {

    @TempDir
    Path dir;

    private static Workload sample() {
        return new Workload(WorkloadPlan.defaults(0, 7).with(Map.of("records", "1500", "weeks", "6")),
                ModelCatalog.builtIn());
    }

    private Map<String, UsageRecord> readBack(String format) throws IOException {
        Map<String, UsageRecord> records = new HashMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        assertEquals(6, files.size(), "one file per week");
        for (Path file : files) {
            String key = "logs/" + dir.relativize(file).toString().replace('\\', '/');
            try (InputStream in = Files.newInputStream(file);
                 LogReaders.Opened opened = LogReaders.open(file.toString(), key, in,
                         FormatRegistry.standard(Map.of()), Optional.empty(), Limits.DEFAULT, BodyResolver.NONE)) {
                assertEquals(format, opened.format().id(), "detected format of " + key);
                while (opened.reader().hasNext()) {
                    ParsedLine line = opened.reader().next();
                    if (line instanceof ParsedLine.Bad bad) {
                        throw new AssertionError(key + ":" + bad.line() + " " + bad.error());
                    }
                    UsageRecord r = ((ParsedLine.Good) line).record();
                    records.put(r.requestId().orElseThrow(), r);
                }
            }
        }
        return records;
    }

    @ParameterizedTest
    @ValueSource(strings = {"canonical", "bedrock", "openrouter", "litellm", "otel"})
    void write_should_readBackAsMeant_when_readByTheProjectsReaders(String format) throws IOException {
        // given
        Workload workload = sample();
        FormatWriter writer = FormatWriter.named(format);
        // when
        long written = GenerateCommand.write(workload, writer, dir);
        Map<String, UsageRecord> read = readBack(format);
        // then
        assertEquals(1500, written);
        assertEquals(1500, read.size());
        for (int w = 0; w < 6; w++) {
            workload.week(w).forEachRemaining(meant -> check(format, meant, read.get(meant.requestId())));
        }
    }

    private static void check(String format, SyntheticRequest meant, UsageRecord r) {
        String what = format + " " + meant.requestId();
        boolean bedrock = format.equals("bedrock");
        assertEquals(bedrock ? meant.model().bedrockId() : meant.model().slug(), r.model(), what);
        assertEquals(meant.timestamp(), r.timestamp(), what);
        assertEquals(meant.promptTokens(), r.promptTokens(), what);
        assertEquals(meant.completionTokens(), r.completionTokens(), what);
        assertEquals(Optional.of(bedrock ? BedrockWriter.arn(meant) : meant.userId()), r.userId(), what);
        assertEquals(1, r.requests(), what);
        if (!bedrock) {
            assertEquals(meant.reasoningTokens(), r.reasoningTokens(), what);
        }
        if (bedrock || format.equals("otel")) {
            assertTrue(r.costUsd().isEmpty(), what + ": the format states no cost, the catalog prices it");
        } else {
            assertEquals(0, meant.costUsd().compareTo(r.costUsd().orElseThrow()), what);
        }
        if (!format.equals("openrouter")) {
            // OpenRouter's generation records carry no text and no tools.
            assertEquals(Optional.of(meant.prompt()), r.prompt(), what);
            assertEquals(Optional.of(meant.systemPrompt()), r.systemPrompt(), what);
            assertEquals(meant.tools(), r.tools(), what);
            assertEquals(meant.toolsOffered(), r.toolsOffered(), what);
            assertEquals(Optional.of(meant.toolCalled()), r.toolCalled(), what);
        }
        assertEquals(OptionalLong.of(meant.latencyMs()), r.latencyMs(), what);
        assertTrue(r.finishReason().isPresent(), what);
        if (format.equals("canonical")) {
            assertEquals(Optional.of(meant.country()), r.country(), what);
        }
        if (!bedrock) {
            assertEquals(meant.streamed(), r.streamed(), what);
        }
    }
}
