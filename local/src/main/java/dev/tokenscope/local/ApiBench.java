package dev.tokenscope.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.tokenscope.api.SummaryApi;
import dev.tokenscope.catalog.ModelCatalog;
import dev.tokenscope.figures.Figure;
import dev.tokenscope.functions.SummaryApiHandler;
import dev.tokenscope.store.DynamoRetentionSnapshots;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;

/**
 * The summary API's latency under load: {@value #CLIENTS} client threads against the local runner's API (ApiServer,
 * the SummaryApiHandler, DynamoDB in dynalite) loaded with generated months of traffic. Each client sends request
 * after request over a mix of routes (every figure at month and at week granularity over the loaded span, usage by
 * several dimensions, the recent uploads, health); the first {@link #WARM_UP} is left out, then every request started
 * in {@link #MEASURED} is kept and sorted. Run twice: with the rollups in dynalite, and with the same rollups read
 * from memory, which tells the store's share of the latency from the API's own.
 */
final class ApiBench {

    static final int CLIENTS = 50;
    static final Duration WARM_UP = Duration.ofSeconds(15);
    static final Duration MEASURED = Duration.ofSeconds(30);
    /** Longer than any answer takes on a loaded machine: a request that times out counts as failed. */
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    /** The slowest routes by p99 shown in the table. */
    private static final int SLOWEST = 8;

    private ApiBench() {
    }

    /** One route of the mix: a label for the table and the path with its query. */
    record Route(String label, String path) {
    }

    /** The measured requests: route, latency and status of each, in the order they ended per client. */
    record Samples(int[] routes, long[] nanos, int[] statuses, int size) {

        static Samples merge(List<Samples> parts) {
            int total = parts.stream().mapToInt(Samples::size).sum();
            int[] routes = new int[total];
            long[] nanos = new long[total];
            int[] statuses = new int[total];
            int at = 0;
            for (Samples part : parts) {
                System.arraycopy(part.routes(), 0, routes, at, part.size());
                System.arraycopy(part.nanos(), 0, nanos, at, part.size());
                System.arraycopy(part.statuses(), 0, statuses, at, part.size());
                at += part.size();
            }
            return new Samples(routes, nanos, statuses, total);
        }

        long[] latencies(int route) {
            return IntStream.range(0, size).filter(i -> route < 0 || routes[i] == route)
                    .mapToLong(i -> nanos[i]).toArray();
        }

        long non2xx() {
            return Arrays.stream(statuses, 0, size).filter(s -> s < 200 || s > 299).count();
        }
    }

    /** Percentiles of one set of latencies, in milliseconds. */
    record Summary(int count, double p50, double p90, double p99, double max) {

        static Summary of(long[] nanos) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            return new Summary(sorted.length, millis(Percentiles.nearestRank(sorted, 0.50)),
                    millis(Percentiles.nearestRank(sorted, 0.90)), millis(Percentiles.nearestRank(sorted, 0.99)),
                    millis(sorted.length == 0 ? 0 : sorted[sorted.length - 1]));
        }

        private static double millis(long nanos) {
            return nanos / 1e6;
        }
    }

    /** The routes a dashboard and scripts call, over the loaded span. */
    static List<Route> mix(LocalDate from, LocalDate to) {
        List<Route> routes = new ArrayList<>();
        String range = "from=" + from + "&to=" + to;
        for (Figure figure : Figure.values()) {
            for (String granularity : List.of("month", "week")) {
                routes.add(new Route("figures/" + figure.id() + " " + granularity,
                        "/v1/figures/" + figure.id() + "?" + range + "&granularity=" + granularity));
            }
        }
        // Scripts poll usage over its default range, the last 30 days by day (the dashboard draws the figures).
        for (String by : List.of("none", "model", "category", "country", "author")) {
            routes.add(new Route("usage by " + by + ", last 30 days", "/v1/usage?by=" + by));
        }
        routes.add(new Route("uploads", "/v1/uploads"));
        routes.add(new Route("health", "/v1/health"));
        return List.copyOf(routes);
    }

    /** Runs the load against the API at the port and returns the measured requests. */
    static Samples load(int port, List<Route> routes, int clients, Duration warmUp, Duration measured) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        List<HttpRequest> requests = routes.stream().map(r -> HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + r.path())).timeout(TIMEOUT).GET().build())
                .toList();
        long start = System.nanoTime();
        long measureFrom = start + warmUp.toNanos();
        long end = measureFrom + measured.toNanos();
        List<Samples> parts = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread thread = new Thread(() -> {
                try {
                    Samples part = client(http, requests, client, measureFrom, end);
                    synchronized (parts) {
                        parts.add(part);
                    }
                } finally {
                    done.countDown();
                }
            }, "api-bench-client-" + c);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (parts.size() != clients) {
            throw new IllegalStateException("a client failed; see its stack trace above");
        }
        return Samples.merge(parts);
    }

    /** One client: request after request, each starting one route further along the mix than the last. */
    private static Samples client(HttpClient http, List<HttpRequest> requests, int client, long measureFrom, long end) {
        int capacity = 1 << 12;
        int[] routes = new int[capacity];
        long[] nanos = new long[capacity];
        int[] statuses = new int[capacity];
        int size = 0;
        // Clients start at different routes, so at any moment the mix is spread over the routes.
        int next = (client * 7) % requests.size();
        while (true) {
            long t0 = System.nanoTime();
            if (t0 >= end) {
                break;
            }
            int status;
            try {
                status = http.send(requests.get(next), HttpResponse.BodyHandlers.ofByteArray()).statusCode();
            } catch (IOException e) {
                // No answer within the timeout, or a broken connection: a failed request, counted as not 2xx.
                status = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            long t1 = System.nanoTime();
            // Every request started in the window counts, however long it takes: leaving out the ones that end
            // after it would leave out the slowest.
            if (t0 >= measureFrom) {
                if (size == routes.length) {
                    routes = Arrays.copyOf(routes, size * 2);
                    nanos = Arrays.copyOf(nanos, size * 2);
                    statuses = Arrays.copyOf(statuses, size * 2);
                }
                routes[size] = next;
                nanos[size] = t1 - t0;
                statuses[size] = status;
                size++;
            }
            next = (next + 1) % requests.size();
        }
        return new Samples(routes, nanos, statuses, size);
    }

    /** One run of the load: what served the rollup reads, and the requests measured. */
    record Run(String store, Samples samples, List<Summary> routes) {

        Summary all() {
            return Summary.of(samples.latencies(-1));
        }

        double perSecond() {
            return samples.size() / (MEASURED.toNanos() / 1e9);
        }
    }

    static Run run(String store, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler,
                   List<Route> routes, PrintStream out) {
        Samples samples;
        try (ApiServer api = ApiServer.start(0, handler)) {
            out.println("api bench (" + store + "): " + CLIENTS + " clients for " + WARM_UP.plus(MEASURED).toSeconds()
                    + " s...");
            samples = load(api.port(), routes, CLIENTS, WARM_UP, MEASURED);
        }
        List<Summary> perRoute = new ArrayList<>();
        for (int r = 0; r < routes.size(); r++) {
            perRoute.add(Summary.of(samples.latencies(r)));
        }
        Run run = new Run(store, samples, perRoute);
        out.printf(Locale.ROOT, "api bench (%s): %,d requests, %.0f/s, p50 %.1f ms, p99 %.1f ms, %d not 2xx%n", store,
                samples.size(), run.perSecond(), run.all().p50(), run.all().p99(), samples.non2xx());
        return run;
    }

    static String section(BenchStack data, String provenance, PrintStream out) {
        BenchStack.Load loaded = data.load();
        List<Route> routes = mix(loaded.from(), loaded.to());
        LocalStack stack = data.stack();
        Run cached = run("rollups in dynalite, answers cached (as deployed)", data.functions().api(), routes, out);
        DynamoRetentionSnapshots retention = new DynamoRetentionSnapshots(stack.dynamo(), BenchStack.TABLE,
                Clock.systemUTC());
        SummaryApi computed = new SummaryApi(data.functions().table(), data.functions().table(), retention,
                BenchStack.BUCKET, Clock.systemUTC(), ModelCatalog.builtIn(), false);
        Run dynamo = run("rollups in dynalite, every answer computed", new SummaryApiHandler(computed), routes, out);
        SummaryApi fromMemory = new SummaryApi(RollupsInMemory.copyOf(data.functions().table(), loaded.from(),
                loaded.to()), data.functions().table(), retention, BenchStack.BUCKET, Clock.systemUTC(),
                ModelCatalog.builtIn(), false);
        Run memory = run("rollups in memory, every answer computed", new SummaryApiHandler(fromMemory), routes, out);
        List<Integer> slowest = IntStream.range(0, routes.size()).boxed()
                .filter(r -> dynamo.routes().get(r).count() > 0)
                .sorted(Comparator.comparingDouble((Integer r) -> dynamo.routes().get(r).p99()).reversed())
                .limit(SLOWEST).toList();
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, """

                ## API latency, %d concurrent clients

                %s

                The local runner's API (ApiServer: the SummaryApiHandler behind the JDK HTTP \
                server, DynamoDB in dynalite) over %s. %d client threads (`java.net.http.HttpClient`, HTTP/1.1 \
                keep-alive) in the same JVM each send request after request, cycling through %d routes: every \
                figure at month and at week granularity over the whole span (what the dashboard asks), `/v1/usage` \
                over its default range (the last 30 days by day) by none, model, category, country and author, \
                `/v1/uploads`, `/v1/health`. The first %d s are warm-up and left out; then every request started in \
                the next %d s is measured, send to last byte. Client, server and dynalite share the machine's cores. \
                Three runs of the same load: the API as deployed, which keeps each answer while the rollups' change \
                count (one item, read per request) stays the same and for at most a minute (AnswerCache; after the \
                warm-up nearly every answer comes from it: what repeated dashboard views cost); the same API \
                computing every answer from the rollups (what a first view of each figure costs); and that with \
                the rollup reads answered from memory (a copy of the same items; retention and upload statuses still \
                from dynalite): what the API's own work costs without the store.

                | run | requests | requests/s | p50 ms | p90 ms | p99 ms | max ms | not 2xx | target |
                |---|---:|---:|---:|---:|---:|---:|---:|---|
                """, CLIENTS, provenance, loaded.describe(), CLIENTS, routes.size(), WARM_UP.toSeconds(),
                MEASURED.toSeconds()));
        for (Run run : List.of(cached, dynamo, memory)) {
            Summary all = run.all();
            md.append(String.format(Locale.ROOT, "| %s | %,d | %.1f | %.1f | %.1f | **%.1f** | %.1f | %d | p99 < 30 ms |%n",
                    run.store(), run.samples().size(), run.perSecond(), all.p50(), all.p90(), all.p99(), all.max(),
                    run.samples().non2xx()));
        }
        long unmeasured = dynamo.routes().stream().filter(r -> r.count() == 0).count();
        md.append(unmeasured == 0 ? "" : String.format(Locale.ROOT, "%n%d routes had no request started in the "
                + "measured window with the rollups in dynalite, every answer computed.%n", unmeasured));
        md.append("""

                Slowest routes by p99 with the rollups in dynalite, every answer computed:

                | route | requests | p50 ms | p99 ms | in memory: p50 ms | p99 ms |
                |---|---:|---:|---:|---:|---:|
                """);
        for (int r : slowest) {
            Summary d = dynamo.routes().get(r);
            Summary m = memory.routes().get(r);
            md.append(String.format(Locale.ROOT, "| %s | %,d | %.1f | %.1f | %.1f | %.1f |%n", routes.get(r).label(),
                    d.count(), d.p50(), d.p99(), m.p50(), m.p99()));
        }
        return md.toString();
    }
}
