package dev.tokenscope.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenscope.figures.Figure;
import dev.tokenscope.testing.ApiFuzz;
import dev.tokenscope.testing.OpenApiContract;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The product as a user runs it: the local runner with demo data, an upload by a plain S3 client, the API over
 * HTTP (ApiServer's payload-2.0 events to the SummaryApiHandler). The upload must change the numbers by exactly
 * its content; every route answers as the OpenAPI document says; random requests never get a 5xx or an exception.
 */
class RunnerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final OpenApiContract CONTRACT = new OpenApiContract();
    private static final int FUZZED = 500;
    private static final long DEFAULT_SEED = 20261126L;

    private static LocalRunner runner;

    @BeforeAll
    static void start() {
        runner = TestStack.demoRunner();
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

    private static Arguments request(int status, String method, String target, String... headers) {
        return Arguments.of(status, method, target, List.of(headers));
    }

    /** Every route, every figure as JSON and CSV, and the errors each can answer; dates around the demo's. */
    static Stream<Arguments> requests() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String lastWeek = "from=" + today.minusDays(6) + "&to=" + today;
        List<Arguments> requests = new ArrayList<>(List.of(
                request(200, "GET", "/v1/usage"),
                request(200, "GET", "/v1/usage?granularity=week&by=model"),
                request(200, "GET", "/v1/usage?" + lastWeek + "&by=category"),
                request(200, "GET", "/v1/usage?granularity=month&by=country"),
                request(400, "GET", "/v1/usage?from=yesterday"),
                request(400, "GET", "/v1/usage?from=2024-01-01&to=2026-01-01"),
                request(400, "GET", "/v1/usage?by=colour"),
                request(200, "GET", "/v1/figures"),
                request(404, "GET", "/v1/figures/nope"),
                request(400, "GET", "/v1/figures/sizes?format=xml"),
                request(200, "GET", "/v1/uploads?key=logs/demo/usage-week-" + today.minusDays(6) + ".jsonl.gz"),
                request(404, "GET", "/v1/uploads?key=logs/never.jsonl"),
                request(200, "GET", "/v1/uploads"),
                request(200, "GET", "/v1/uploads?state=complete&limit=5"),
                request(400, "GET", "/v1/uploads?limit=1000"),
                request(200, "GET", "/v1/models/unknown"),
                request(200, "GET", "/v1/health"),
                request(200, "GET", "/v1/openapi.json"),
                request(200, "HEAD", "/v1/usage"),
                request(404, "GET", "/v2/nothing"),
                request(405, "POST", "/v1/usage"),
                request(405, "DELETE", "/v1/figures/categories"),
                request(200, "GET", "/dashboard"),
                request(301, "GET", "/dashboard/"),
                request(200, "GET", "/dashboard/dashboard.js"),
                request(200, "GET", "/dashboard/echarts.min.js"),
                request(404, "GET", "/dashboard/index.html")));
        for (Figure figure : Figure.values()) {
            String path = "/v1/figures/" + figure.id();
            requests.add(request(200, "GET", path));
            requests.add(request(200, "GET", path + "?granularity=week"));
            requests.add(request(200, "GET", path + "?" + lastWeek + "&format=csv"));
            requests.add(request(200, "GET", path + "?granularity=month", "Accept", "text/csv"));
        }
        return requests.stream();
    }

    @ParameterizedTest
    @MethodSource("requests")
    void api_shouldAnswerAsTheOpenApiDocumentSays_whenCalledOverHttp(int status, String method, String target,
                                                                     List<String> headers) throws Exception {
        // when
        HttpResponse<String> response = send(method, target, headers);

        // then
        assertEquals(status, response.statusCode(), response.body());
        String path = URI.create(target).getPath();
        assertEquals(List.of(), CONTRACT.problems(method, path, response.statusCode(), headers(response),
                response.body()));
    }

    @Test
    void api_shouldNeverAnswer5xxNorShowAnException_whenRandomRequestsComeOverHttp() throws Exception {
        // given
        long seed = Long.getLong("fuzz.seed", DEFAULT_SEED);
        System.out.println("RunnerIT: seed " + seed + " (rerun with -Dfuzz.seed=" + seed + ")");
        ApiFuzz fuzz = new ApiFuzz(seed, true, LocalDate.now(ZoneOffset.UTC), CONTRACT::queryParameters);
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();

        for (int i = 0; i < FUZZED; i++) {
            // when
            ApiFuzz.Request request = fuzz.next();
            List<String> headers = new ArrayList<>();
            request.headers().forEach((name, value) -> {
                headers.add(name);
                headers.add(value);
            });
            String target = request.rawPath() + (request.rawQuery().isEmpty() ? "" : "?" + request.rawQuery());
            HttpResponse<String> response;
            try {
                response = send(request.method(), target, headers);
            } catch (IOException e) {
                failures.add("#" + i + " " + request + ": no answer: " + e);
                continue;
            }

            // then
            statuses.merge(response.statusCode(), 1, Integer::sum);
            List<String> problems = new ArrayList<>(ApiFuzz.problems(response.statusCode(), headers(response),
                    response.body()));
            problems.addAll(CONTRACT.problems(request.method().toUpperCase(java.util.Locale.ROOT),
                    request.rawPath(), response.statusCode(), headers(response), response.body()));
            if (!problems.isEmpty()) {
                failures.add("#" + i + " " + request + ": " + problems);
            }
        }

        System.out.println("RunnerIT: " + FUZZED + " requests over HTTP, statuses " + statuses);
        assertEquals(List.of(), failures.subList(0, Math.min(failures.size(), 20)),
                failures.size() + " of " + FUZZED + " requests failed (seed " + seed + ")");
        assertTrue(statuses.getOrDefault(200, 0) > FUZZED / 10, "too few requests succeeded: " + statuses);
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
        return send("GET", path, List.of());
    }

    /** headers: name, value, name, value... */
    private static HttpResponse<String> send(String method, String target, List<String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runner.apiPort()
                + target)).timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i + 1 < headers.size(); i += 2) {
            request.header(headers.get(i), headers.get(i + 1));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> headers(HttpResponse<String> response) {
        Map<String, String> headers = new TreeMap<>();
        response.headers().map().forEach((name, values) -> headers.put(name, String.join(", ", values)));
        return headers;
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }
}
