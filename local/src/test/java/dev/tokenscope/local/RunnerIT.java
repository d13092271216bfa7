package dev.tokenscope.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The product as a user runs it: the local runner with demo data, an upload by a plain S3 client, the API over
 * HTTP. The upload must change the numbers by exactly its content.
 */
class RunnerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path data;

    private static LocalRunner runner;

    @BeforeAll
    static void start() {
        runner = LocalRunner.start(new LocalRunner.Options(TestStack.projectRoot(), Optional.of(data), 0, 0, true,
                60, 100), System.out);
    }

    @AfterAll
    static void stop() {
        if (runner != null) {
            runner.close();
        }
    }

    @Test
    void upload_shouldChangeTheUsageByExactlyItsContent_whenAnS3ClientPutsALog() throws Exception {
        // given the demo data, served over HTTP
        JsonNode before = get("/v1/usage?from=2026-11-01&to=2026-11-07&by=model");
        JsonNode demo = get("/v1/usage?granularity=month");
        assertTrue(demo.get("totals").get("total_tokens").asLong() > 0, demo.toString());
        long requestsBefore = before.get("totals").get("requests").asLong();
        long promptBefore = before.get("totals").get("prompt_tokens").asLong();

        // when a plain S3 client uploads the sample log (gzip, under a name without .gz rules applied)
        String key = LocalRunner.LOG_PREFIX + "team-a/sample-usage.jsonl.gz";
        runner.stack().s3().putObject(b -> b.bucket(LocalRunner.BUCKET).key(key),
                RequestBody.fromBytes(gzip(TestStack.sample("sample-usage.jsonl"))));
        JsonNode status = awaitStatus(key);

        // then the status shows the upload, and the week's numbers grew by the sample's hand-summed totals
        assertEquals("complete", status.get("state").asText(), status.toString());
        assertEquals(8, status.get("records_kept").asLong());
        JsonNode after = get("/v1/usage?from=2026-11-01&to=2026-11-07&by=model");
        assertEquals(requestsBefore + 8, after.get("totals").get("requests").asLong());
        assertEquals(promptBefore + 21450, after.get("totals").get("prompt_tokens").asLong());
        JsonNode qwen = find(after, "2026-11-02", "qwen/qwen3-coder");
        JsonNode qwenBefore = find(before, "2026-11-02", "qwen/qwen3-coder");
        long qwenPromptBefore = qwenBefore == null ? 0 : qwenBefore.get("prompt_tokens").asLong();
        assertEquals(qwenPromptBefore + 13400, qwen.get("prompt_tokens").asLong());
    }

    @Test
    void api_shouldAnswerJsonErrors_whenParametersOrRoutesAreWrong() throws Exception {
        HttpResponse<String> bad = send("/v1/usage?from=yesterday");
        assertEquals(400, bad.statusCode());
        assertEquals("from", JSON.readTree(bad.body()).get("parameter").asText());
        HttpResponse<String> missing = send("/v2/nothing");
        assertEquals(404, missing.statusCode());
        assertEquals("not_found", JSON.readTree(missing.body()).get("error").asText());
    }

    private static JsonNode find(JsonNode usage, String period, String model) {
        for (JsonNode row : usage.get("series")) {
            if (row.get("period").asText().equals(period) && row.get("model").asText().equals(model)) {
                return row;
            }
        }
        return null;
    }

    private static JsonNode awaitStatus(String key) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = send("/v1/uploads?key=" + key);
            if (response.statusCode() == 200) {
                JsonNode status = JSON.readTree(response.body());
                if (status.get("state").asText().equals("complete")) {
                    return status;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the upload " + key + " was not ingested within 30 s");
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = send(path);
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> send(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runner.apiPort() + path)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }
}
