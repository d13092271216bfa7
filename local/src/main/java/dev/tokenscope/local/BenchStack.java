package dev.tokenscope.local;

import dev.tokenscope.aggregate.Dimension;
import dev.tokenscope.catalog.ModelCatalog;
import dev.tokenscope.local.generate.GenerateCommand;
import dev.tokenscope.local.generate.Workload;
import dev.tokenscope.local.generate.WorkloadPlan;
import dev.tokenscope.recompute.QueryEngine;
import dev.tokenscope.recompute.RecomputeService;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The local stack loaded with generated months of traffic the way the product gets it, for the benchmarks that
 * need real data (the API's latency, the warehouse's bytes scanned): each generated week is one upload of canonical
 * gzip JSON Lines, put in S3Mock and ingested by the IngestHandler (rollups in dynalite, warehouse objects in
 * S3Mock); then one recompute over the whole span, as the schedule would run it, publishes the retention cohorts
 * and compacts every day into the Parquet table. Prompts are not stored (the default).
 */
final class BenchStack implements AutoCloseable {

    /**
     * Thirteen weeks, three months of figures at month and week granularity: loading is bound by dynalite taking the
     * rollup writes one by one (about 2,400 items per weekly upload), so more months cost minutes more.
     */
    static final int WEEKS = 13;
    static final long RECORDS = 200_000;
    static final long SEED = 7;
    static final String BUCKET = "tokenscope-bench";
    static final String TABLE = "tokenscope-bench";

    /** What was loaded and how long it took. */
    record Load(LocalDate from, LocalDate to, long records, int uploads, long uploadBytes, long rollupItems,
                double ingestSeconds, double recomputeSeconds) {

        String describe() {
            return String.format(java.util.Locale.ROOT, "%,d generated requests (`tokenscope generate`'s workload, "
                    + "seed %d) from %s to %s, one canonical gzip upload per week (%d uploads, %.1f MB), ingested "
                    + "in %.0f s into %,d rollup items; one recompute of the span (retention cohorts, Parquet "
                    + "compaction) in %.0f s", records, SEED, from, to, uploads, uploadBytes / 1e6, ingestSeconds,
                    rollupItems, recomputeSeconds);
        }
    }

    private final LocalStack stack;
    private final LocalFunctions functions;
    private final Path work;
    private final Load load;

    private BenchStack(LocalStack stack, LocalFunctions functions, Path work, Load load) {
        this.stack = stack;
        this.functions = functions;
        this.work = work;
        this.load = load;
    }

    static BenchStack start(Path projectRoot, Path work, PrintStream out) throws IOException {
        LocalStack stack = LocalStack.start(projectRoot, Optional.empty(), 0);
        try {
            stack.createBucket(BUCKET);
            stack.createTable(TABLE);
            LocalFunctions functions = LocalFunctions.wire(stack, BUCKET, TABLE, work, LocalRunner.RECOMPUTE_DAYS,
                    Clock.systemUTC());
            // The traffic ends today, so the API's default range (the last 30 days) and its recent uploads hold it.
            WorkloadPlan plan = WorkloadPlan.defaults(RECORDS, SEED).with(Map.of("weeks", Integer.toString(WEEKS),
                    "end", LocalDate.now(ZoneOffset.UTC).toString()));
            Workload workload = new Workload(plan, ModelCatalog.builtIn());
            long started = System.nanoTime();
            long records = 0;
            long bytes = 0;
            for (int week = 0; week < plan.weeks(); week++) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                records += GenerateCommand.writeCanonical(workload.week(week), body);
                String key = LocalRunner.LOG_PREFIX + "bench/week-" + workload.weekStart(week)
                        .atZone(ZoneOffset.UTC).toLocalDate() + ".jsonl.gz";
                deliver(stack, functions, key, body.toByteArray());
                bytes += body.size();
                out.printf("bench data: week %d of %d ingested%n", week + 1, plan.weeks());
            }
            double ingestSeconds = (System.nanoTime() - started) / 1e9;
            long recomputeStarted = System.nanoTime();
            RecomputeService.Result result = functions.recomputeService()
                    .recompute(new QueryEngine.Window(plan.start(), plan.end()));
            out.printf("bench data: recompute of %d rollups (%d rewritten), retention %s, %d days compacted%n",
                    result.rows(), result.written(), result.retention(),
                    result.compaction().map(c -> c.compacted().size()).orElse(0));
            double recomputeSeconds = (System.nanoTime() - recomputeStarted) / 1e9;
            long items = 0;
            for (String dimension : Dimension.storedIds()) {
                items += functions.table().query(dimension, plan.start(), plan.end()).size();
            }
            Load load = new Load(plan.start(), plan.end(), records, plan.weeks(), bytes, items, ingestSeconds,
                    recomputeSeconds);
            return new BenchStack(stack, functions, work, load);
        } catch (IOException | RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private static void deliver(LocalStack stack, LocalFunctions functions, String key, byte[] body) {
        String etag = stack.s3().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(body)).eTag()
                .replace("\"", "");
        functions.ingest().handleRequest(LocalEvents.objectCreated(BUCKET, key, body.length, etag, "0001"), null);
    }

    LocalStack stack() {
        return stack;
    }

    LocalFunctions functions() {
        return functions;
    }

    /** The folder the functions keep their scratch files and warehouse mirror in. */
    Path work() {
        return work;
    }

    Load load() {
        return load;
    }

    @Override
    public void close() {
        stack.close();
    }
}
