package dev.tokenscope.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.tokenscope.api.SummaryApi;
import dev.tokenscope.catalog.ModelCatalog;
import dev.tokenscope.config.Settings;
import dev.tokenscope.ingest.Enricher;
import dev.tokenscope.ingest.FormatRegistry;
import dev.tokenscope.ingest.IngestService;
import dev.tokenscope.ingest.Limits;
import dev.tokenscope.ingest.PromptStorage;
import dev.tokenscope.recompute.QueryEngine;
import dev.tokenscope.recompute.RecomputeService;
import dev.tokenscope.store.RecomputeLease;
import dev.tokenscope.store.RollupStore;
import dev.tokenscope.store.UploadStatus;
import dev.tokenscope.testing.CrashingRollupStore;
import dev.tokenscope.testing.FakeQueryEngine;
import dev.tokenscope.testing.Fixtures;
import dev.tokenscope.testing.InMemoryObjectStore;
import dev.tokenscope.testing.InMemoryRetentionStore;
import dev.tokenscope.testing.InMemoryRollupStore;
import dev.tokenscope.testing.InMemoryStatusStore;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three functions never log environment variables, credentials or prompt text, on their paths that succeed
 * and on those that fail. A unique marker is put in prompts, system prompts and tool names of every kind of file
 * (good, quarantined in every way a reason could quote it, rejected, cut short, crashing mid-ingest) and in the
 * settings (the prompt hash key, AWS-style secrets); everything the handlers write to System.out, System.err and
 * the Lambda logger, and every exception as the Lambda runtime prints it (message, causes and stack), is searched
 * for it. So are what a user sees of an upload (its status and quarantine object) and the API's answers.
 */
class LogPrivacyTest {

    /** Letters and digits only: it survives any escaping a message does, so hiding it needs leaving it out. */
    private static final String MARKER = "zqxMarker7f3a9c";
    private static final String UPLOADS = "tokenscope-local";
    private static final String DATA = "tokenscope-data";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-04T12:30:01Z"), ZoneOffset.UTC);
    private static final String OK = "\"timestamp\":\"2026-11-02T10:00:00Z\",\"model\":\"gpt-4o\",\"prompt_tokens\":10";

    /** What the functions would read from their environment, secrets and the hash key holding the marker. */
    private static final Map<String, String> ENV = Map.of(
            Settings.TABLE_NAME, "tokenscope-usage",
            Settings.DATA_BUCKET, DATA,
            Settings.PROMPT_HASH_KEY, "hash-key-" + MARKER,
            Settings.FORMAT_BY_PREFIX, "",
            "AWS_ACCESS_KEY_ID", "AKIA" + MARKER,
            "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/" + MARKER,
            "AWS_SESSION_TOKEN", "IQoJb3JpZ2luX2VjE" + MARKER);

    @TempDir
    Path scratch;

    private final InMemoryObjectStore objects = new InMemoryObjectStore();
    private final InMemoryRollupStore rollups = new InMemoryRollupStore();
    private final InMemoryStatusStore statuses = new InMemoryStatusStore();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final StringBuilder thrown = new StringBuilder();
    private final RecordingContext context = new RecordingContext();
    private PrintStream out;
    private PrintStream err;

    @BeforeEach
    void capture() {
        out = System.out;
        err = System.err;
        System.setOut(new PrintStream(new Tee(out, printed), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(err, printed), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(out);
        System.setErr(err);
    }

    @Test
    void handlers_shouldLogNoPromptToolNameOrSecret_whenFilesAreGoodBadRejectedCutOrTheIngestCrashes()
            throws Exception {
        // given: the settings as the functions read them, and uploads of every kind holding the marker
        Settings settings = Settings.from(ENV, Settings.Role.INGEST);
        Map<String, byte[]> uploads = uploads();
        uploads.forEach((key, bytes) -> objects.put(UPLOADS, key, bytes, "application/octet-stream"));

        // when: each is ingested; then the crash, the API over what was ingested, and recomputes
        IngestHandler ingest = new IngestHandler(ingestService(settings, rollups));
        for (String key : uploads.keySet()) {
            invoke(() -> ingest.handleRequest(IngestHandlerTest.event("ObjectCreated:Put", key, null, null),
                    context));
        }
        objects.put(UPLOADS, "logs/crash.jsonl", uploads.get("logs/good.jsonl"), "application/x-ndjson");
        IngestHandler crashing = new IngestHandler(ingestService(settings, new CrashingRollupStore(rollups, 1)));
        invoke(() -> crashing.handleRequest(IngestHandlerTest.event("ObjectCreated:Put", "logs/crash.jsonl", null,
                null), context));
        List<String> answers = askTheApi(uploads.keySet());
        recompute();

        // then: the marker is nowhere the functions wrote to, nor in what a user sees of the uploads
        String logs = printed.toString(StandardCharsets.UTF_8) + context.logged() + thrown;
        assertFalse(logs.contains(MARKER), () -> "logged: " + excerpt(logs));
        for (UploadStatus status : statuses.history()) {
            assertFalse(status.errors().toString().contains(MARKER), () -> "status: " + status.errors());
        }
        for (String key : objects.keys(DATA, "")) {
            String text = text(objects.get(DATA, key).orElseThrow().bytes());
            assertFalse(text.contains(MARKER), () -> DATA + "/" + key + ": " + excerpt(text));
        }
        for (String answer : answers) {
            assertFalse(answer.contains(MARKER), () -> "API: " + excerpt(answer));
        }

        // and the paths meant were taken: the marker was there to be found, and every outcome happened
        uploads.forEach((key, bytes) -> assertTrue(text(bytes).contains(MARKER) || key.equals("logs/header.jsonl.gz"),
                key));
        Set<String> outcomes = new TreeSet<>();
        statuses.history().forEach(s -> outcomes.add(s.state() + (s.recordsQuarantined() > 0 ? "+quarantined" : "")));
        assertEquals(Set.of("COMPLETE+quarantined", "FAILED", "PROCESSING", "REJECTED"), outcomes);
        assertTrue(context.logged().contains(" complete read="), context.logged());
        assertTrue(context.logged().contains("recomputed 2026-10-29..2026-11-04"), context.logged());
        assertTrue(context.logged().contains("skipped: "), context.logged());
        assertTrue(thrown.toString().contains("simulated crash on write "), thrown.toString());
        assertTrue(thrown.toString().contains("Athena query q-1 FAILED"), thrown.toString());
    }

    @Test
    void settings_shouldNeverPrintTheHashKey_whenPrintedOrRefused() {
        // given: a valid key, and one too short to use, both holding the marker
        Settings settings = Settings.from(ENV, Settings.Role.INGEST);
        Map<String, String> shortKey = new LinkedHashMap<>(ENV);
        shortKey.put(Settings.PROMPT_HASH_KEY, MARKER);

        // when
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> Settings.from(shortKey, Settings.Role.INGEST));

        // then
        assertFalse(settings.toString().contains(MARKER), settings.toString());
        assertTrue(settings.toString().contains("promptHash=true"), settings.toString());
        assertFalse(refused.getMessage().contains(MARKER), refused.getMessage());
        PromptStorage storage = PromptStorage.of(settings.promptHashKey(), false);
        assertEquals("PromptStorage[hash=true, text=false]", storage.toString());
    }

    // ---- the uploads

    /** One file per way a reason, an error or a log line could come to quote what a file holds. */
    private static Map<String, byte[]> uploads() {
        String prompt = "Please summarise " + MARKER + " for me";
        String good = "{" + OK + ",\"prompt\":\"" + prompt + "\",\"system_prompt\":\"You are " + MARKER
                + "\",\"tools\":[\"" + MARKER + "_search\"]}";
        Map<String, byte[]> uploads = new LinkedHashMap<>();
        uploads.put("logs/good.jsonl", utf8(String.join("\n",
                good,
                // a prompt written without quotes: the JSON parser stops at the bare word
                "{" + OK + ",\"prompt\":" + MARKER + "}",
                // a prompt and a system prompt that are not text, tool names that are not names
                "{" + OK + ",\"prompt\":{\"text\":\"" + prompt + "\"}}",
                "{" + OK + ",\"system_prompt\":[\"" + prompt + "\"]}",
                "{" + OK + ",\"tools\":[{\"name\":\"" + MARKER + "\"}]}",
                "{" + OK + ",\"tools\":\"[" + MARKER + "\"}",
                // the prompt as a line of its own, a record cut mid-prompt, a record with no model
                prompt,
                "{" + OK + ",\"prompt\":\"" + prompt,
                "{\"timestamp\":\"2026-11-02T10:00:00Z\",\"prompt\":\"" + prompt + "\"}",
                good) + "\n"));
        // A gateway's messages field that is JSON text cut short (as a spreadsheet cuts a long cell).
        uploads.put("logs/helicone.jsonl", utf8("{\"request_id\":\"r1\",\"request_created_at\":"
                + "\"2026-11-02T10:00:00Z\",\"request_model\":\"gpt-4o\",\"request_body\":"
                + "\"{\\\"messages\\\":[{\\\"content\\\":\\\"" + prompt + "\"}\n"));
        // LiteLLM's CSV export with the prompt in its messages column, once whole and once cut.
        String csv = Fixtures.text("/formats/litellm/spend-logs.csv").replace("Draft the weekly summary, please.",
                prompt);
        uploads.put("logs/spend.csv", utf8(csv + csv.lines().skip(1).findFirst().orElseThrow()
                .replace("}]\"", "\"") + "\n"));
        // Files no format claims: JSON without usage fields, and prose.
        uploads.put("logs/notes.json", utf8("{\"prompt\": \"" + prompt + "\", \"answer\": \"no\"}\n"));
        uploads.put("logs/notes.txt", utf8(prompt + ", and more of it\nsecond line\n"));
        // gzip cut short in the middle of the records, and gzip whose header is broken.
        byte[] gzipped = Fixtures.gzip(utf8((good + "\n").repeat(200)));
        uploads.put("logs/cut.jsonl.gz", Arrays.copyOf(gzipped, gzipped.length / 2));
        byte[] header = Fixtures.gzip(utf8(good + "\n"));
        header[2] = 7; // an unknown compression method
        uploads.put("logs/header.jsonl.gz", header);
        return uploads;
    }

    // ---- the functions

    private IngestService ingestService(Settings settings, RollupStore store) {
        return new IngestService(objects, store, statuses, settings.dataBucket(), scratch, CLOCK,
                FormatRegistry.standard(FormatRegistry.parsePrefixMap(settings.formatByPrefix())), Limits.DEFAULT,
                new Enricher(ModelCatalog.builtIn()), PromptStorage.of(settings.promptHashKey(),
                settings.storePromptText()));
    }

    private List<String> askTheApi(Set<String> keys) {
        SummaryApiHandler api = new SummaryApiHandler(new SummaryApi(rollups, statuses, new InMemoryRetentionStore(),
                DATA, CLOCK));
        List<String> answers = new ArrayList<>();
        List<Map<String, String>> queries = new ArrayList<>();
        keys.forEach(key -> queries.add(Map.of("key", key)));
        for (Map<String, String> query : queries) {
            answers.add(get(api, "/v1/uploads", query));
        }
        answers.add(get(api, "/v1/uploads", Map.of()));
        answers.add(get(api, "/v1/usage", Map.of("from", "2026-11-01", "to", "2026-11-07", "by", "model")));
        return answers;
    }

    private String get(SummaryApiHandler api, String path, Map<String, String> query) {
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setRawPath(path);
        event.setQueryStringParameters(query);
        APIGatewayV2HTTPResponse response = api.handleRequest(event, context);
        return response.getBody();
    }

    /** A run that succeeds, one skipped while another holds the lease, and one whose query fails. */
    private void recompute() {
        RecomputeService service = new RecomputeService(new FakeQueryEngine(List.of()), rollups,
                new InMemoryRetentionStore());
        invoke(() -> new RecomputeHandler(service, 7, CLOCK).handleRequest(new ScheduledEvent(), context));

        RecomputeLease lease = RecomputeLease.inProcess(CLOCK);
        lease.acquire(Duration.ofMinutes(16));
        RecomputeService busy = new RecomputeService(new FakeQueryEngine(List.of()), rollups,
                new InMemoryRetentionStore(), Optional.empty(), lease);
        invoke(() -> new RecomputeHandler(busy, 7, CLOCK).handleRequest(new ScheduledEvent(), context));

        QueryEngine failing = (sql, parameters, window) -> {
            throw new IllegalStateException("Athena query q-1 FAILED: SYNTAX_ERROR: line 1:8");
        };
        RecomputeService broken = new RecomputeService(failing, rollups, new InMemoryRetentionStore());
        invoke(() -> new RecomputeHandler(broken, 7, CLOCK).handleRequest(new ScheduledEvent(), context));
    }

    /** Runs a handler; what it throws is kept as the Lambda runtime would log it: message, causes and stack. */
    private void invoke(Runnable handler) {
        try {
            handler.run();
        } catch (RuntimeException e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            thrown.append(trace);
        }
    }

    // ---- helpers

    private static String text(byte[] bytes) {
        boolean gzip = bytes.length > 1 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
        return new String(gzip ? Fixtures.gunzipWhatCan(bytes) : bytes, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String excerpt(String text) {
        int at = text.indexOf(MARKER);
        return at < 0 ? text : text.substring(Math.max(0, at - 300), Math.min(text.length(), at + 100));
    }

    /** Writes to the real stream and to the capture. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            first.flush();
            second.flush();
        }
    }
}
