package dev.tokenscope.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.ingest.Ids;
import dev.tokenscope.store.UploadStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Vendor logs through the real local stack: detection by key layout and by object metadata, Bedrock's auxiliary
 * objects skipped, an unreadable file rejected whole, each outcome visible as the upload's status.
 */
class FormatsIT {

    private static final String BEDROCK_PREFIX = "logs/AWSLogs/210987654321/BedrockModelInvocationLogs/us-east-1/2026/04/07/08/";

    @TempDir
    Path work;

    private LocalStack stack;
    private String name;
    private LocalFunctions functions;

    @BeforeEach
    void setUp() {
        stack = TestStack.get();
        name = TestStack.freshName("formats");
        functions = LocalFunctions.wire(stack, name, name, work, 7, Clock.systemUTC());
    }

    @Test
    void ingest_shouldReadABedrockLog_whenItArrivesGzippedUnderBedrocksKeyLayout() throws IOException {
        // given: nine invocation records (Anthropic, Converse, Nova, Llama, Mistral x2, Cohere, Titan, an error)
        String key = BEDROCK_PREFIX + "210987654321_BedrockModelInvocationLogs_us-east-1_20260407T0800Z_a1.json.gz";

        // when
        UploadStatus status = upload(key, gzip(fixture("formats/bedrock/invocations.jsonl")), Map.of());

        // then
        assertEquals(UploadStatus.State.COMPLETE, status.state(), status.errors().toString());
        assertEquals("bedrock", status.format());
        assertEquals(9, status.recordsKept());
        assertEquals(0, status.recordsQuarantined());
    }

    @Test
    void ingest_shouldSkipBedrocksBodyObject_whenItLandsUnderData() {
        // given / when
        UploadStatus status = upload(BEDROCK_PREFIX + "data/5f3c.json.gz",
                gzip("{\"messages\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8)), Map.of());

        // then: not an upload of its own, so no status is kept for it
        assertEquals(UploadStatus.State.SKIPPED, status.state());
        assertTrue(functions.table().status(Ids.sourceId(name, BEDROCK_PREFIX + "data/5f3c.json.gz")).isEmpty());
    }

    @Test
    void ingest_shouldUseTheDeclaredFormat_whenTheObjectMetadataNamesIt() {
        // given: a LiteLLM CSV export under a neutral name, declared by its uploader
        String key = "logs/exports/spend.csv";

        // when
        UploadStatus status = upload(key, fixture("formats/litellm/spend-logs.csv"),
                Map.of("tokenscope-format", "litellm"));

        // then
        assertEquals(UploadStatus.State.COMPLETE, status.state(), status.errors().toString());
        assertEquals("litellm", status.format());
        assertTrue(status.recordsKept() > 0);
    }

    @Test
    void ingest_shouldRejectTheWholeFileWithAStatus_whenNoFormatRecognisesIt() {
        // given / when
        UploadStatus status = upload("logs/readme.json", "{\"note\": \"not a log\"}\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of());

        // then
        assertEquals(UploadStatus.State.REJECTED, status.state());
        assertEquals(status, functions.table().status(Ids.sourceId(name, "logs/readme.json")).orElseThrow());
        assertTrue(status.errors().get(0).contains("no known format recognises this file"));
    }

    private UploadStatus upload(String key, byte[] body, Map<String, String> metadata) {
        String etag = stack.s3().putObject(b -> b.bucket(name).key(key).metadata(metadata), RequestBody.fromBytes(body))
                .eTag().replace("\"", "");
        functions.ingest().handleRequest(LocalEvents.objectCreated(name, key, body.length, etag, "0001"), null);
        return functions.table().status(Ids.sourceId(name, key)).orElseGet(() -> skipped(key, etag));
    }

    /** Skipped objects keep no status; ingest them directly to see the outcome. */
    private UploadStatus skipped(String key, String etag) {
        return new dev.tokenscope.ingest.IngestService(new dev.tokenscope.store.S3ObjectStore(stack.s3()),
                functions.table(), functions.table(), name, work, Clock.systemUTC())
                .ingest(new dev.tokenscope.ingest.IngestService.Upload(name, key, java.util.Optional.of(etag),
                        java.util.Optional.of("0001")));
    }

    private static byte[] fixture(String path) {
        try (InputStream in = FormatsIT.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
