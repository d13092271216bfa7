package dev.tokenscope.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard as a person sees it: the local runner with demo data, /dashboard opened in headless Chromium
 * (local/src/test/node/dashboard-check.mjs), and every figure's chart checked to have drawn data, with no console
 * error and no failed request. Screenshots stay in local/target/dashboard/.
 */
class DashboardIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Path ROOT = TestStack.projectRoot();
    private static final Path SCREENSHOTS = ROOT.resolve("local/target/dashboard");

    private static LocalRunner runner;
    private static Path chromium;

    @BeforeAll
    static void start() {
        chromium = Chromium.installed();
        NodeTools.file(ROOT, "playwright-core/package.json");
        runner = TestStack.demoRunner();
    }

    @Test
    void dashboard_shouldDrawDataInAChartForEveryFigure_whenOpenedOverTheDemoData() throws Exception {
        // given the figures the API lists
        List<String> figures = new ArrayList<>();
        get("/v1/figures").get("figures").forEach(f -> figures.add(f.get("figure").asText()));

        // when the page is opened with its defaults (the last 52 weeks, by week)
        JsonNode page = open("/dashboard", "dashboard.png");

        // then every figure has a chart, each drew points that are not all zero and shows a tooltip, and nothing
        // failed
        assertEquals("ready", page.get("state").asText(), page.get("status").asText());
        assertNoProblems(page);
        List<String> charted = new ArrayList<>();
        for (JsonNode chart : page.get("charts")) {
            String figure = chart.get("figure").asText();
            charted.add(figure);
            assertFalse(chart.get("series").isEmpty(), figure + " has no series: " + chart);
            int points = 0;
            int nonZero = 0;
            for (JsonNode series : chart.get("series")) {
                points += series.get("points").asInt();
                nonZero += series.get("nonZero").asInt();
            }
            assertTrue(points > 0 && nonZero > 0, figure + " drew no data: " + chart);
            assertFalse(chart.get("tooltip").asText().isBlank(), figure + " shows no tooltip: " + chart);
        }
        assertEquals(figures, charted);
        assertTrue(chart(page, "elasticity").get("title").asText().matches("slope -?\\d+\\.\\d\\d ± .*"),
                chart(page, "elasticity").toString());
        assertTrue(chart(page, "elasticity").get("series").findValuesAsText("name").contains("fit"),
                "the fitted line is drawn");
        assertEquals(2, chart(page, "quadrants").get("series").get(0).get("markLines").asInt(),
                "both median lines are drawn");
    }

    @Test
    void dashboard_shouldFilterTheFiguresThatTakeAFilter_whenTheLinkNamesOne() throws Exception {
        // given the category with the most open-weight tokens over the last four weeks, by day
        LocalDate to = LocalDate.now(ZoneOffset.UTC);
        String range = "from=" + to.minusDays(27) + "&to=" + to + "&granularity=day";
        String category = null;
        long most = -1;
        for (JsonNode row : get("/v1/figures/categories?" + range + "&open=open").get("rows")) {
            if (row.get("tokens").asLong() > most) {
                most = row.get("tokens").asLong();
                category = row.get("category").asText();
            }
        }

        // when the page is opened on a link that names the scope and the category
        JsonNode page = open("/dashboard?" + range + "&open=open&category=" + category, "dashboard-filtered.png");

        // then the category figures show that category alone, and a figure without the filter is not filtered
        assertEquals("ready", page.get("state").asText(), page.get("status").asText());
        assertNoProblems(page);
        JsonNode categories = chart(page, "categories");
        assertEquals(List.of(category), categories.get("series").findValuesAsText("name"), categories.toString());
        assertTrue(categories.get("series").get(0).get("nonZero").asInt() > 0, categories.toString());
        assertTrue(chart(page, "request-shape").get("meta").asText().contains("category = " + category),
                chart(page, "request-shape").toString());
        assertFalse(chart(page, "reasoning").get("meta").asText().contains("category"),
                chart(page, "reasoning").toString());
    }

    @Test
    void echartsBundle_shouldBeThePinnedPackagesFile_whenCommitted() throws Exception {
        // given the version package-lock.json pins and the copy the API serves
        JsonNode lock = JSON.readTree(ROOT.resolve("package-lock.json").toFile());
        String pinned = lock.get("packages").get("node_modules/echarts").get("version").asText();
        Path vendor = ROOT.resolve("shared/src/main/resources/dashboard/vendor/echarts");

        // when the pinned package's file is read
        byte[] fromPackage = Files.readAllBytes(NodeTools.file(ROOT, "echarts/dist/echarts.min.js"));

        // then the committed copy is that file, and its README names that version
        assertArrayEquals(fromPackage, Files.readAllBytes(vendor.resolve("echarts.min.js")),
                "copy node_modules/echarts/dist/echarts.min.js to " + vendor);
        assertTrue(Files.readString(vendor.resolve("README.md")).contains("**" + pinned + "**"),
                "vendor/echarts/README.md names version " + pinned);
    }

    private static void assertNoProblems(JsonNode page) {
        for (String problem : List.of("consoleErrors", "failedRequests", "httpErrors")) {
            assertTrue(page.get(problem).isEmpty(), problem + ": " + page.get(problem));
        }
    }

    private static JsonNode chart(JsonNode page, String figure) {
        for (JsonNode chart : page.get("charts")) {
            if (chart.get("figure").asText().equals(figure)) {
                return chart;
            }
        }
        throw new AssertionError("no chart for " + figure);
    }

    /** The page in headless Chromium, as the check script reports it; its screenshot under local/target/. */
    private static JsonNode open(String path, String screenshot) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Path png = SCREENSHOTS.resolve(screenshot);
        String printed = Commands.run(List.of("node", "local/src/test/node/dashboard-check.mjs",
                "http://127.0.0.1:" + runner.apiPort() + path, png.toString(), chromium.toString()), ROOT,
                Duration.ofMinutes(3), Map.of());
        System.out.println("dashboard screenshot: " + png);
        return JSON.readTree(printed);
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + runner.apiPort() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }
}
