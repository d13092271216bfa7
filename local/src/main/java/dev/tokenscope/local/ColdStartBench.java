package dev.tokenscope.local;

import dev.tokenscope.store.ObjectStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Cold start of each function: a fresh JVM with the function's jar, from starting the process to its first event
 * handled against the local stack, the median of {@value #RUNS} fresh JVMs per JVM variant, the variants taking
 * turns in the same run so that the machine's load falls on all of them alike. Also the size of each jar.
 */
final class ColdStartBench {

    static final int RUNS = 5;
    static final long TARGET_MS = 800;
    static final long TARGET_JAR_BYTES = 20_000_000;
    static final List<String> FUNCTIONS = List.of("ingest", "api", "recompute");
    private static final String NAME = "cold-start-bench";
    private static final List<String> TIER_1 = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1");

    private ColdStartBench() {
    }

    /** How the JVM is started; the archive variants use an AppCDS archive made by one training run first. */
    enum Variant {
        DEFAULT("default JVM flags"),
        TIER_1("`-XX:TieredStopAtLevel=1` (C1 only; Lambda's java17 default)"),
        APP_CDS("AppCDS archive (`-XX:SharedArchiveFile`), the local stand-in for SnapStart"),
        APP_CDS_TIER_1("AppCDS archive and C1 only"),
        EXPLODED("default flags, the jar unpacked into a folder as `sam build` deploys it");

        final String label;

        Variant(String label) {
            this.label = label;
        }

        boolean archived() {
            return this == APP_CDS || this == APP_CDS_TIER_1;
        }
    }

    /** The medians of one function's runs in one variant, in milliseconds, and the range of the totals. */
    record Timing(String function, Variant variant, long total, long jvm, long build, long handle, long min,
                  long max) {

        static Timing of(String function, Variant variant, List<FunctionJvm.Run> runs) {
            return new Timing(function, variant, median(runs, FunctionJvm.Run::totalMs),
                    median(runs, FunctionJvm.Run::jvmMs), median(runs, FunctionJvm.Run::buildMs),
                    median(runs, FunctionJvm.Run::handleMs),
                    runs.stream().mapToLong(FunctionJvm.Run::totalMs).min().orElse(0),
                    runs.stream().mapToLong(FunctionJvm.Run::totalMs).max().orElse(0));
        }
    }

    static String section(Path root, LocalStack stack, Path work, String provenance, PrintStream out)
            throws IOException, InterruptedException {
        stack.createBucket(NAME);
        stack.createTable(NAME);
        Path exploded = Files.createDirectories(work.resolve("exploded"));
        Map<String, Path> unpacked = new LinkedHashMap<>();
        for (String function : FUNCTIONS) {
            unpacked.put(function, unpack(FunctionJvm.jar(root, function), exploded.resolve(function)));
        }
        ColdStarts runner = new ColdStarts(root, stack, work, unpacked);
        for (String function : FUNCTIONS) {
            out.println("cold start bench: AppCDS archive of " + function + "...");
            runner.train(function);
        }
        List<Timing> timings = new ArrayList<>();
        List<FunctionJvm.Run> steps = new ArrayList<>();
        for (String function : FUNCTIONS) {
            Map<Variant, List<FunctionJvm.Run>> runs = new LinkedHashMap<>();
            for (int i = 0; i < RUNS; i++) {
                for (Variant variant : Variant.values()) {
                    runs.computeIfAbsent(variant, v -> new ArrayList<>()).add(runner.run(function, variant));
                }
                if (function.equals("ingest")) {
                    steps.add(runner.steps());
                }
            }
            runs.forEach((variant, list) -> timings.add(Timing.of(function, variant, list)));
            out.println("cold start bench: " + function + " " + runs.get(Variant.DEFAULT).stream()
                    .map(r -> r.totalMs() + " ms").toList());
        }
        return markdown(root, provenance, timings, steps);
    }

    /** Runs the functions in fresh JVMs: each ingest run is of a new upload of the sample, so none is a repeat. */
    private static final class ColdStarts {
        private final Path root;
        private final LocalStack stack;
        private final Path work;
        private final Map<String, Path> unpacked;
        private final FunctionJvm jvm;
        private final byte[] sample;
        private int uploads;

        ColdStarts(Path root, LocalStack stack, Path work, Map<String, Path> unpacked) throws IOException {
            this.root = root;
            this.stack = stack;
            this.work = work;
            this.unpacked = unpacked;
            this.jvm = new FunctionJvm(root, stack, work);
            this.sample = Files.readAllBytes(root.resolve("events/sample-usage.jsonl"));
        }

        private Path archive(String function) {
            return work.resolve(function + ".jsa");
        }

        /** One run that writes the function's AppCDS archive of the classes it loaded when it exits. */
        void train(String function) throws IOException, InterruptedException {
            invoke(function, FunctionJvm.jar(root, function), List.of("-XX:ArchiveClassesAtExit=" + archive(function)));
        }

        /** The ingest handler's start step by step (FunctionJarSmoke), default flags. */
        FunctionJvm.Run steps() throws IOException, InterruptedException {
            return invoke("ingest", FunctionJvm.jar(root, "ingest"), List.of("-D" + FunctionJarSmoke.STEPS + "=true"));
        }

        FunctionJvm.Run run(String function, Variant variant) throws IOException, InterruptedException {
            List<String> options = new ArrayList<>();
            if (variant.archived()) {
                options.add("-XX:SharedArchiveFile=" + archive(function));
            }
            if (variant == Variant.TIER_1 || variant == Variant.APP_CDS_TIER_1) {
                options.addAll(TIER_1);
            }
            Path code = variant == Variant.EXPLODED ? unpacked.get(function) : FunctionJvm.jar(root, function);
            return invoke(function, code, options);
        }

        private FunctionJvm.Run invoke(String function, Path code, List<String> options)
                throws IOException, InterruptedException {
            String[] args = switch (function) {
                case "ingest" -> {
                    String key = "logs/2026/11/sample-usage-" + (++uploads) + ".jsonl";
                    String etag = ObjectStore.bareEtag(stack.s3().putObject(b -> b.bucket(NAME).key(key),
                            RequestBody.fromBytes(sample)).eTag());
                    yield new String[] {NAME, key, etag};
                }
                case "api" -> new String[] {"2026-11-02", "2026-11-03"};
                default -> new String[0];
            };
            FunctionJvm.Run run = jvm.run(function, code, options, NAME, NAME, Duration.ofMinutes(2), args);
            boolean handled = switch (function) {
                case "ingest" -> run.answer().contains(" complete read=8 kept=8 ");
                case "api" -> run.answer().startsWith("200 ");
                default -> run.answer().startsWith("RecomputeHandler built");
            };
            if (!handled) {
                throw new IllegalStateException(function + " did not handle its event: " + run.answer());
            }
            return run;
        }
    }

    /** The jar's entries written under a folder, as `jar xf` does for sam build (Makefile). */
    private static Path unpack(Path jar, Path folder) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                Path target = folder.resolve(entry.getName()).normalize();
                if (!target.startsWith(folder)) {
                    throw new IOException("entry outside the folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target);
                }
            }
        }
        return folder;
    }

    /** The middle value; of an even count, the lower of the two middle ones (a time that was measured). */
    static <T> long median(List<T> runs, ToLongFunction<T> value) {
        long[] values = runs.stream().mapToLong(value).sorted().toArray();
        if (values.length == 0) {
            throw new IllegalArgumentException("no runs");
        }
        return values[(values.length - 1) / 2];
    }

    private static String markdown(Path root, String provenance, List<Timing> timings, List<FunctionJvm.Run> steps)
            throws IOException {
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, """

                ## Cold start and function jars

                %s

                Each function's jar (`functions/target/tokenscope-*-lambda.jar`) on a fresh JVM with only that jar \
                and `FunctionJarSmoke` on its class path: the handler built from the environment by its no-arg \
                constructor, then one event against S3Mock and dynalite (ingest: a new upload of \
                `events/sample-usage.jsonl`, 8 records, as `events/s3-put.json` names it; api: `GET /v1/usage` by \
                category; recompute: the handler built only, Athena having no local stand-in). Times from starting \
                the process to the event handled, median of %d fresh JVMs per row, the variants taking turns in the \
                same run; the parts are medians of their own (*JVM*: process start to `main`; *build*: the \
                handler's constructor, which loads most classes, builds the SDK clients, reads the models and the \
                built-in catalog: what a SnapStart snapshot holds; *handle*: the first event, which reads the \
                bucket's catalog overrides and region mapping and loads the request path's classes; for ingest it \
                is also 3 status and manifest round trips before the records and 77 conditional rollup updates and \
                2 manifest writes after them, against dynalite, a far slower stand-in than DynamoDB). Target: \
                ingest < %d ms.

                | function | JVM | total ms | JVM ms | build ms | handle ms | range ms |
                |---|---|---:|---:|---:|---:|---|
                """, provenance, RUNS, TARGET_MS));
        for (Timing t : timings) {
            md.append(String.format(Locale.ROOT, "| %s | %s | **%d** | %d | %d | %d | %d–%d |%n", t.function(),
                    t.variant().label, t.total(), t.jvm(), t.build(), t.handle(), t.min(), t.max()));
        }
        md.append(stepsTable(steps));
        md.append("\n| function jar | MB | target |\n|---|---:|---:|\n");
        for (String function : FUNCTIONS) {
            long bytes = Files.size(FunctionJvm.jar(root, function));
            md.append(String.format(Locale.ROOT, "| %s | %.1f | < %d |%n",
                    root.relativize(FunctionJvm.jar(root, function)), bytes / 1e6, TARGET_JAR_BYTES / 1_000_000));
        }
        return md.toString();
    }

    /**
     * The ingest handler's start taken apart, medians of its own runs: what the handler's constructor does first,
     * done step by step before it (FunctionJarSmoke), then the constructor's rest and the event.
     */
    private static String stepsTable(List<FunctionJvm.Run> runs) {
        Map<String, Long> medians = new LinkedHashMap<>();
        medians.put("JVM start", median(runs, FunctionJvm.Run::jvmMs));
        for (String step : runs.get(0).steps().keySet()) {
            medians.put(step.replace('_', ' '), median(runs, r -> r.steps().get(step)));
        }
        medians.put("handler's constructor, the rest (wiring)",
                median(runs, r -> r.buildMs() - r.steps().values().stream().mapToLong(Long::longValue).sum()));
        medians.put("event handled", median(runs, FunctionJvm.Run::handleMs));
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, """

                The ingest function's start taken apart (default flags, %d more fresh JVMs, taking turns with the \
                rows above; medians of each part, total %d ms): the handler's constructor's first steps done one by \
                one before it, each timed, then what the constructor still takes, then the event.

                | part | ms |
                |---|---:|
                """, runs.size(), median(runs, FunctionJvm.Run::totalMs)));
        medians.forEach((part, ms) -> md.append("| ").append(part).append(" | ").append(ms).append(" |\n"));
        return md.toString();
    }
}
