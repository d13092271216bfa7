package dev.tokenscope.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.testing.ApiFuzz;
import dev.tokenscope.testing.OpenApiContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random requests against the API over an ingested store: none may answer a 5xx, show an exception,
 * or answer anything the OpenAPI document does not describe. The seed is printed; -Dfuzz.seed=N reruns one.
 */
class SummaryApiFuzzTest {

    private static final int REQUESTS = 5_000;
    /** A fixed default, so that every build fuzzes the same requests; other seeds are one property away. */
    private static final long DEFAULT_SEED = 20261126L;
    private static final OpenApiContract CONTRACT = new OpenApiContract();

    private final SummaryApi api = PopulatedApi.shared();

    @Test
    void handle_shouldNeverAnswer5xxNorShowAnExceptionNorLeaveTheDocument_whenRequestsAreRandom() {
        // given
        long seed = Long.getLong("fuzz.seed", DEFAULT_SEED);
        System.out.println("SummaryApiFuzzTest: seed " + seed + " (rerun with -Dfuzz.seed=" + seed + ")");
        ApiFuzz fuzz = new ApiFuzz(seed, false, PopulatedApi.TODAY, CONTRACT::queryParameters);
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        long slowestNanos = 0;
        long began = System.nanoTime();

        for (int i = 0; i < REQUESTS; i++) {
            // when
            ApiFuzz.Request request = fuzz.next();
            long start = System.nanoTime();
            ApiResponse response = api.handle(new ApiRequest(request.method(), request.rawPath(), request.query(),
                    request.headers()));
            slowestNanos = Math.max(slowestNanos, System.nanoTime() - start);

            // then
            statuses.merge(response.status(), 1, Integer::sum);
            List<String> problems = new ArrayList<>(ApiFuzz.problems(response.status(), response.headers(),
                    response.body()));
            problems.addAll(CONTRACT.problems(request.method().toUpperCase(java.util.Locale.ROOT),
                    request.rawPath(), response.status(), response.headers(), response.body()));
            if (!problems.isEmpty()) {
                failures.add("#" + i + " " + request + ": " + problems);
            }
        }

        System.out.println("SummaryApiFuzzTest: " + REQUESTS + " requests in " + (System.nanoTime() - began) / 1_000_000
                + " ms, statuses " + statuses + ", slowest " + slowestNanos / 1_000_000 + " ms");
        assertEquals(List.of(), failures.subList(0, Math.min(failures.size(), 20)),
                failures.size() + " of " + REQUESTS + " requests failed (seed " + seed + ")");
        assertTrue(statuses.getOrDefault(200, 0) > REQUESTS / 10, "too few requests succeeded: " + statuses);
        assertTrue(statuses.getOrDefault(400, 0) > REQUESTS / 10, "too few requests were refused: " + statuses);
    }
}
