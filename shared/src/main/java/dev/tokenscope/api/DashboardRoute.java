package dev.tokenscope.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The dashboard's static files (resources under dashboard/), served by the API function so that the page calls the
 * figures with relative URLs on the same origin. The files hold no data, so their routes need no authorizer
 * (template.yaml); the figures the page reads are authorised as any other call. A request names an entry of ASSETS,
 * never a resource path, so no path reaches any other file on the classpath.
 */
final class DashboardRoute {

    static final String PATH = "/dashboard";

    /** The page and anything it loads revalidate on every visit, so a deploy shows at once. */
    private static final String REVALIDATE = "private, no-cache";

    // The page runs only its own files: no inline script, no other origin. Inline styles are allowed because
    // ECharts writes its tooltips as HTML with style attributes.
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private record Asset(String resource, String contentType, String cacheControl) {
    }

    /** URL name (after /dashboard/; "" is the page itself) -> the file. */
    private static final Map<String, Asset> ASSETS = Map.of(
            "", new Asset("dashboard/index.html", "text/html; charset=utf-8", REVALIDATE),
            "dashboard.js", new Asset("dashboard/dashboard.js", "text/javascript; charset=utf-8", REVALIDATE),
            "dashboard.css", new Asset("dashboard/dashboard.css", "text/css; charset=utf-8", REVALIDATE),
            // The chart library changes only with its pinned version (vendor/echarts/README.md): a day in cache.
            "echarts.min.js", new Asset("dashboard/vendor/echarts/echarts.min.js",
                    "text/javascript; charset=utf-8", "private, max-age=86400"));

    private DashboardRoute() {
    }

    /** The files the page loads, by their names after /dashboard/. */
    static Set<String> files() {
        Set<String> files = new TreeSet<>(ASSETS.keySet());
        files.remove("");
        return files;
    }

    /** Whether a path (without its trailing slash) is the dashboard's. */
    static boolean matches(String route) {
        return route.equals(PATH) || route.startsWith(PATH + "/");
    }

    static ApiResponse serve(ApiRequest request) {
        String path = request.path();
        if (path.equals(PATH + "/")) {
            // The page's relative links (dashboard/..., v1/...) resolve only from /dashboard itself. Relative, so
            // that it holds under any stage or path prefix in front of the API.
            return new ApiResponse(301, Map.of("location", "../dashboard", "cache-control", "no-store"), "");
        }
        String name = path.equals(PATH) ? "" : path.substring(PATH.length() + 1);
        Asset asset = ASSETS.get(name);
        if (asset == null) {
            return SummaryApi.error(404, "not_found", "the dashboard has no such file; the page is " + PATH, null);
        }
        Map<String, String> headers = asset.contentType().startsWith("text/html")
                ? Map.of("content-type", asset.contentType(), "cache-control", asset.cacheControl(),
                        "x-content-type-options", "nosniff", "content-security-policy", CONTENT_SECURITY_POLICY,
                        "referrer-policy", "no-referrer")
                : Map.of("content-type", asset.contentType(), "cache-control", asset.cacheControl(),
                        "x-content-type-options", "nosniff");
        return new ApiResponse(200, headers, read(asset.resource()));
    }

    /** Each file read once per function instance: the chart library is 1.1 MB, too much to reread per request. */
    private static final java.util.concurrent.ConcurrentMap<String, String> FILES =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static String read(String resource) {
        return FILES.computeIfAbsent(resource, DashboardRoute::load);
    }

    private static String load(String resource) {
        try (InputStream in = DashboardRoute.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the build left out " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
