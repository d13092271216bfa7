package dev.tokenscope.local;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.tokenscope.catalog.ModelCatalog;
import dev.tokenscope.local.generate.GenerateCommand;
import dev.tokenscope.local.generate.Workload;
import dev.tokenscope.local.generate.WorkloadPlan;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The product on one machine: the local stack, the three handlers, the API on loopback, an upload watcher that
 * delivers S3 events, and the recompute on a schedule. Everything it starts, close() stops.
 */
public final class LocalRunner implements AutoCloseable {

    public static final String BUCKET = "tokenscope-local";
    public static final String TABLE = "tokenscope-local";
    public static final String LOG_PREFIX = "logs/";
    static final int RECOMPUTE_DAYS = 7;
    /** Requests in the demo's year: enough for every figure to show its trend, few enough to load in a minute. */
    static final long DEMO_RECORDS = 40_000;

    /** How the runner is started; see Main for the command-line spelling. */
    public record Options(Path projectRoot, Optional<Path> dataDir, int apiPort, int s3Port, boolean demo,
                          int recomputeMinutes, long pollMillis) {
    }

    private final LocalStack stack;
    private final LocalFunctions functions;
    private final UploadWatcher watcher;
    private final ApiServer api;
    private final ScheduledExecutorService schedule;
    private final PrintStream out;

    private LocalRunner(LocalStack stack, LocalFunctions functions, UploadWatcher watcher, ApiServer api,
                        ScheduledExecutorService schedule, PrintStream out) {
        this.stack = stack;
        this.functions = functions;
        this.watcher = watcher;
        this.api = api;
        this.schedule = schedule;
        this.out = out;
    }

    public static LocalRunner start(Options options, PrintStream out) {
        Path work = options.dataDir().orElse(options.projectRoot().resolve("target/tokenscope-ephemeral"));
        LocalStack stack = LocalStack.start(options.projectRoot(), options.dataDir(), options.s3Port());
        try {
            stack.createBucket(BUCKET);
            stack.createTable(TABLE);
            LocalFunctions functions = LocalFunctions.wire(stack, BUCKET, TABLE, work, RECOMPUTE_DAYS,
                    Clock.systemUTC());
            UploadWatcher watcher = new UploadWatcher(stack.s3(), BUCKET, LOG_PREFIX, functions.ingest(), out);
            if (options.demo()) {
                loadDemo(stack, out);
            }
            watcher.poll();
            ApiServer api = ApiServer.start(options.apiPort(), functions.api());
            ScheduledExecutorService schedule = Executors.newScheduledThreadPool(2, runnable -> {
                Thread thread = new Thread(runnable, "tokenscope-schedule");
                thread.setDaemon(true);
                return thread;
            });
            LocalRunner runner = new LocalRunner(stack, functions, watcher, api, schedule, out);
            runner.recompute();
            schedule.scheduleWithFixedDelay(runner::pollQuietly, options.pollMillis(), options.pollMillis(),
                    TimeUnit.MILLISECONDS);
            schedule.scheduleWithFixedDelay(runner::recompute, options.recomputeMinutes(),
                    options.recomputeMinutes(), TimeUnit.MINUTES);
            return runner;
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
    }

    /**
     * A year of generated traffic ending today (the `tokenscope generate` workload, so the demo shows the report's
     * trends: programming and Chinese open models rising, a loyal and a boomerang cohort), one object per week.
     * Loaded once: when the data folder already holds demo logs, they are kept as they are, since weeks generated
     * on another day would overlap them and count their days twice.
     */
    private static void loadDemo(LocalStack stack, PrintStream out) {
        String prefix = LOG_PREFIX + "demo/";
        if (stack.s3().listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix).maxKeys(1)).keyCount() > 0) {
            out.println("demo: logs already in s3://" + BUCKET + "/" + prefix + ", kept");
            return;
        }
        WorkloadPlan plan = WorkloadPlan.defaults(DEMO_RECORDS, 42).with(Map.of(
                "end", LocalDate.now(ZoneOffset.UTC).toString(), "usersPerCohort", "60"));
        Workload workload = new Workload(plan, ModelCatalog.builtIn());
        for (int week = 0; week < plan.weeks(); week++) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            try {
                GenerateCommand.writeCanonical(workload.week(week), body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            LocalDate monday = plan.start().plusWeeks(week);
            String key = prefix + "usage-week-" + monday + ".jsonl.gz";
            stack.s3().putObject(b -> b.bucket(BUCKET).key(key).contentType("application/gzip"),
                    RequestBody.fromBytes(body.toByteArray()));
        }
        out.printf("demo: uploaded %d weekly logs (%,d requests, %s to %s) to s3://%s/%s%n", plan.weeks(),
                plan.records(), plan.start(), plan.end(), BUCKET, prefix);
    }

    private void pollQuietly() {
        try {
            watcher.poll();
        } catch (RuntimeException e) {
            out.println("upload watcher: " + e.getMessage());
        }
    }

    /** One scheduled recompute, through the RecomputeHandler as EventBridge would call it. */
    void recompute() {
        try {
            ScheduledEvent event = new ScheduledEvent();
            event.setSource("aws.events");
            event.setDetailType("Scheduled Event");
            out.println(functions.recompute().handleRequest(event, null));
        } catch (RuntimeException e) {
            out.println("recompute failed: " + e.getMessage());
        }
    }

    public int apiPort() {
        return api.port();
    }

    public LocalStack stack() {
        return stack;
    }

    public LocalFunctions functions() {
        return functions;
    }

    int pollNow() {
        return watcher.poll();
    }

    @Override
    public void close() {
        schedule.shutdownNow();
        api.close();
        stack.close();
    }
}
