package dev.tokenscope.local;

import dev.tokenscope.aggregate.RollupBuilder;
import dev.tokenscope.catalog.ModelCatalog;
import dev.tokenscope.classify.UseCaseClassifier;
import dev.tokenscope.ingest.BodyResolver;
import dev.tokenscope.ingest.Enricher;
import dev.tokenscope.ingest.FormatRegistry;
import dev.tokenscope.ingest.Limits;
import dev.tokenscope.ingest.LogReaders;
import dev.tokenscope.ingest.ParsedLine;
import dev.tokenscope.local.generate.GenerateCommand;
import dev.tokenscope.local.generate.SyntheticRequest;
import dev.tokenscope.local.generate.Workload;
import dev.tokenscope.local.generate.WorkloadPlan;
import dev.tokenscope.region.RegionMapping;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.zip.GZIPInputStream;

/**
 * Ingest against two references on the same file, in one run: the file is one upload of {@value #RECORDS}
 * generated requests of one week (gzip canonical JSON Lines with prompts). Ingest (parse, classify, enrich,
 * aggregate; no storage) on one thread; DuckDB with one thread reading the same file with read_json and grouping
 * it by day and model; plain gzip decompression of it. Also the rollup writes that upload makes per record.
 */
final class IngestBench {

    static final int RECORDS = 100_000;
    private static final int ROUNDS = 3;

    /**
     * The writes of an upload besides its rollup items: the status item and its recent-uploads copy, saved when
     * the upload starts and when it completes (4); the object's lease, taken (a put) and left (an update, then a
     * delete) (3); the rollups' change count, which the API's cache reads (1).
     */
    private static final int OTHER_WRITES = 8;

    private IngestBench() {
    }

    record Result(long records, long uncompressedBytes, long compressedBytes, double ingestMbPerSecond,
                  double duckDbMbPerSecond, double gunzipMbPerSecond, int rollupItems) {

        double writesPerRecord() {
            return (rollupItems + OTHER_WRITES) / (double) records;
        }
    }

    static String section(Path work, String provenance, PrintStream out) throws IOException {
        Path file = work.resolve("bench-upload.jsonl.gz");
        writeUpload(file, RECORDS);
        out.println("ingest bench: " + file);
        Result r = measure(file);
        return String.format(Locale.ROOT, """

                ## Ingest throughput, one thread

                %s

                One upload of %,d generated requests of one week (`tokenscope generate`'s workload, last week of the \
                default plan, seed 7: gzip canonical JSON Lines with prompts, %.1f MB, %.1f MB uncompressed), best of \
                %d rounds, all three in the same run. MB/s are of uncompressed bytes.

                | what | MB/s | ratio of ingest to it | target |
                |---|---:|---:|---:|
                | ingest: parse, classify, enrich, aggregate (no storage) | %.1f | | |
                | DuckDB 1 thread: `read_json` + `GROUP BY day, model` | %.1f | %.2f | >= 1.0 |
                | gzip decompression alone | %.1f | %.2f | >= 0.5 |

                Writes of that upload: %,d rollup items (one conditional update each) + %d others (status and its \
                recent-uploads copy at start and end, the object's lease taken and left, the change count) = **%.4f \
                DynamoDB writes per record** (target <= 0.02).
                """, provenance, r.records(), r.compressedBytes() / 1e6, r.uncompressedBytes() / 1e6, ROUNDS,
                r.ingestMbPerSecond(), r.duckDbMbPerSecond(), r.ingestMbPerSecond() / r.duckDbMbPerSecond(),
                r.gunzipMbPerSecond(), r.ingestMbPerSecond() / r.gunzipMbPerSecond(), r.rollupItems(),
                OTHER_WRITES, r.writesPerRecord());
    }

    /**
     * One upload of generated requests: the first {@code records} requests of the plan's last week, with the plan
     * sized so that week has that many.
     */
    static void writeUpload(Path file, int records) throws IOException {
        WorkloadPlan plan = WorkloadPlan.defaults(records * 60L, 7);
        Workload workload = new Workload(plan, ModelCatalog.builtIn());
        Iterator<SyntheticRequest> week = workload.week(plan.weeks() - 1);
        Iterator<SyntheticRequest> first = new Iterator<>() {
            private int taken;

            @Override
            public boolean hasNext() {
                return taken < records && week.hasNext();
            }

            @Override
            public SyntheticRequest next() {
                taken++;
                return week.next();
            }
        };
        try (OutputStream out = Files.newOutputStream(file)) {
            GenerateCommand.writeCanonical(first, out);
        }
    }

    static Result measure(Path file) throws IOException {
        long bestIngest = Long.MAX_VALUE;
        long bestDuck = Long.MAX_VALUE;
        long bestGunzip = Long.MAX_VALUE;
        long records = 0;
        long bytes = 0;
        int items = 0;
        Enricher enricher = new Enricher(ModelCatalog.builtIn(), UseCaseClassifier.standard(), RegionMapping.NONE);
        for (int round = 0; round < ROUNDS; round++) {
            long t0 = System.nanoTime();
            RollupBuilder rollup = new RollupBuilder();
            long count = 0;
            try (InputStream in = Files.newInputStream(file);
                 LogReaders.Opened opened = LogReaders.open(file.toString(), file.getFileName().toString(), in,
                         FormatRegistry.standard(Map.of()), Optional.empty(), Limits.DEFAULT, BodyResolver.NONE)) {
                while (opened.reader().hasNext()) {
                    if (opened.reader().next() instanceof ParsedLine.Good good) {
                        rollup.add(enricher.enrich(good.record()));
                        count++;
                    }
                }
            }
            bestIngest = Math.min(bestIngest, System.nanoTime() - t0);
            records = count;
            items = rollup.deltas().size();

            long t1 = System.nanoTime();
            bytes = gunzip(file);
            bestGunzip = Math.min(bestGunzip, System.nanoTime() - t1);

            long t2 = System.nanoTime();
            long grouped = duckDb(file);
            bestDuck = Math.min(bestDuck, System.nanoTime() - t2);
            if (grouped != records) {
                throw new IllegalStateException("DuckDB counted " + grouped + " records, ingest " + records);
            }
        }
        double mb = bytes / 1e6;
        return new Result(records, bytes, Files.size(file), mb / (bestIngest / 1e9), mb / (bestDuck / 1e9),
                mb / (bestGunzip / 1e9), items);
    }

    /** The uncompressed size of a gzip file, by decompressing it. */
    static long gunzip(Path file) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
            }
        }
        return total;
    }

    /** The records DuckDB grouped: the sum of its group counts. */
    private static long duckDb(Path file) {
        Properties properties = new Properties();
        properties.setProperty("autoinstall_known_extensions", "false");
        String path = file.toAbsolutePath().toString().replace("'", "''");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:", properties);
             Statement statement = connection.createStatement()) {
            statement.execute("SET threads = 1");
            try (ResultSet rs = statement.executeQuery("SELECT sum(n) FROM (SELECT substr(timestamp, 1, 10) AS day, "
                    + "model, count(*) AS n, sum(prompt_tokens) AS p, sum(completion_tokens) AS c, sum(cost_usd) AS cost "
                    + "FROM read_json('" + path + "', format = 'newline_delimited', compression = 'gzip', "
                    + "columns = {'timestamp': 'VARCHAR', 'model': 'VARCHAR', 'prompt_tokens': 'BIGINT', "
                    + "'completion_tokens': 'BIGINT', 'cost_usd': 'DOUBLE'}) GROUP BY 1, 2)")) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB: " + e.getMessage(), e);
        }
    }
}
