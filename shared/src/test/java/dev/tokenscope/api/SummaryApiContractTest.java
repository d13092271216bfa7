package dev.tokenscope.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenscope.aggregate.Dimension;
import dev.tokenscope.aggregate.Granularity;
import dev.tokenscope.figures.Figure;
import dev.tokenscope.store.UploadStatus;
import dev.tokenscope.testing.InMemoryRetentionStore;
import dev.tokenscope.testing.OpenApiContract;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The API keeps its OpenAPI document (resources/api/openapi.json): real answers of every route and every figure,
 * over a store filled by the real ingest, validate against the document's schemas; and the document describes
 * exactly the routes, figures, filters, dimensions and granularities the code has.
 */
class SummaryApiContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OpenApiContract CONTRACT = new OpenApiContract();

    private final SummaryApi api = PopulatedApi.shared();

    private static Arguments request(int status, String method, String path, Map<String, String> headers,
                                     String... query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < query.length; i += 2) {
            parameters.put(query[i], query[i + 1]);
        }
        return Arguments.of(status, new ApiRequest(method, path, parameters, headers));
    }

    private static Arguments get(int status, String path, String... query) {
        return request(status, "GET", path, Map.of(), query);
    }

    /** Every route with its parameters in several combinations, good and bad; every figure, filtered and not. */
    static Stream<Arguments> requests() {
        List<Arguments> requests = new ArrayList<>(List.of(
                get(200, "/v1/usage"),
                get(200, "/v1/usage", "from", "2026-09-01", "to", "2026-11-20", "granularity", "month"),
                get(200, "/v1/usage", "from", "2026-11-01", "to", "2026-11-30", "granularity", "week", "by", "none"),
                get(200, "/v1/usage", "from", "2030-01-01", "to", "2030-01-31"),
                get(200, "/v1/usage", "from", "2025-11-21", "to", "2026-11-20", "by", "model"),
                get(400, "/v1/usage", "from", "2026-11-05", "to", "2026-11-01"),
                get(400, "/v1/usage", "from", "2024-01-01", "to", "2026-01-01"),
                get(400, "/v1/usage", "from", "yesterday"),
                get(400, "/v1/usage", "to", "1999-12-31"),
                get(400, "/v1/usage", "granularity", "fortnight"),
                get(400, "/v1/usage", "by", "colour"),
                get(400, "/v1/usage", "limit", "10"),
                get(200, "/v1/figures"),
                get(400, "/v1/figures", "from", "2026-11-01"),
                get(404, "/v1/figures/nope"),
                get(400, "/v1/figures/categories", "size", "large"),
                get(400, "/v1/figures/sizes", "format", "xml"),
                get(400, "/v1/figures/regions", "country", "x".repeat(201)),
                get(200, "/v1/uploads", "key", PopulatedApi.UPLOAD_KEYS.get(0)),
                get(200, "/v1/uploads", "key", "logs/sample-usage-with-errors.csv"),
                get(404, "/v1/uploads", "key", "logs/never-uploaded.jsonl"),
                get(200, "/v1/uploads"),
                get(200, "/v1/uploads", "limit", "2"),
                get(200, "/v1/uploads", "state", "complete", "limit", "200"),
                get(400, "/v1/uploads", "limit", "0"),
                get(400, "/v1/uploads", "state", "lost"),
                get(400, "/v1/uploads", "key", ""),
                get(400, "/v1/uploads", "key", "k".repeat(1025)),
                get(200, "/v1/models/unknown"),
                get(200, "/v1/models/unknown", "from", "2026-09-01", "to", "2026-11-20"),
                get(200, "/v1/models/unknown", "from", "2030-01-01", "to", "2030-01-02"),
                get(400, "/v1/models/unknown", "by", "model"),
                get(200, "/v1/health"),
                get(400, "/v1/health", "verbose", "1"),
                get(200, "/v1/openapi.json"),
                get(404, "/v2/usage"),
                get(404, "/"),
                request(405, "POST", "/v1/usage", Map.of()),
                request(405, "DELETE", "/v1/figures/categories", Map.of()),
                request(404, "PUT", "/nowhere", Map.of()),
                request(200, "HEAD", "/v1/usage", Map.of()),
                get(200, "/dashboard"),
                get(200, "/dashboard", "granularity", "week"),
                get(301, "/dashboard/"),
                get(404, "/dashboard/index.html"),
                get(404, "/dashboard/dashboard.js/"),
                request(405, "POST", "/dashboard", Map.of())));
        for (String file : DashboardRoute.files()) {
            requests.add(get(200, "/dashboard/" + file));
        }
        for (Figure figure : Figure.values()) {
            String path = "/v1/figures/" + figure.id();
            for (Granularity granularity : Granularity.values()) {
                requests.add(get(200, path, "from", "2026-09-01", "to", "2026-11-20", "granularity",
                        granularity.name().toLowerCase(Locale.ROOT)));
            }
            requests.add(get(200, path));
            requests.add(get(200, path, "from", "2030-01-01", "to", "2030-01-01"));
            requests.add(get(200, path, "format", "csv", "from", "2026-11-01", "to", "2026-11-20"));
            requests.add(request(200, "GET", path, Map.of("Accept", "text/csv"), "from", "2026-11-02", "to",
                    "2026-11-02"));
            for (String filter : FigureRoute.FILTERS.get(figure).keySet()) {
                requests.add(get(200, path, "from", "2026-09-01", "to", "2026-11-20", "granularity", "month",
                        filter, "unknown"));
            }
        }
        return requests.stream();
    }

    @ParameterizedTest
    @MethodSource("requests")
    void handle_shouldAnswerAsTheOpenApiDocumentSays_whenAskedAnyRoute(int status, ApiRequest request) {
        // when
        ApiResponse response = api.handle(request);

        // then
        assertEquals(status, response.status(), response.body());
        assertEquals(List.of(), CONTRACT.problems(request.method(), request.path(), response.status(),
                response.headers(), response.body()));
    }

    @Test
    void handle_shouldAnswer503AsTheDocumentSays_whenTheStoreFails() {
        // given
        SummaryApiTest.BrokenStore broken = new SummaryApiTest.BrokenStore();
        SummaryApi failing = new SummaryApi(broken, broken, new InMemoryRetentionStore(), PopulatedApi.BUCKET,
                Clock.systemUTC());

        for (String path : List.of("/v1/usage", "/v1/figures/categories", "/v1/models/unknown")) {
            // when
            ApiResponse response = failing.handle(new ApiRequest("GET", path, Map.of()));

            // then
            assertEquals(503, response.status());
            assertEquals(List.of(), CONTRACT.problems("GET", path, 503, response.headers(), response.body()));
        }
    }

    @Test
    void problems_shouldNameEachDeparture_whenAnAnswerDoesNotKeepTheDocument() throws Exception {
        // given a real answer, then the same with a field missing, a wrong type, an extra field, a wrong header
        ApiResponse usage = api.handle(new ApiRequest("GET", "/v1/usage", Map.of()));
        ObjectNode withoutTotals = (ObjectNode) JSON.readTree(usage.body());
        withoutTotals.remove("totals");
        ObjectNode textRequests = (ObjectNode) JSON.readTree(usage.body());
        ((ObjectNode) textRequests.get("totals")).put("requests", "12");
        ObjectNode extra = (ObjectNode) JSON.readTree(usage.body());
        ((ObjectNode) extra.get("series").get(0)).put("colour", "blue");
        ApiResponse figure = api.handle(new ApiRequest("GET", "/v1/figures/open-share", Map.of()));
        ObjectNode badDate = (ObjectNode) JSON.readTree(figure.body());
        ((ObjectNode) badDate.get("rows").get(0)).put("period", "2026-13-01");
        Map<String, String> cacheable = new HashMap<>(usage.headers());
        cacheable.put("cache-control", "max-age=600");

        // when / then
        assertEquals(List.of(), CONTRACT.problems("GET", "/v1/usage", 200, usage.headers(), usage.body()));
        for (ObjectNode wrong : List.of(withoutTotals, textRequests, extra)) {
            assertFalse(CONTRACT.problems("GET", "/v1/usage", 200, usage.headers(), wrong.toString()).isEmpty(),
                    wrong::toString);
        }
        assertFalse(CONTRACT.problems("GET", "/v1/figures/open-share", 200, figure.headers(), badDate.toString())
                .isEmpty());
        assertFalse(CONTRACT.problems("GET", "/v1/usage", 200, cacheable, usage.body()).isEmpty());
        assertFalse(CONTRACT.problems("GET", "/v1/usage", 418, usage.headers(), usage.body()).isEmpty());
        assertFalse(CONTRACT.problems("GET", "/v1/usage", 200, Map.of("content-type", "text/html"), usage.body())
                .isEmpty());
        // a path is matched literally: the dot of openapi.json is no wildcard
        assertFalse(CONTRACT.problems("GET", "/v1/openapiXjson", 200, usage.headers(), usage.body()).isEmpty());
    }

    @Test
    void openApi_shouldListExactlyTheRoutesTheApiServes() {
        // given
        Set<String> documented = names(CONTRACT.document().get("paths"));

        // then: every route the API serves is a path of the document, and no path is more
        assertEquals(new TreeSet<>(SummaryApi.ROUTES), documented);
        for (String route : SummaryApi.ROUTES) {
            String path = route.replace("{figure}", Figure.CATEGORIES.id()).replace("{file}", "dashboard.css");
            Map<String, String> query = path.equals("/v1/uploads") ? Map.of("key", PopulatedApi.UPLOAD_KEYS.get(0))
                    : Map.of();
            ApiResponse response = api.handle(new ApiRequest("GET", path, query));
            assertEquals(200, response.status(), path + ": " + response.body());
        }
        for (String path : documented) {
            assertTrue(CONTRACT.document().get("paths").get(path).has("get"), path);
        }
    }

    @Test
    void openApi_shouldNameEveryFigureDimensionGranularityFilterStateAndFileTheCodeHas() {
        // given
        JsonNode schemas = CONTRACT.document().at("/components/schemas");
        JsonNode figurePath = CONTRACT.document().at("/paths/~1v1~1figures~1{figure}/get");

        // then
        assertEquals(ids(Stream.of(Figure.values()).map(Figure::id)), values(schemas.at("/FigureId/enum")));
        assertEquals(ids(Stream.concat(Stream.of("none"), Stream.of(Dimension.values()).map(Dimension::id))),
                values(schemas.at("/By/enum")));
        assertEquals(ids(Stream.of(Granularity.values()).map(g -> g.name().toLowerCase(Locale.ROOT))),
                values(schemas.at("/Granularity/enum")));
        assertEquals(ids(Stream.of(UploadStatus.State.values()).map(s -> s.name().toLowerCase(Locale.ROOT))),
                values(schemas.at("/UploadState/enum")));
        assertEquals(DashboardRoute.files(),
                values(CONTRACT.document().at("/paths/~1dashboard~1{file}/get/parameters/0/schema/enum")));
        Set<String> allFilters = new TreeSet<>();
        FigureRoute.FILTERS.values().forEach(filters -> allFilters.addAll(filters.keySet()));
        assertEquals(allFilters, values(schemas.at("/FilterName/enum")));
        Set<String> filterParameters = new TreeSet<>();
        for (JsonNode parameter : figurePath.get("parameters")) {
            JsonNode resolved = CONTRACT.document().at(parameter.get("$ref").asText().substring(1));
            if (resolved.get("in").asText().equals("query")) {
                filterParameters.add(resolved.get("name").asText());
            }
        }
        Set<String> expected = new TreeSet<>(allFilters);
        expected.addAll(Set.of("from", "to", "granularity", "format"));
        assertEquals(expected, filterParameters);
        JsonNode mapping = schemas.at("/FigureTable/discriminator/mapping");
        assertEquals(ids(Stream.of(Figure.values()).map(Figure::id)), names(mapping));
        for (Figure figure : Figure.values()) {
            JsonNode mapped = CONTRACT.document().at(mapping.get(figure.id()).asText().substring(1));
            assertEquals(figure.id(), mapped.at("/properties/figure/const").asText());
            assertEquals(new TreeSet<>(FigureRoute.FILTERS.get(figure).keySet()),
                    names(mapped.at("/properties/filters/properties")), figure.id());
        }
    }

    @Test
    void openApi_shouldResolveEveryReferenceWithinTheDocument() {
        // given
        List<String> references = new ArrayList<>();
        collectReferences(CONTRACT.document(), references);

        // then
        assertTrue(references.size() > 100, "references: " + references.size());
        for (String reference : references) {
            assertTrue(reference.startsWith("#/"), reference);
            assertFalse(CONTRACT.document().at(reference.substring(1)).isMissingNode(), reference);
        }
    }

    private static void collectReferences(JsonNode node, List<String> references) {
        if (node.has("$ref")) {
            references.add(node.get("$ref").asText());
        }
        node.forEach(child -> collectReferences(child, references));
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> values(JsonNode array) {
        Set<String> values = new TreeSet<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static Set<String> ids(Stream<String> ids) {
        return new TreeSet<>(ids.toList());
    }
}
