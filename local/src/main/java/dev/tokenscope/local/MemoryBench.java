package dev.tokenscope.local;

import dev.tokenscope.ingest.Ids;
import dev.tokenscope.store.DynamoUsageTable;
import dev.tokenscope.store.ObjectStore;
import dev.tokenscope.store.S3ObjectStore;
import dev.tokenscope.store.UploadStatus;
import dev.tokenscope.store.WarehouseLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The memory one large upload needs, ingested the way Lambda runs it: the ingest function's jar on a fresh JVM
 * with a {@value #HEAP} heap, handling one S3 event for a generated upload of about 1 GB of uncompressed JSON
 * Lines against the local stack. The function reports its own peak resident memory (VmHWM).
 */
final class MemoryBench {

    /** About 620 bytes a record uncompressed (prompts included): a little over 1 GB. */
    static final int RECORDS = 1_700_000;
    static final String HEAP = "256m";
    static final long TARGET_RSS_MB = 400;
    private static final String NAME = "memory-bench";
    private static final String KEY = "logs/memory-bench.jsonl.gz";

    private MemoryBench() {
    }

    /** One ingest with its JVM options, what it printed and the status it saved. */
    record Result(String options, FunctionJvm.Run run, UploadStatus status, long warehouseBytes) {
    }

    static String section(Path root, LocalStack stack, Path work, String provenance, PrintStream out)
            throws IOException, InterruptedException {
        Path file = work.resolve("memory-upload.jsonl.gz");
        out.printf("memory bench: generating %,d requests into %s%n", RECORDS, file);
        IngestBench.writeUpload(file, RECORDS);
        long uncompressed = IngestBench.gunzip(file);
        long compressed = Files.size(file);
        FunctionJvm jvm = new FunctionJvm(root, stack, work);
        Result plain = ingest(stack, jvm, file, work, List.of("-Xmx" + HEAP), out);
        // Lambda's java17 runtime starts the JVM with the serial collector and C1 only (Lambda developer guide,
        // "Customize Java runtime startup behavior"): the same upload once more that way, for comparison.
        Result lambda = ingest(stack, jvm, file, work, List.of("-Xmx" + HEAP, "-XX:+UseSerialGC",
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1"), out);
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, """

                ## Memory of a 1 GB upload

                %s

                One upload of %,d generated requests (`tokenscope generate`'s workload, as in the ingest section: \
                gzip canonical JSON Lines with prompts), **%,.1f MB uncompressed** (%,.1f MB gzip), put into S3Mock \
                and ingested by the ingest function's own jar (`%s`) on a fresh JVM, as Lambda runs it: \
                `IngestHandler` built from the environment, then one S3 event, against S3Mock and dynalite. The \
                function reports its peak resident memory (`VmHWM` of `/proc/self/status`) after the event. \
                Target: peak RSS < %d MB with `-Xmx%s`.

                | JVM options | peak RSS MB | heap max MB | elapsed s | of which read + enrich / warehouse \
                upload / rollup writes s | MB/s | records read | kept | status | warehouse objects MB |
                |---|---:|---:|---:|---|---:|---:|---:|---|---:|
                """, provenance, RECORDS, uncompressed / 1e6, compressed / 1e6,
                root.relativize(FunctionJvm.jar(root, "ingest")), TARGET_RSS_MB, HEAP));
        for (Result r : List.of(plain, lambda)) {
            md.append(row(r, uncompressed));
        }
        md.append("""

                Elapsed is from starting the JVM to the event handled; the split is the upload status's own \
                timings (reading, classifying, enriching and aggregating the records and writing the warehouse \
                day files; uploading those; the rollup writes and manifests). MB/s are of uncompressed bytes over \
                the elapsed time. The second row is the same upload with the flags Lambda's java17 runtime uses by \
                default (serial collector, C1 only; template.yaml asks for C1 only too). The warehouse objects \
                are the gzip day files the function wrote to its `/tmp` before uploading them (Lambda's default \
                `/tmp` is 512 MB).
                """);
        return md.toString();
    }

    private static Result ingest(LocalStack stack, FunctionJvm jvm, Path file, Path work, List<String> options,
                                 PrintStream out) throws IOException, InterruptedException {
        String name = NAME + "-" + (options.size() > 1 ? "lambda" : "plain");
        stack.createBucket(name);
        stack.createTable(name);
        String etag = ObjectStore.bareEtag(stack.s3().putObject(b -> b.bucket(name).key(KEY),
                RequestBody.fromFile(file)).eTag());
        // The function's /tmp: where the warehouse day files are written before their upload.
        Path tmp = Files.createDirectories(work.resolve(name + "-tmp"));
        List<String> jvmOptions = new java.util.ArrayList<>(options);
        jvmOptions.add("-Djava.io.tmpdir=" + tmp);
        out.println("memory bench: ingesting with " + String.join(" ", options) + "...");
        FunctionJvm.Run run = jvm.run("ingest", jvmOptions, name, name, Duration.ofMinutes(30), name, KEY, etag);
        UploadStatus status = new DynamoUsageTable(stack.dynamo(), name).status(Ids.sourceId(name, KEY))
                .orElseThrow(() -> new IllegalStateException("the ingest saved no status: " + run.answer()));
        if (status.state() != UploadStatus.State.COMPLETE || status.recordsRead() != RECORDS
                || status.recordsKept() != RECORDS) {
            throw new IllegalStateException("the upload was not read whole: " + run.answer());
        }
        long warehouse = new S3ObjectStore(stack.s3()).list(name, WarehouseLayout.RECORDS_PREFIX).stream()
                .mapToLong(ObjectStore.ObjectSummary::size).sum();
        out.printf("memory bench: peak RSS %,d MB, %,.1f s%n", run.peakRssKb() >> 10, run.totalMs() / 1e3);
        return new Result(String.join(" ", options), run, status, warehouse);
    }

    private static String row(Result r, long uncompressed) {
        FunctionJvm.Run run = r.run();
        UploadStatus s = r.status();
        return String.format(Locale.ROOT, "| `%s` | %,.0f | %,d | %.1f | %.1f / %.1f / %.1f | %.1f | %,d | %,d | %s "
                        + "| %.1f |%n", r.options(), run.peakRssKb() / 1024.0, run.heapMaxMb(), run.totalMs() / 1e3,
                seconds(s, "parse_ms"), seconds(s, "warehouse_ms"), seconds(s, "rollup_ms"),
                uncompressed / 1e6 / (run.totalMs() / 1e3), s.recordsRead(), s.recordsKept(),
                s.state().name().toLowerCase(Locale.ROOT), r.warehouseBytes() / 1e6);
    }

    private static double seconds(UploadStatus status, String timing) {
        return status.timingsMs().getOrDefault(timing, 0L) / 1e3;
    }
}
