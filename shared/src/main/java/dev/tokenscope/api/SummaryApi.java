package dev.tokenscope.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenscope.aggregate.Dimension;
import dev.tokenscope.aggregate.Granularity;
import dev.tokenscope.aggregate.RollupKey;
import dev.tokenscope.aggregate.TokenHistogram;
import dev.tokenscope.aggregate.Totals;
import dev.tokenscope.catalog.ModelCatalog;
import dev.tokenscope.figures.Figure;
import dev.tokenscope.figures.FigureService;
import dev.tokenscope.figures.FigureTable;
import dev.tokenscope.ingest.Ids;
import dev.tokenscope.store.RetentionStore;
import dev.tokenscope.store.RollupStore;
import dev.tokenscope.store.StoredRollup;
import dev.tokenscope.store.UploadStatus;
import dev.tokenscope.store.UploadStatusStore;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The summary API: routes, parameter checks and JSON. Every answer is JSON; a bad parameter is a 400 naming it;
 * no exception text or stack trace ever reaches the caller.
 */
public final class SummaryApi {

    /**
     * The longest range one request may ask for: a dimension's year is one partition, so every answer is at most
     * two DynamoDB queries (four with the request shape).
     */
    static final int MAX_DAYS = 366;
    static final int DEFAULT_DAYS = 30;
    /** The days a request may name (the ingest keeps records of these years only). */
    private static final LocalDate FIRST_DAY = LocalDate.of(2000, 1, 1);
    private static final LocalDate LAST_DAY = LocalDate.of(2099, 12, 31);

    // Costs as plain decimals (0.0000001, not 1E-7): easier on scripts and spreadsheets.
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    private static final Map<String, String> JSON_HEADERS = Map.of(
            "content-type", "application/json; charset=utf-8",
            "cache-control", "no-store");

    private static final String DIMENSION_IDS = String.join(", ",
            java.util.Arrays.stream(Dimension.values()).map(Dimension::id).toList());

    private final RollupStore rollups;
    private final UploadStatusStore statuses;
    private final String dataBucket;
    private final Clock clock;

    private final ModelCatalog catalog;
    private final FigureService figures;
    /** Empty when every answer is to be computed (the benchmark's reference run). */
    private final java.util.Optional<AnswerCache> answers;

    /** With the built-in model catalog. */
    public SummaryApi(RollupStore rollups, UploadStatusStore statuses, RetentionStore retention, String dataBucket,
                      Clock clock) {
        this(rollups, statuses, retention, dataBucket, clock, ModelCatalog.builtIn());
    }

    public SummaryApi(RollupStore rollups, UploadStatusStore statuses, RetentionStore retention, String dataBucket,
                      Clock clock, ModelCatalog catalog) {
        this(rollups, statuses, retention, dataBucket, clock, catalog, true);
    }

    /** With {@code cacheAnswers} false, every answer is computed from the rollups (no AnswerCache). */
    public SummaryApi(RollupStore rollups, UploadStatusStore statuses, RetentionStore retention, String dataBucket,
                      Clock clock, ModelCatalog catalog, boolean cacheAnswers) {
        this.catalog = catalog;
        this.rollups = rollups;
        this.statuses = statuses;
        this.figures = new FigureService(rollups, retention);
        this.dataBucket = dataBucket;
        this.clock = clock;
        this.answers = cacheAnswers ? java.util.Optional.of(new AnswerCache(clock)) : java.util.Optional.empty();
    }

    public ApiResponse handle(ApiRequest request) {
        try {
            String path = request.path() == null ? "/" : request.path();
            if (path.length() > 1 && path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            String route = path;
            if (DashboardRoute.matches(route)) {
                return get(request, () -> DashboardRoute.serve(request));
            }
            return switch (route) {
                case "/v1/usage" -> get(request, () -> cached(request, route, () -> usage(request.query())));
                case "/v1/uploads" -> get(request, () -> upload(request.query()));
                case "/v1/models/unknown" -> get(request, () -> unknownModels(request.query()));
                case "/v1/health" -> get(request, () -> health(request.query()));
                case "/v1/figures" -> get(request, () -> figureList(request.query()));
                case "/v1/openapi.json" -> get(request, () -> openApi(request.query()));
                default -> route.startsWith(FIGURES_PATH)
                        ? get(request, () -> cached(request, route,
                                () -> figure(route.substring(FIGURES_PATH.length()), request)))
                        : error(404, "not_found", "no route for " + abbreviate(route) + "; routes: "
                                + String.join(", ", ROUTES), null);
            };
        } catch (BadRequestException e) {
            return error(400, "bad_request", e.getMessage(), e.parameter());
        } catch (RuntimeException e) {
            // Internal detail stays in the function's log, never in the response.
            return error(503, "unavailable", "the summary could not be read; try again", null);
        }
    }

    /** Every route, as the OpenAPI document (resources/api/openapi.json) names its paths. */
    static final List<String> ROUTES = List.of("/v1/usage", "/v1/figures", "/v1/figures/{figure}", "/v1/uploads",
            "/v1/models/unknown", "/v1/health", "/v1/openapi.json", DashboardRoute.PATH,
            DashboardRoute.PATH + "/{file}");

    private static final String FIGURES_PATH = "/v1/figures/";
    private static final Map<String, String> FIGURE_JSON_HEADERS = Map.of(
            "content-type", "application/json; charset=utf-8",
            // Rollups change with each upload; a minute old is fresh enough for a chart, and private to the caller.
            "cache-control", "private, max-age=60");
    private static final Map<String, String> FIGURE_CSV_HEADERS = Map.of(
            "content-type", "text/csv; charset=utf-8",
            "cache-control", "private, max-age=60");

    private static final String OPENAPI = OpenApiDocument.text();
    private static final Map<String, String> OPENAPI_HEADERS = Map.of(
            "content-type", "application/json; charset=utf-8",
            // The document changes only with a deployment and holds nothing private.
            "cache-control", "public, max-age=3600");

    private static ApiResponse health(Map<String, String> query) {
        allowOnly(query, Set.of());
        return ok(JSON.createObjectNode().put("status", "ok"));
    }

    private static ApiResponse openApi(Map<String, String> query) {
        allowOnly(query, Set.of());
        return new ApiResponse(200, OPENAPI_HEADERS, OPENAPI);
    }

    /** Every figure: its id, the report's figure number, title, path and the filters it takes. */
    private ApiResponse figureList(Map<String, String> query) {
        allowOnly(query, Set.of());
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("figures");
        for (Figure figure : Figure.values()) {
            ObjectNode node = list.addObject();
            node.put("figure", figure.id());
            node.put("report_figure", figure.reportFigure());
            node.put("title", figure.title());
            node.put("path", FIGURES_PATH + figure.id());
            ArrayNode filters = node.putArray("filters");
            new java.util.TreeSet<>(FigureRoute.FILTERS.get(figure).keySet()).forEach(filters::add);
        }
        return ok(body);
    }

    /** One figure for a range at a granularity, filtered, as JSON or CSV. */
    private ApiResponse figure(String id, ApiRequest request) {
        Figure figure = Figure.byId(id).orElse(null);
        if (figure == null) {
            return error(404, "not_found", "no figure '" + abbreviate(id) + "'; see /v1/figures", null);
        }
        Map<String, String> query = request.query();
        Set<String> allowed = new java.util.HashSet<>(Set.of("from", "to", "granularity", "format"));
        allowed.addAll(FigureRoute.FILTERS.get(figure).keySet());
        allowOnly(query, allowed);
        Range range = range(query);
        Granularity granularity = enumOf(query, "granularity", Granularity.class, Granularity.DAY);
        boolean csv = csvWanted(request);
        Map<String, String> applied = new TreeMap<>();
        for (String filter : FigureRoute.FILTERS.get(figure).keySet()) {
            String value = query.get(filter);
            if (value != null && !value.isBlank()) {
                if (value.length() > 200) {
                    throw new BadRequestException(filter, filter + " is longer than any value (200 characters)");
                }
                applied.put(filter, value.trim());
            }
        }
        FigureTable table = figures.table(figure, range.from(), range.to(), granularity);
        List<List<Object>> rows = FigureRoute.filter(table, applied);
        if (csv) {
            return new ApiResponse(200, FIGURE_CSV_HEADERS, FigureRoute.csv(table, rows));
        }
        return new ApiResponse(200, FIGURE_JSON_HEADERS, FigureRoute.json(JSON, table, rows, applied).toString());
    }

    /** format=csv, or an Accept header that prefers text/csv and does not ask for JSON. */
    private static boolean csvWanted(ApiRequest request) {
        String format = request.query().getOrDefault("format", "").trim().toLowerCase(Locale.ROOT);
        if (!format.isEmpty()) {
            if (!format.equals("csv") && !format.equals("json")) {
                throw new BadRequestException("format", "format must be json or csv; got '" + abbreviate(format)
                        + "'");
            }
            return format.equals("csv");
        }
        String accept = request.header("accept").orElse("").toLowerCase(Locale.ROOT);
        return accept.contains("text/csv") && !accept.contains("application/json");
    }

    private interface Route {
        ApiResponse answer();
    }

    private static ApiResponse get(ApiRequest request, Route route) {
        if (!"GET".equalsIgnoreCase(request.method()) && !"HEAD".equalsIgnoreCase(request.method())) {
            ApiResponse refused = error(405, "method_not_allowed", "only GET and HEAD are supported", null);
            // RFC 9110: a 405 names the methods that are allowed.
            Map<String, String> headers = new TreeMap<>(refused.headers());
            headers.put("allow", "GET, HEAD");
            return new ApiResponse(405, headers, refused.body());
        }
        return route.answer();
    }

    /**
     * The answer kept for the same request while the rollups have not changed (AnswerCache), else computed and
     * kept if it is a 200. The key holds today's date, since a request without from/to means the last 30 days.
     */
    private ApiResponse cached(ApiRequest request, String route, Route compute) {
        if (answers.isEmpty()) {
            return compute.answer();
        }
        AnswerCache cache = answers.get();
        long changes;
        try {
            changes = rollups.changes();
        } catch (RuntimeException e) {
            // The count unreadable (throttled): answered without the cache rather than refused.
            return compute.answer();
        }
        // Names and values encoded, so that no two queries make one key.
        StringBuilder key = new StringBuilder(route).append('?');
        new TreeMap<>(request.query()).forEach((name, value) -> key.append(encode(name)).append('=')
                .append(encode(value)).append('&'));
        key.append('\n').append(LocalDate.now(clock.withZone(ZoneOffset.UTC))).append('\n')
                .append(request.header("accept").orElse("").toLowerCase(Locale.ROOT));
        java.util.Optional<ApiResponse> kept = cache.get(key.toString(), changes);
        if (kept.isPresent()) {
            return kept.get();
        }
        ApiResponse answer = compute.answer();
        if (answer.status() == 200) {
            cache.put(key.toString(), changes, answer);
        }
        return answer;
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text == null ? "" : text, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A range of days a request asks for: the last 30 days by default, at most MAX_DAYS. */
    private record Range(LocalDate from, LocalDate to) {
    }

    private Range range(Map<String, String> query) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate to = date(query, "to").orElse(today);
        // The default start stays within the days a request may name, even when to is near the first of them.
        LocalDate from = date(query, "from").orElse(Collections.max(List.of(to.minusDays(DEFAULT_DAYS - 1),
                FIRST_DAY)));
        if (from.isAfter(to)) {
            throw new BadRequestException("from", "from (" + from + ") is after to (" + to + ")");
        }
        if (ChronoUnit.DAYS.between(from, to) + 1 > MAX_DAYS) {
            throw new BadRequestException("to", "the range is " + (ChronoUnit.DAYS.between(from, to) + 1)
                    + " days; at most " + MAX_DAYS + " days per request");
        }
        return new Range(from, to);
    }

    /**
     * The models seen in the range that the catalog does not know, most tokens first: what a user should add
     * to a catalog override so that author, origin, size and price apply.
     */
    private ApiResponse unknownModels(Map<String, String> query) {
        allowOnly(query, Set.of("from", "to"));
        Range range = range(query);
        Map<String, Totals> unknown = new TreeMap<>();
        for (StoredRollup rollup : rollups.query(RollupKey.MODEL, range.from(), range.to())) {
            if (!rollup.totals().isZero() && catalog.lookup(rollup.key().value()).isEmpty()) {
                unknown.merge(rollup.key().value(), rollup.totals(), Totals::plus);
            }
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("from", range.from().toString());
        body.put("to", range.to().toString());
        body.set("units", units());
        ArrayNode models = body.putArray("models");
        unknown.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue().totalTokens(), a.getValue().totalTokens()))
                .forEach(entry -> putTotals(models.addObject().put("model", entry.getKey()), entry.getValue()));
        return ok(body);
    }

    private ApiResponse usage(Map<String, String> query) {
        allowOnly(query, Set.of("from", "to", "granularity", "by"));
        Range range = range(query);
        LocalDate from = range.from();
        LocalDate to = range.to();
        Granularity granularity = enumOf(query, "granularity", Granularity.class, Granularity.DAY);
        String byParameter = query.getOrDefault("by", "").trim().toLowerCase(Locale.ROOT);
        String by = byParameter.isEmpty() ? "none" : byParameter;
        // Every dimension's rollups add up to the same totals; "none" sums open_weights, which has the fewest items
        // (at most three values a day: open, proprietary, unknown).
        Dimension dimension = by.equals("none") ? Dimension.OPEN_WEIGHTS : Dimension.byId(by).orElseThrow(
                () -> new BadRequestException("by", "by must be one of: none, " + DIMENSION_IDS + "; got '"
                        + abbreviate(by) + "'"));

        Map<String, Totals.Sum> series = new TreeMap<>();
        Totals.Sum total = new Totals.Sum();
        for (StoredRollup rollup : rollups.query(dimension.id(), from, to)) {
            if (rollup.totals().isZero()) {
                continue;
            }
            String period = granularity.periodStart(rollup.key().day()).toString();
            String seriesKey = by.equals("none") ? period + "\n" : period + "\n" + rollup.key().value();
            series.computeIfAbsent(seriesKey, k -> new Totals.Sum()).add(rollup.totals());
            total.add(rollup.totals());
        }
        if (by.equals("none") || dimension == Dimension.CATEGORY) {
            // The request shape (percentiles), overall or by category, from its own items.
            for (StoredRollup shape : rollups.query(TokenHistogram.DIMENSION, from, to)) {
                if (shape.totals().isZero()) {
                    continue;
                }
                String period = granularity.periodStart(shape.key().day()).toString();
                String seriesKey = by.equals("none") ? period + "\n"
                        : period + "\n" + TokenHistogram.categoryOf(shape.key());
                series.computeIfAbsent(seriesKey, k -> new Totals.Sum()).add(shape.totals());
                total.add(shape.totals());
            }
        }

        ObjectNode body = JSON.createObjectNode();
        body.put("from", from.toString());
        body.put("to", to.toString());
        body.put("granularity", granularity.name().toLowerCase(Locale.ROOT));
        body.put("by", by);
        body.set("units", units());
        ArrayNode rows = body.putArray("series");
        series.forEach((key, sum) -> {
            Totals totals = sum.totals();
            int newline = key.indexOf('\n');
            ObjectNode row = rows.addObject();
            row.put("period", key.substring(0, newline));
            if (!by.equals("none")) {
                row.put(by, key.substring(newline + 1));
            }
            putTotals(row, totals);
            putShape(row, totals);
        });
        ObjectNode totalsNode = body.putObject("totals");
        putTotals(totalsNode, total.totals());
        putShape(totalsNode, total.totals());
        return ok(body);
    }

    static final int MAX_UPLOADS = 200;

    /** One upload by key, or without a key the recent uploads (newest first) with their quarantine counts. */
    private ApiResponse upload(Map<String, String> query) {
        allowOnly(query, Set.of("key", "limit", "state"));
        if (!query.containsKey("key")) {
            return recentUploads(query);
        }
        String key = query.get("key");
        if (key == null || key.isBlank()) {
            throw new BadRequestException("key", "key is required: the S3 key of an uploaded log");
        }
        if (key.length() > 1024) {
            throw new BadRequestException("key", "key is longer than S3 allows (1024)");
        }
        var status = statuses.status(Ids.sourceId(dataBucket, key));
        if (status.isEmpty()) {
            return error(404, "not_found", "no upload with key '" + abbreviate(key) + "' has been seen", "key");
        }
        return ok(statusJson(status.get()));
    }

    private ApiResponse recentUploads(Map<String, String> query) {
        int limit = 50;
        String limitText = query.getOrDefault("limit", "").trim();
        if (!limitText.isEmpty()) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_UPLOADS) {
                throw new BadRequestException("limit", "limit must be a whole number from 1 to " + MAX_UPLOADS
                        + "; got '" + abbreviate(limitText) + "'");
            }
        }
        UploadStatus.State state = query.containsKey("state")
                ? enumOf(query, "state", UploadStatus.State.class, null) : null;
        ObjectNode body = JSON.createObjectNode();
        ArrayNode uploads = body.putArray("uploads");
        Map<String, Long> counts = new TreeMap<>();
        long quarantined = 0;
        // A state filter reads the most the API lists, then keeps the matching ones up to the limit.
        for (UploadStatus status : statuses.recent(state == null ? limit : MAX_UPLOADS)) {
            if (state != null && status.state() != state) {
                continue;
            }
            if (uploads.size() < limit) {
                uploads.add(statusJson(status));
                counts.merge(status.state().name().toLowerCase(Locale.ROOT), 1L, Long::sum);
                quarantined += status.recordsQuarantined();
            }
        }
        ObjectNode summary = body.putObject("summary");
        summary.put("uploads", uploads.size());
        ObjectNode byState = summary.putObject("by_state");
        counts.forEach(byState::put);
        summary.put("records_quarantined", quarantined);
        return ok(body);
    }

    private static ObjectNode statusJson(UploadStatus s) {
        ObjectNode node = JSON.createObjectNode();
        node.put("bucket", s.bucket());
        node.put("key", s.key());
        node.put("etag", s.etag());
        node.put("upload_id", s.uploadId());
        node.put("state", s.state().name().toLowerCase(Locale.ROOT));
        if (!s.format().isEmpty()) {
            node.put("format", s.format());
        }
        node.put("records_read", s.recordsRead());
        node.put("records_kept", s.recordsKept());
        node.put("records_quarantined", s.recordsQuarantined());
        ArrayNode errors = node.putArray("errors");
        s.errors().forEach(errors::add);
        s.quarantineKey().ifPresent(k -> node.put("quarantine_key", k));
        node.put("rollup_items", s.rollupItems());
        node.put("rollup_writes", s.rollupWrites());
        node.put("started_at", s.startedAt().toString());
        s.finishedAt().ifPresent(t -> node.put("finished_at", t.toString()));
        ObjectNode timings = node.putObject("timings_ms");
        s.timingsMs().forEach(timings::put);
        return node;
    }

    private static ObjectNode units() {
        ObjectNode units = JSON.createObjectNode();
        units.put("requests", "requests");
        units.put("prompt_tokens", "tokens");
        units.put("completion_tokens", "tokens");
        units.put("total_tokens", "tokens");
        units.put("reasoning_tokens", "tokens");
        units.put("cache_read_tokens", "tokens");
        units.put("cache_write_tokens", "tokens");
        units.put("cost_usd", "USD");
        units.put("priced_requests", "requests");
        units.put("tool_call_requests", "requests");
        units.put("priced_tokens", "tokens");
        units.put("long_prompt_requests", "requests");
        for (String kind : new String[] {"prompt_tokens", "completion_tokens"}) {
            for (String percentile : new String[] {"_p50", "_p90", "_p99"}) {
                units.put(kind + percentile, "tokens per request");
            }
        }
        return units;
    }

    private static void putTotals(ObjectNode node, Totals t) {
        node.put("requests", t.requests());
        node.put("prompt_tokens", t.promptTokens());
        node.put("completion_tokens", t.completionTokens());
        node.put("total_tokens", t.totalTokens());
        node.put("reasoning_tokens", t.reasoningTokens());
        node.put("cache_read_tokens", t.cacheReadTokens());
        node.put("cache_write_tokens", t.cacheWriteTokens());
        node.put("cost_usd", t.costUsd().stripTrailingZeros());
        node.put("priced_requests", t.pricedRequests());
        node.put("tool_call_requests", t.toolCallRequests());
        node.put("priced_tokens", t.pricedTokens());
        node.put("long_prompt_requests", t.longPromptRequests());
    }

    /**
     * Percentiles of prompt and completion tokens per request, from the merged request-shape histograms (within
     * 3.1% of the exact value; single-request records only): overall (by=none) and by category.
     */
    private static void putShape(ObjectNode node, Totals t) {
        if (t.shape().isEmpty()) {
            return;
        }
        for (char kind : new char[] {'p', 'c'}) {
            Map<Integer, Long> histogram = t.histogram(kind);
            String name = kind == 'p' ? "prompt_tokens" : "completion_tokens";
            for (int percentile : new int[] {50, 90, 99}) {
                node.put(name + "_p" + percentile, Math.round(TokenHistogram.quantile(histogram, percentile / 100.0)));
            }
        }
    }

    private static void allowOnly(Map<String, String> query, Set<String> allowed) {
        for (String name : query.keySet()) {
            if (!allowed.contains(name)) {
                throw new BadRequestException(abbreviate(name), "unknown parameter '" + abbreviate(name) + "'; "
                        + (allowed.isEmpty() ? "this route takes none"
                        : "allowed: " + String.join(", ", new java.util.TreeSet<>(allowed))));
            }
        }
    }

    private static java.util.Optional<LocalDate> date(Map<String, String> query, String name) {
        String value = query.get(name);
        if (value == null || value.isBlank()) {
            return java.util.Optional.empty();
        }
        try {
            LocalDate date = LocalDate.parse(value.trim());
            if (date.isBefore(FIRST_DAY) || date.isAfter(LAST_DAY)) {
                throw new BadRequestException(name, name + " must be between " + FIRST_DAY + " and " + LAST_DAY);
            }
            return java.util.Optional.of(date);
        } catch (DateTimeParseException e) {
            throw new BadRequestException(name, name + " must be a date YYYY-MM-DD, got '" + abbreviate(value) + "'");
        }
    }

    private static <E extends Enum<E>> E enumOf(Map<String, String> query, String name, Class<E> type, E fallback) {
        String value = query.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value.trim())) {
                return constant;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT));
        }
        throw new BadRequestException(name, name + " must be one of: " + allowed + "; got '" + abbreviate(value) + "'");
    }

    private static ApiResponse ok(ObjectNode body) {
        return new ApiResponse(200, JSON_HEADERS, body.toString());
    }

    static ApiResponse error(int status, String error, String message, String parameter) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", error);
        body.put("message", message);
        if (parameter != null) {
            body.put("parameter", parameter);
        }
        return new ApiResponse(status, JSON_HEADERS, body.toString());
    }

    private static String abbreviate(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        // Cut between code points: half a surrogate pair is not text, and no UTF-8 encoder can write it.
        return clean.codePointCount(0, clean.length()) <= 80 ? clean
                : clean.substring(0, clean.offsetByCodePoints(0, 77)) + "...";
    }
}
