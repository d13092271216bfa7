package dev.tokenscope.local;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The product on one machine: the local stack, the three handlers, the API on loopback, an upload watcher that
 * delivers S3 events, and the recompute on a schedule. Everything it starts, close() stops.
 */
public final class LocalRunner implements AutoCloseable {

    public static final String BUCKET = "tokenscope-local";
    public static final String TABLE = "tokenscope-local";
    public static final String LOG_PREFIX = "logs/";
    static final int RECOMPUTE_DAYS = 7;

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
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /** Four weeks of demo traffic ending today, one object per day, unless they are already there. */
    private static void loadDemo(LocalStack stack, PrintStream out) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        int uploaded = 0;
        for (int back = 27; back >= 0; back--) {
            LocalDate day = today.minusDays(back);
            String key = LOG_PREFIX + "demo/usage-" + day + ".jsonl.gz";
            boolean present = stack.s3().listObjectsV2(b -> b.bucket(BUCKET).prefix(key)).keyCount() > 0;
            if (!present) {
                byte[] body = DemoLogs.day(day, 150 + (27 - back) * 10, 42);
                stack.s3().putObject(b -> b.bucket(BUCKET).key(key).contentType("application/gzip"),
                        software.amazon.awssdk.core.sync.RequestBody.fromBytes(body));
                uploaded++;
            }
        }
        out.println("demo: uploaded " + uploaded + " daily logs to s3://" + BUCKET + "/" + LOG_PREFIX + "demo/");
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
