package dev.tokenscope.local.generate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tokenscope.aws.AwsClients;
import dev.tokenscope.catalog.ModelCatalog;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** `tokenscope generate`: a synthetic year of usage logs with planted truths (docs/generate.md). */
public final class GenerateCommand {

    static final String USAGE = """
            usage: tokenscope generate --records N [--seed S] [--format canonical|bedrock|openrouter|litellm|otel]
                                       --out DIR|s3://BUCKET/PREFIX [--end YYYY-MM-DD] [--plan FILE.properties]
                                       [--set KNOB=VALUE]...
              s3:// uploads each week's file with the standard AWS settings (AWS_REGION, credentials,
              AWS_ENDPOINT_URL for a local stack or LocalStack).
            """;

    private static final JsonFactory JSON = new JsonFactory();
    private static final String S3_SCHEME = "s3://";

    private GenerateCommand() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Map<String, String> knobs = new HashMap<>();
        String format = "canonical";
        String destination = null;
        try {
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                String value = i + 1 < args.size() ? args.get(i + 1) : null;
                if (value == null) {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                i++;
                switch (arg) {
                    case "--records" -> knobs.put("records", value);
                    case "--seed" -> knobs.put("seed", value);
                    case "--end" -> knobs.put("end", value);
                    case "--format" -> format = value;
                    case "--out" -> destination = value;
                    case "--plan" -> knobs.putAll(properties(Path.of(value)));
                    case "--set" -> {
                        int eq = value.indexOf('=');
                        if (eq < 1) {
                            throw new IllegalArgumentException("--set needs KNOB=VALUE, got " + value);
                        }
                        knobs.put(value.substring(0, eq), value.substring(eq + 1));
                    }
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            if (destination == null || !knobs.containsKey("records")) {
                throw new IllegalArgumentException("--records and --out are required");
            }
            WorkloadPlan plan = WorkloadPlan.defaults(0, 1).with(knobs);
            FormatWriter writer = FormatWriter.named(format);
            long started = System.nanoTime();
            Workload workload = new Workload(plan, ModelCatalog.builtIn());
            long written;
            if (destination.startsWith(S3_SCHEME)) {
                String bucketAndPrefix = destination.substring(S3_SCHEME.length());
                int slash = bucketAndPrefix.indexOf('/');
                String bucket = slash < 0 ? bucketAndPrefix : bucketAndPrefix.substring(0, slash);
                if (bucket.isEmpty()) {
                    throw new IllegalArgumentException("--out " + destination + " names no bucket");
                }
                String prefix = slash < 0 ? "" : bucketAndPrefix.substring(slash + 1);
                try (S3Client s3 = AwsClients.fromEnvironment().s3(Optional.empty())) {
                    written = upload(workload, writer, s3, bucket, prefix);
                }
            } else {
                written = write(workload, writer, Path.of(destination));
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            out.printf("%,d %s records, %d weeks from %s to %s, in %s (%.1f s, %,.0f records/s)%n", written,
                    writer.id(), plan.weeks(), plan.start(), plan.end(), destination, seconds, written / seconds);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("tokenscope generate: " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (IOException e) {
            err.println("tokenscope generate: " + e);
            return 1;
        } catch (SdkException e) {
            err.println("tokenscope generate: upload to " + destination + " failed: " + e.getMessage());
            return 1;
        }
    }

    /** Every week's file; returns the records written. */
    public static long write(Workload workload, FormatWriter writer, Path dir) throws IOException {
        long written = 0;
        for (int w = 0; w < workload.plan().weeks(); w++) {
            written += writeWeekFile(workload, w, writer, dir).records();
        }
        return written;
    }

    /** One week's file and the records it holds. */
    private record WeekFile(Path file, long records) {
    }

    /** Week {@code w}'s file under {@code dir}, with the name the format gives it. */
    private static WeekFile writeWeekFile(Workload workload, int w, FormatWriter writer, Path dir)
            throws IOException {
        Path file = writer.file(dir, workload.weekStart(w).atZone(java.time.ZoneOffset.UTC).toLocalDate());
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            return new WeekFile(file, writeWeek(workload.week(w), writer, out));
        }
    }

    /**
     * Every week's file uploaded under the prefix, with the name it has in a folder. Each week goes through a
     * temporary file, so memory stays constant however large a week is; the file is deleted once uploaded.
     */
    public static long upload(Workload workload, FormatWriter writer, S3Client s3, String bucket, String prefix)
            throws IOException {
        String folder = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        Path scratch = Files.createTempDirectory("tokenscope-generate");
        long written = 0;
        try {
            for (int w = 0; w < workload.plan().weeks(); w++) {
                WeekFile week = writeWeekFile(workload, w, writer, scratch);
                Path file = week.file();
                written += week.records();
                String key = folder + scratch.relativize(file).toString().replace('\\', '/');
                s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/gzip"), RequestBody.fromFile(file));
                Files.delete(file);
            }
        } finally {
            try (var left = Files.walk(scratch)) {
                left.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return written;
    }

    /** Requests as one gzip file in the canonical format (the benchmarks' uploads). */
    public static long writeCanonical(Iterator<SyntheticRequest> requests, OutputStream out) throws IOException {
        return writeWeek(requests, FormatWriter.named("canonical"), out);
    }

    /** One week as gzip JSON Lines; the gzip header carries no time, so the bytes depend on the requests only. */
    static long writeWeek(Iterator<SyntheticRequest> requests, FormatWriter writer, OutputStream out)
            throws IOException {
        long written = 0;
        GZIPOutputStream gzip = new GZIPOutputStream(new BufferedOutputStream(out, 1 << 16), 1 << 16) {
            {
                // Speed over size: level 1 compresses these logs about as well, several times faster.
                def.setLevel(Deflater.BEST_SPEED);
            }
        };
        try (JsonGenerator json = JSON.createGenerator(gzip)) {
            json.setRootValueSeparator(null);
            while (requests.hasNext()) {
                writer.write(requests.next(), json);
                json.writeRaw('\n');
                written++;
            }
        }
        return written;
    }

    private static Map<String, String> properties(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> knobs = new HashMap<>();
        p.stringPropertyNames().forEach(k -> knobs.put(k, p.getProperty(k)));
        return knobs;
    }
}
