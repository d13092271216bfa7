package dev.tokenscope.api;

import dev.tokenscope.figures.RetentionCohorts;
import dev.tokenscope.ingest.IngestService;
import dev.tokenscope.store.UploadStatus;
import dev.tokenscope.testing.Fixtures;
import dev.tokenscope.testing.InMemoryObjectStore;
import dev.tokenscope.testing.InMemoryRetentionStore;
import dev.tokenscope.testing.InMemoryRollupStore;
import dev.tokenscope.testing.InMemoryStatusStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * A SummaryApi over a store filled the way production fills it: the sample logs of events/, the hand-worked
 * figures dataset and a few vendor formats, plus eleven weeks of generated traffic (known, unknown and unpriced
 * models, prompts the real classifier reads, countries, tools, reasoning), all through the real IngestService;
 * and published retention cohorts. Today is {@link #TODAY}, so the default range (the last 30 days) holds data.
 */
final class PopulatedApi {

    static final String BUCKET = "tokenscope-test";
    static final LocalDate TODAY = LocalDate.of(2026, 11, 20);
    static final LocalDate FIRST_GENERATED_DAY = LocalDate.of(2026, 9, 1);
    /** Keys of the uploads ingested, for /v1/uploads. */
    static final List<String> UPLOAD_KEYS = List.of("logs/sample-usage.jsonl", "logs/sample-usage-with-errors.csv",
            "logs/hand.jsonl", "logs/openrouter/generations.jsonl", "logs/bedrock/invocations.jsonl",
            "logs/litellm/spend-logs.csv", "logs/generated.jsonl");

    private static final String[] MODELS = {"openai/gpt-4o-mini", "anthropic/claude-sonnet-4", "qwen/qwen3-coder",
        "deepseek/deepseek-r1", "meta-llama/llama-3.1-8b-instruct", "mistralai/mistral-small-3.1-24b-instruct",
        "google/gemini-2.5-flash", "acme/house-model-7b"};
    private static final String[] PROMPTS = {
        "Write a Python function that parses a CSV file and returns the rows as dictionaries",
        "Fix this SQL query: SELECT * FROM orders WHERE created_at > now() GROUP BY customer",
        "Traduis ce paragraphe en anglais, s'il te plaît, en gardant le ton formel",
        "Tell me a story about a dragon who guards a library in the mountains",
        "Summarise the attached quarterly report for the board in five bullet points",
        "Explain the difference between a mutex and a semaphore with an example in Java",
        "Schreibe eine E-Mail an den Kunden wegen der verspäteten Lieferung",
        "What are the symptoms of vitamin D deficiency and how is it treated?"};
    private static final String[] COUNTRIES = {"US", "DE", "FR", "CN", "BR", "IN", "JP", "GB"};

    private static SummaryApi shared;

    private PopulatedApi() {
    }

    /** One API for every test class that only reads: ingesting takes seconds. */
    static synchronized SummaryApi shared() {
        if (shared == null) {
            try {
                Path scratch = Files.createTempDirectory("populated-api");
                try {
                    shared = create(scratch);
                } finally {
                    try (var files = Files.walk(scratch)) {
                        files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    private static SummaryApi create(Path scratch) {
        InMemoryObjectStore objects = new InMemoryObjectStore();
        InMemoryRollupStore rollups = new InMemoryRollupStore();
        InMemoryStatusStore statuses = new InMemoryStatusStore();
        InMemoryRetentionStore retention = new InMemoryRetentionStore();
        Clock clock = Clock.fixed(TODAY.atTime(12, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        List<byte[]> files = List.of(Fixtures.resource(Fixtures.SAMPLE_JSONL), Fixtures.resource(Fixtures.SAMPLE_CSV),
                Fixtures.resource("/figures/hand.jsonl"), Fixtures.resource("/formats/openrouter/generations.jsonl"),
                Fixtures.resource("/formats/bedrock/invocations.jsonl"),
                Fixtures.resource("/formats/litellm/spend-logs.csv"), generated());
        try {
            for (int i = 0; i < files.size(); i++) {
                byte[] file = files.get(i);
                String key = UPLOAD_KEYS.get(i);
                objects.put(BUCKET, key, file, "application/octet-stream");
                UploadStatus status = new IngestService(objects, rollups, statuses, BUCKET,
                        Files.createDirectories(scratch.resolve("upload-" + i)), clock)
                        .ingest(new IngestService.Upload(BUCKET, key, Optional.of(InMemoryObjectStore.md5Hex(file)),
                                Optional.of(String.format("%02d", i))));
                if (status.recordsKept() == 0) {
                    throw new IllegalStateException(key + " gave no records: " + status.errors());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        retention.publish(RetentionCohorts.of(TODAY.minusDays(1), new RetentionCohorts.IdentityBasis(40, 2, 3),
                List.of(new RetentionCohorts.ActivityRow("qwen3-coder", YearMonth.of(2026, 9), 0, 12),
                        new RetentionCohorts.ActivityRow("qwen3-coder", YearMonth.of(2026, 9), 1, 7),
                        new RetentionCohorts.ActivityRow("qwen3-coder", YearMonth.of(2026, 9), 2, 8),
                        new RetentionCohorts.ActivityRow("qwen3-coder", YearMonth.of(2026, 10), 0, 5),
                        new RetentionCohorts.ActivityRow("gpt-4o-mini", YearMonth.of(2026, 11), 0, 9))));
        return new SummaryApi(rollups, statuses, retention, BUCKET, clock);
    }

    /** Eleven weeks of traffic, a few requests a day, the same on every run. */
    private static byte[] generated() {
        StringBuilder out = new StringBuilder();
        java.util.Random random = new java.util.Random(7);
        int n = 0;
        for (LocalDate day = FIRST_GENERATED_DAY; day.isBefore(TODAY); day = day.plusDays(1)) {
            for (int i = 0; i < 6; i++) {
                String model = MODELS[random.nextInt(MODELS.length)];
                int prompt = 50 + random.nextInt(30_000);
                int completion = 10 + random.nextInt(4_000);
                boolean priced = random.nextInt(4) != 0;
                boolean reasoning = model.contains("r1");
                out.append(String.format(java.util.Locale.ROOT,
                        "{\"request_id\":\"g%d\",\"timestamp\":\"%sT%02d:%02d:00Z\",\"user_id\":\"user-%d\","
                                + "\"model\":\"%s\",\"prompt\":\"%s\",\"prompt_tokens\":%d,\"completion_tokens\":%d,"
                                + "%s%s\"tools_offered\":%s,\"finish_reason\":\"%s\",\"country\":\"%s\"}\n",
                        n++, day, random.nextInt(24), random.nextInt(60), random.nextInt(30), model,
                        PROMPTS[random.nextInt(PROMPTS.length)], prompt, completion,
                        reasoning ? "\"reasoning_tokens\":" + completion / 2 + "," : "",
                        priced ? String.format(java.util.Locale.ROOT, "\"cost_usd\":%.8f,",
                                prompt * 0.0000004 + completion * 0.0000016) : "",
                        random.nextBoolean(), random.nextInt(5) == 0 ? "tool_calls" : "stop",
                        COUNTRIES[random.nextInt(COUNTRIES.length)]));
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
