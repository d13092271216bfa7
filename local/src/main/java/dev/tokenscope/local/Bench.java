package dev.tokenscope.local;

import dev.tokenscope.ingest.BodyResolver;
import dev.tokenscope.ingest.FormatRegistry;
import dev.tokenscope.ingest.Limits;
import dev.tokenscope.ingest.LogReaders;
import dev.tokenscope.ingest.ParsedLine;
import dev.tokenscope.ingest.UnrecognisedFormatException;
import dev.tokenscope.local.classifier.ClassifierBench;
import dev.tokenscope.local.classifier.ClassifierCommand;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * `tokenscope bench`: measures in one run and writes BENCHMARKS.md. Reader throughput per format: each format's
 * test fixtures, repeated to a few MB of uncompressed text, read on one thread into canonical records; reported as
 * MB/s and as a ratio to splitting the same text into lines (the floor any reader pays), measured alongside.
 * Then ingest throughput (IngestBench), the memory of a 1 GB upload (MemoryBench) and the functions' cold start
 * and jar sizes (ColdStartBench), both of these on the local stack this starts, the API's latency under 50 clients
 * (ApiBench) and the warehouse's bytes scanned per query, Parquet vs raw JSON (WarehouseBench), both on one stack
 * loaded with generated weeks (BenchStack), and the use-case classifier: held-out macro-F1 and per-category
 * precision / recall, and prompts/s.
 */
final class Bench {

    private static final int TARGET_BYTES = 8 << 20;
    private static final int ROUNDS = 5;

    private Bench() {
    }

    record Row(String format, String file, long bytes, long records, double mbPerSecond, double linesMbPerSecond) {
    }

    /** The sections, in the order BENCHMARKS.md has them. */
    static final List<String> SECTIONS = List.of("readers", "ingest", "memory", "coldstart", "api", "warehouse",
            "classifier");

    /**
     * Measures every section and writes BENCHMARKS.md; with section names, measures only those and prints their
     * Markdown instead, leaving BENCHMARKS.md as it is.
     */
    static int run(Path root, List<String> sections, PrintStream out) throws IOException, InterruptedException {
        for (String section : sections) {
            if (!SECTIONS.contains(section)) {
                System.err.println("tokenscope bench: no section " + section + "; the sections are " + SECTIONS);
                return 2;
            }
        }
        List<String> chosen = sections.isEmpty() ? SECTIONS : sections;
        String provenance = provenance("./tokenscope bench" + (sections.isEmpty() ? "" : " "
                + String.join(" ", sections)));
        Path work = Files.createTempDirectory("tokenscope-bench");
        StringBuilder md = new StringBuilder("# Benchmarks\n\nEach section names the command, the date and the "
                + "machine that produced it. Every number of one table comes from the same run.\n");
        LocalStack stack = null;
        // Loading it takes minutes, so the API and warehouse sections share one.
        BenchStack loaded = null;
        try {
            for (String section : chosen) {
                if ((section.equals("memory") || section.equals("coldstart")) && stack == null) {
                    stack = LocalStack.start(root, Optional.empty(), 0);
                }
                if ((section.equals("api") || section.equals("warehouse")) && loaded == null) {
                    loaded = BenchStack.start(root, work.resolve("stack"), out);
                }
                md.append(switch (section) {
                    case "readers" -> readersSection(root, provenance, out);
                    case "ingest" -> IngestBench.section(work, provenance, out);
                    case "memory" -> MemoryBench.section(root, stack, work, provenance, out);
                    case "coldstart" -> ColdStartBench.section(root, stack, work, provenance, out);
                    case "api" -> ApiBench.section(loaded, provenance, out);
                    case "warehouse" -> WarehouseBench.section(loaded, root, provenance, out);
                    default -> classifierSection(root, provenance, out);
                });
            }
        } finally {
            if (loaded != null) {
                loaded.close();
            }
            if (stack != null) {
                stack.close();
            }
            LocalStack.deleteRecursively(work);
        }
        if (sections.isEmpty()) {
            Files.writeString(root.resolve("BENCHMARKS.md"), md);
            out.println("wrote " + root.resolve("BENCHMARKS.md"));
        } else {
            out.println();
            out.print(md);
        }
        return 0;
    }

    /** Reader throughput per format: each fixture repeated to a few MB, read into canonical records. */
    private static String readersSection(Path root, String provenance, PrintStream out) throws IOException {
        FormatRegistry registry = FormatRegistry.standard(Map.of());
        List<Row> rows = new ArrayList<>();
        for (Path fixture : fixtures(root)) {
            byte[] one = Files.readAllBytes(fixture);
            String format;
            try {
                format = open(registry, fixture.toString(), one).format().id();
            } catch (UnrecognisedFormatException e) {
                continue;
            }
            byte[] input = repeat(one, fixture.toString().endsWith(".csv"));
            Row row = measure(registry, format, root.relativize(fixture).toString(), input);
            if (row.records() > 0) {
                rows.add(row);
            }
            out.printf("%-20s %-70s %8.1f MB/s (lines only %8.1f MB/s)%n", format, row.file(), row.mbPerSecond(),
                    row.linesMbPerSecond());
        }
        rows.sort(java.util.Comparator.comparing(Row::format).thenComparing(Row::file));
        return markdown(rows, provenance);
    }

    /** The line each section starts with: the command, the date and the machine. */
    static String provenance(String command) {
        return "*Produced by `" + command + "` on " + LocalDate.now(ZoneOffset.UTC) + ", " + machine() + ".*";
    }

    private static List<Path> fixtures(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(root.resolve("events/sample-usage.jsonl"));
        files.add(root.resolve("events/sample-usage-with-errors.csv"));
        Path formats = root.resolve("shared/src/test/resources/formats");
        if (Files.isDirectory(formats)) {
            try (Stream<Path> walk = Files.walk(formats)) {
                walk.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".gz")).sorted()
                        .forEach(files::add);
            }
        }
        return files;
    }

    /** The file's text repeated to about TARGET_BYTES; a CSV keeps one header. */
    static byte[] repeat(byte[] one, boolean csv) {
        String text = new String(one, StandardCharsets.UTF_8);
        if (!text.endsWith("\n")) {
            text = text + "\n";
        }
        String body = text;
        if (csv) {
            body = text.substring(text.indexOf('\n') + 1);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(TARGET_BYTES + one.length * 2);
        byte[] first = text.getBytes(StandardCharsets.UTF_8);
        byte[] rest = body.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(first);
        while (out.size() < TARGET_BYTES && rest.length > 0) {
            out.writeBytes(rest);
        }
        return out.toByteArray();
    }

    private static LogReaders.Opened open(FormatRegistry registry, String name, byte[] bytes) throws IOException {
        return LogReaders.open(name, name, new ByteArrayInputStream(bytes), registry, Optional.empty(),
                Limits.DEFAULT, BodyResolver.NONE);
    }

    private static Row measure(FormatRegistry registry, String format, String file, byte[] input) throws IOException {
        long records = 0;
        long bestReader = Long.MAX_VALUE;
        long bestLines = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            long t0 = System.nanoTime();
            long count = 0;
            try (LogReaders.Opened opened = open(registry, file, input)) {
                while (opened.reader().hasNext()) {
                    if (opened.reader().next() instanceof ParsedLine.Good) {
                        count++;
                    }
                }
            }
            bestReader = Math.min(bestReader, System.nanoTime() - t0);
            records = count;
            long t1 = System.nanoTime();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(input),
                    StandardCharsets.UTF_8), 1 << 16)) {
                while (lines.readLine() != null) {
                    count--;
                }
            }
            bestLines = Math.min(bestLines, System.nanoTime() - t1);
        }
        double mb = input.length / 1e6;
        return new Row(format, file, input.length, records, mb / (bestReader / 1e9), mb / (bestLines / 1e9));
    }

    private static String markdown(List<Row> rows, String provenance) {
        StringBuilder md = new StringBuilder();
        md.append("\n## Reader throughput, one thread\n\n").append(provenance).append("\n\n");
        md.append("Each format's fixture (`shared/src/test/resources/formats`, `events/`) repeated to ~8 MB of "
                + "uncompressed text, read into canonical records (detection, parsing, field mapping); best of "
                + ROUNDS + " rounds. *Lines only* splits the same text into lines with a `BufferedReader`, the "
                + "floor any reader pays; the ratio is reader / lines-only.\n\n");
        md.append("| format | fixture | MB | records | MB/s | lines only MB/s | ratio |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            md.append(String.format("| %s | %s | %.1f | %d | %.1f | %.1f | %.3f |%n", r.format(), r.file(),
                    r.bytes() / 1e6, r.records(), r.mbPerSecond(), r.linesMbPerSecond(),
                    r.mbPerSecond() / r.linesMbPerSecond()));
        }
        return md.toString();
    }

    /**
     * The use-case classifier: held-out quality from the same leave-one-source-out code as `classifier eval`
     * (about two minutes: 23 trainings) and full-classify throughput on one thread from `ClassifierBench`.
     * Without the labelled prompt sets (../shared/data/prompts) the section says so.
     */
    static String classifierSection(Path root, String provenance, PrintStream out) throws IOException {
        Path data = root.resolve("../shared/data/prompts").normalize();
        StringBuilder md = new StringBuilder("\n## Use-case classifier\n\n").append(provenance).append("\n\n");
        if (!Files.isDirectory(data)) {
            return md.append("Not measured: no labelled prompt sets at `../shared/data/prompts`.\n").toString();
        }
        out.println("classifier: leave-one-source-out evaluation...");
        ClassifierCommand.Evaluation eval = ClassifierCommand.leaveOneSourceOut(data, out);
        out.println("classifier: throughput...");
        ClassifierBench.Speed speed = ClassifierBench.measure(root);
        md.append(String.format(Locale.ROOT, "Quality on held-out sources (`./tokenscope classifier eval` measures "
                + "the same): each of the %d labelled prompt sets in `../shared/data/prompts` is held out in turn, "
                + "the model trained on the others plus the own seeds, and the held-out set classified; %,d prompts. "
                + "**macro-F1 %.3f** (with the 0.5 confidence cut; low confidence counts as `other`), accuracy "
                + "%.3f.%n%n", eval.sources(), eval.prompts(), eval.macroF1(), eval.accuracy()));
        md.append(eval.categoryTable());
        md.append(String.format(Locale.ROOT, "%nThroughput of the shipped model, one thread, best of 7 passes over "
                + "%,d prompts (mean %,d characters): full `classify` (category, sub-tag, language) **%,.0f "
                + "prompts/s**; the use-case model alone %,.0f prompts/s; language identification alone %,.0f "
                + "prompts/s.%n", speed.prompts(), speed.meanChars(), speed.full(), speed.model(), speed.language()));
        return md.toString();
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException | java.io.UncheckedIOException e) {
            // Not Linux: the CPU stays unnamed.
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), Java "
                + System.getProperty("java.version");
    }
}
