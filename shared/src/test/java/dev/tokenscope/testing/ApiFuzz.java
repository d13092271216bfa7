package dev.tokenscope.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenscope.aggregate.Dimension;
import dev.tokenscope.figures.Figure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

/**
 * Random requests for the summary API, the same for the same seed: paths valid, nearly valid and garbage (very
 * long, unicode, control characters, percent-encoded), every method, parameters by the right names and by wrong
 * ones with values good, bad, out of range, huge, empty and hostile, and Accept headers of every kind. And the
 * rule every answer must keep: never a 5xx, a 4xx is a JSON error with error and message, no body shows a stack
 * trace or a Java exception, and (with an OpenApiContract) every answer is one the document describes.
 */
public final class ApiFuzz {

    /** One request: raw path and raw query as they go on the wire, the query decoded as a handler sees it. */
    public record Request(String method, String rawPath, String rawQuery, Map<String, String> query,
                          Map<String, String> headers) {

        @Override
        public String toString() {
            return method + " " + rawPath + (rawQuery.isEmpty() ? "" : "?" + rawQuery) + " " + headers;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The figure route three times: it has the most parameters and the most code behind them. The dashboard's
     * small files only: its chart library (1 MB) would add time, not cases.
     */
    private static final List<String> ROUTES = List.of("/v1/usage", "/v1/figures", "/v1/uploads",
            "/v1/models/unknown", "/v1/health", "/v1/openapi.json", "/v1/figures/{figure}", "/v1/figures/{figure}",
            "/v1/figures/{figure}", "/dashboard", "/dashboard/", "/dashboard/dashboard.css", "/dashboard/dashboard.js");
    private static final List<String> PARAMETERS = List.of("from", "to", "granularity", "by", "format", "key",
            "limit", "state", "category", "open", "origin", "author", "country", "language", "size", "model");
    private static final String[] METHODS = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "get", "Get",
        "PROPFIND", "FOO"};
    private static final String[] ACCEPTS = {"text/csv", "application/json", "*/*", "text/*", "text/csv, */*",
        "text/csv;q=0.1, application/json", "application/json;q=0, text/csv", "TEXT/CSV", "text/html",
        "application/xml", "", ";;;,,,", "text/csv; charset=utf-16"};
    private static final String[] HOSTILE = {"' OR 1=1 --", "\"; DROP TABLE rollups; --", "<script>alert(1)</script>",
        "${jndi:ldap://127.0.0.1/a}", "../../../../etc/passwd", "%00", "%", "%zz", "%E2%82", "\\u0000", "{{7*7}}",
        "$(id)", "`id`", "null", "undefined", "NaN", "-1", "1e309", "0x10", "[]", "{}", "true", "*", "?", "#",
        "&", "=", "+", "..", "/", "\\", "\t", " ", "🦙", "Ω", "日本語", "\u202e", "\ufeff", "\ud83e\udd99"};
    private static final String[] WORDS = {"programming", "translation", "roleplay", "unknown", "open", "proprietary",
        "china", "rest_of_world", "meta", "alibaba", "US", "DE", "europe", "en", "fr", "zh-Hans", "small", "large",
        "qwen3-coder", "gpt-4o-mini", "logs/sample-usage.jsonl", "logs/hand.jsonl"};
    private static final List<String> DASHBOARD_TYPES = List.of("text/html", "text/javascript", "text/css");
    /** What a stack trace or an exception's name looks like in a body. */
    private static final List<String> LEAKS = List.of("Exception", "Throwable", "Caused by", ".java:", "\tat ",
            "at dev.", "at java.", "java.lang.", "java.util.", "java.io.", "java.time.", "dev.tokenscope.",
            "com.fasterxml", "software.amazon", "StackOverflow", "OutOfMemory");

    private final Random random;
    private final boolean wire;
    private final LocalDate today;
    private final Function<String, List<String>> parametersOf;

    /**
     * @param wire         true for requests sent over HTTP: only what a client can put on the wire (a valid
     *                     request line, header values of visible ASCII); false for requests handed to the API
     *                     in-process
     * @param today        the day the API takes as today, so that dates fall around the data
     * @param parametersOf the query parameters a path takes (OpenApiContract::queryParameters), so that most
     *                     requests get past the parameter names to the values
     */
    public ApiFuzz(long seed, boolean wire, LocalDate today, Function<String, List<String>> parametersOf) {
        this.random = new Random(seed);
        this.wire = wire;
        this.today = today;
        this.parametersOf = parametersOf;
    }

    public Request next() {
        String path = path();
        String method = random.nextInt(10) < 9 ? (random.nextInt(8) == 0 ? "HEAD" : "GET") : pick(METHODS);
        List<String> own = parametersOf.apply(path);
        List<String[]> pairs = new ArrayList<>();
        int count = random.nextInt(10) < 8 ? random.nextInt(own.size() + 1) : random.nextInt(40);
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(20);
            String name = kind < 18 && !own.isEmpty() ? pick(own) : kind < 19 ? pick(PARAMETERS) : text(20);
            pairs.add(new String[] {name, value(name)});
        }
        StringBuilder rawQuery = new StringBuilder();
        Map<String, String> query = new LinkedHashMap<>();
        for (String[] pair : pairs) {
            rawQuery.append(rawQuery.length() == 0 ? "" : "&").append(encode(pair[0])).append('=')
                    .append(encode(pair[1]));
            // As API Gateway hands repeated parameters to a function: joined with commas.
            query.merge(pair[0], pair[1], (a, b) -> a + "," + b);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (random.nextInt(3) == 0) {
            headers.put(random.nextBoolean() ? "Accept" : "accept", random.nextInt(6) == 0 ? text(300) : pick(ACCEPTS));
        }
        if (random.nextInt(10) == 0) {
            headers.put("X-Fuzz-" + random.nextInt(100), text(100));
        }
        if (wire) {
            headers.replaceAll((name, value) -> visibleAscii(value));
        }
        String rawPath = wire ? onTheWire(encodePath(path)) : random.nextInt(4) == 0 ? encodePath(path) : path;
        return new Request(method, rawPath, rawQuery.toString(), query, headers);
    }

    private String path() {
        String route = pick(ROUTES).replace("{figure}", Figure.values()[random.nextInt(Figure.values().length)].id());
        return switch (random.nextInt(20)) {
            case 0 -> route + pick(new String[] {"/", "//", "/x", "/..", "/.", "?", "%2F", "/" + text(10)});
            case 1 -> route.toUpperCase(Locale.ROOT);
            case 2 -> "/v1/figures/" + (random.nextBoolean() ? text(30) : pick(HOSTILE));
            case 3 -> random.nextBoolean() ? "/" + text(random.nextInt(3000)) : "/v1/" + text(50);
            case 4 -> pick(new String[] {"/", "", "//", "/v1", "/v1/", "/v2/usage", "/v1//usage", "/./v1/usage",
                "/v1/usage/../health", "/v1/figures//categories", "/V1/USAGE", "/v1/figures/categories/extra"});
            case 5 -> "/" + "x".repeat(random.nextInt(3)) + pick(HOSTILE) + route;
            default -> route;
        };
    }

    private String value(String name) {
        if (random.nextInt(10) == 0) {
            return random.nextBoolean() ? pick(HOSTILE) : text(random.nextInt(10) == 0 ? 20_000 : 60);
        }
        return switch (name) {
            case "from", "to" -> date();
            case "granularity" -> pick(new String[] {"day", "week", "month", "DAY", "Week", " month ", "year",
                "hour", "", "days"});
            case "by" -> random.nextInt(4) == 0 ? pick(new String[] {"none", "", "NONE", "model ", "models", "period"})
                    : Dimension.values()[random.nextInt(Dimension.values().length)].id();
            case "format" -> pick(new String[] {"json", "csv", "CSV", " csv", "xml", "", "json,csv"});
            case "key" -> random.nextBoolean() ? pick(WORDS) : "logs/" + text(random.nextInt(10) == 0 ? 1100 : 40);
            case "limit" -> pick(new String[] {"1", "2", "50", "200", "201", "0", "-1", "007", " 5 ", "1e2", "2.5",
                "99999999999999999999", ""});
            case "state" -> pick(new String[] {"complete", "COMPLETE", "failed", "processing", "superseded",
                "rejected", "skipped", "done", ""});
            default -> random.nextBoolean() ? pick(WORDS) : random.nextInt(10) == 0 ? "x".repeat(201) : "";
        };
    }

    private String date() {
        LocalDate near = today.minusDays(random.nextInt(150) - 10);
        return switch (random.nextInt(10)) {
            case 0, 1, 2, 3, 8 -> near.toString();
            case 4 -> pick(new String[] {"1999-12-31", "2000-01-01", "2099-12-31", "2100-01-01", "0001-01-01",
                "9999-12-31", "+10000-01-01", "-2026-01-01", "2026-02-29", "2024-02-29", "2026-02-30",
                "2026-13-01", "2026-00-10", "2026-1-1", "26-11-01", "2026/11/01", "20261101", "2026-11-01T00:00:00Z",
                "today", "yesterday", "", " ", "2026-11-01 ", " 2026-11-01", "2026-11-01,2026-11-02"});
            case 5 -> near.toString().replace("-", pick(new String[] {"/", ".", "_", ""}));
            case 6 -> String.valueOf(random.nextLong());
            default -> today.minusDays(random.nextInt(3000)).toString();
        };
    }

    /**
     * Random text: letters, digits, punctuation, controls, unicode of every plane. Never a lone surrogate: what
     * API Gateway and the local server hand over is decoded UTF-8, which cannot hold one.
     */
    private String text(int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(8)) {
                case 0 -> text.append((char) random.nextInt(0x20));
                case 1 -> text.append((char) (0x80 + random.nextInt(0x780)));
                case 2 -> text.appendCodePoint(0x1F300 + random.nextInt(0x300));
                case 3 -> text.appendCodePoint(0x10000 + random.nextInt(0xF0000));
                case 4 -> text.append(pick(new String[] {"%", "&", "=", "?", "/", "#", "+", "\\", "\"", "'", "<", ">",
                    ",", ";", " ", "\u0000", "\r\n"}));
                default -> text.append((char) (0x21 + random.nextInt(0x5e)));
            }
        }
        return text.toString();
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }

    private String pick(List<String> options) {
        return options.get(random.nextInt(options.size()));
    }

    /** Percent-encodes everything but unreserved characters (a lone surrogate goes as '?', as UTF-8 encodes it). */
    private static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static String encodePath(String path) {
        String[] segments = path.split("/", -1);
        StringBuilder out = new StringBuilder(path.startsWith("/") ? "" : "/");
        for (int i = 0; i < segments.length; i++) {
            out.append(i == 0 ? "" : "/").append(encode(segments[i]));
        }
        return out.toString();
    }

    /**
     * A path the local runner's server (the JDK's) hands to tokenscope at all: it refuses one that begins with
     * "//" (a network-path reference to java.net.URI) with an HTML 400 of its own, before any handler runs.
     * In-process requests keep such paths.
     */
    private static String onTheWire(String path) {
        return path.startsWith("//") ? "/%2F" + path.substring(2) : path;
    }

    private static String visibleAscii(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString().trim();
    }

    /**
     * What is wrong with an answer by the rules every answer keeps, empty when nothing is.
     *
     * @param headers response headers, names in any case
     * @param body    the body as received (empty for HEAD)
     */
    public static List<String> problems(int status, Map<String, String> headers, String body) {
        List<String> problems = new ArrayList<>();
        String contentType = header(headers, "content-type");
        boolean redirect = status == 301 && !header(headers, "location").isEmpty();
        if (status < 200 || status >= 500 || (status >= 300 && !redirect && status < 400)) {
            problems.add("status " + status);
        }
        if (!body.equals(new String(body.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))) {
            problems.add("the body is not well-formed text (a lone surrogate): " + abbreviate(body));
        }
        // The dashboard's files are code of their own (a chart library), not answers of the API.
        boolean dashboardFile = status == 200 && DASHBOARD_TYPES.stream().anyMatch(contentType::startsWith);
        if (!dashboardFile && LEAKS.stream().anyMatch(body::contains)) {
            problems.add("the body shows a stack trace or an exception: " + abbreviate(body));
        }
        if (body.isEmpty() || dashboardFile) {
            return problems;
        }
        if (contentType.startsWith("application/json")) {
            Optional<JsonNode> json = parse(body);
            if (json.isEmpty()) {
                problems.add("the body is not JSON: " + abbreviate(body));
            } else if (status >= 400 && !(json.get().path("error").isTextual()
                    && json.get().path("message").isTextual() && !json.get().get("message").asText().isEmpty())) {
                problems.add("a " + status + " without error and message: " + abbreviate(body));
            }
        } else if (!(status == 200 && contentType.startsWith("text/csv"))) {
            problems.add("content type '" + contentType + "' for " + status);
        }
        return problems;
    }

    private static String header(Map<String, String> headers, String name) {
        return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse("");
    }

    private static Optional<JsonNode> parse(String body) {
        try {
            return Optional.of(JSON.readTree(body));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
