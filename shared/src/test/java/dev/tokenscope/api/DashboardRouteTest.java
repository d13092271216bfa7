package dev.tokenscope.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenscope.testing.InMemoryRetentionStore;
import dev.tokenscope.testing.InMemoryRollupStore;
import dev.tokenscope.testing.InMemoryStatusStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DashboardRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final SummaryApi api = new SummaryApi(new InMemoryRollupStore(), new InMemoryStatusStore(),
            new InMemoryRetentionStore(), "tokenscope-test",
            Clock.fixed(Instant.parse("2026-11-05T12:00:00Z"), ZoneOffset.UTC));

    private ApiResponse get(String path) {
        return api.handle(new ApiRequest("GET", path, Map.of()));
    }

    @Test
    void handle_shouldServeThePageAsHtmlThatOnlyRunsItsOwnScripts_whenDashboardIsAsked() {
        // when
        ApiResponse page = api.handle(new ApiRequest("GET", "/dashboard", Map.of("granularity", "week")));

        // then
        assertEquals(200, page.status());
        assertEquals("text/html; charset=utf-8", page.headers().get("content-type"));
        assertEquals("private, no-cache", page.headers().get("cache-control"));
        assertTrue(page.headers().get("content-security-policy").contains("script-src 'self';"));
        assertEquals("nosniff", page.headers().get("x-content-type-options"));
        assertTrue(page.body().startsWith("<!doctype html>"), page.body());
    }

    @Test
    void handle_shouldServeEveryFileThePageLinks_withItsContentType() {
        // given the files index.html loads, by their relative links
        List<String> links = new ArrayList<>();
        Matcher link = Pattern.compile("(?:src|href)=\"(dashboard/[^\"]+)\"").matcher(get("/dashboard").body());
        while (link.find()) {
            links.add(link.group(1));
        }
        assertEquals(List.of("dashboard/dashboard.css", "dashboard/echarts.min.js", "dashboard/dashboard.js"), links);

        for (String relative : links) {
            // when each is asked for where the browser resolves it from /dashboard
            ApiResponse file = get("/" + relative);

            // then it is there, typed for the browser, and not sniffed as anything else
            assertEquals(200, file.status(), relative);
            String type = relative.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
            assertEquals(type, file.headers().get("content-type"), relative);
            assertEquals("nosniff", file.headers().get("x-content-type-options"), relative);
            assertTrue(file.body().length() > 1000, relative);
        }
        assertEquals("private, no-cache", get("/dashboard/dashboard.js").headers().get("cache-control"));
        assertEquals("private, max-age=86400", get("/dashboard/echarts.min.js").headers().get("cache-control"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/dashboard/index.html", "/dashboard/../pom.xml", "/dashboard/%2e%2e/%2e%2e/pom.xml",
        "/dashboard/..%2fdashboard.js", "/dashboard/vendor/echarts/LICENSE", "/dashboard/dashboard.js/",
        "/dashboard/dashboard/dashboard.js", "/dashboard/META-INF/MANIFEST.MF", "/dashboard/DASHBOARD.JS",
        "/dashboard/vendor/echarts/echarts.min.js", "/dashboardx", "/dashboard.js"})
    void handle_shouldAnswerAJsonNotFound_whenAPathNamesNoFileOfTheDashboard(String path) throws Exception {
        // when
        ApiResponse response = get(path);

        // then
        assertEquals(404, response.status(), path);
        assertEquals("application/json; charset=utf-8", response.headers().get("content-type"));
        assertEquals("not_found", JSON.readTree(response.body()).get("error").asText());
    }

    @Test
    void handle_shouldRedirectToThePage_whenThePathEndsInASlash() {
        // when
        ApiResponse response = get("/dashboard/");

        // then relative links resolve from /dashboard only, so the slash goes, relatively (behind any prefix)
        assertEquals(301, response.status());
        assertEquals("../dashboard", response.headers().get("location"));
    }

    @Test
    void handle_shouldRefuse_whenTheMethodIsNotGet() throws Exception {
        // when
        ApiResponse response = api.handle(new ApiRequest("POST", "/dashboard", Map.of()));

        // then
        assertEquals(405, response.status());
        assertEquals("method_not_allowed", JSON.readTree(response.body()).get("error").asText());
    }
}
