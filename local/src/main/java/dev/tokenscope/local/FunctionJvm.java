package dev.tokenscope.local;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * A function's shaded jar run the way Lambda runs it: a fresh JVM whose class path is that jar and
 * FunctionJarSmoke alone, its handler built from the environment and given one event against the local stack.
 * The function jar tests and the benchmarks (cold start, memory) run functions through it.
 */
final class FunctionJvm {

    private final Path projectRoot;
    private final LocalStack stack;
    private final Path work;
    private final Path smokeJar;

    /**
     * What one run printed, with the wall-clock millisecond at which this JVM started it; the steps of the
     * handler's start, in milliseconds by name, when it was asked for them.
     */
    record Run(String answer, long spawnedAt, long mainAt, long builtAt, long handledAt, long peakRssKb,
               long heapMaxMb, Map<String, Long> steps) {

        /** From starting the process to the event handled: what a cold start costs the first event. */
        long totalMs() {
            return handledAt - spawnedAt;
        }

        /** Process and JVM start, up to the first line of main. */
        long jvmMs() {
            return mainAt - spawnedAt;
        }

        /** The handler's constructor: loading its classes, building the clients, reading models and catalogs. */
        long buildMs() {
            return builtAt - mainAt;
        }

        long handleMs() {
            return handledAt - builtAt;
        }
    }

    /** @param work a folder of this run's: the smoke class and each run's output go there */
    FunctionJvm(Path projectRoot, LocalStack stack, Path work) {
        this.projectRoot = projectRoot;
        this.stack = stack;
        this.work = work;
        this.smokeJar = smokeJar(work);
    }

    /**
     * The smoke class alone, in a jar of its own, so that no other class of this JVM's class path leaks in. A jar,
     * not a folder: an AppCDS archive accepts no non-empty folder on the class path.
     */
    private static Path smokeJar(Path work) {
        String entry = FunctionJarSmoke.class.getName().replace('.', '/') + ".class";
        try (InputStream in = FunctionJarSmoke.class.getResourceAsStream("/" + entry)) {
            Path jar = Files.createTempFile(work, "smoke-", ".jar");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
                out.putNextEntry(new JarEntry(entry));
                in.transferTo(out);
                out.closeEntry();
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The jar `mvn package` builds for the function (ingest, api or recompute), as sam build deploys it. */
    static Path jar(Path projectRoot, String function) {
        return projectRoot.resolve("functions/target/tokenscope-" + function + "-lambda.jar");
    }

    /**
     * Runs the function's handler once from its jar on a fresh JVM with the given JVM options, its resources
     * named as template.yaml would name them; fails unless it exits cleanly within the timeout.
     */
    Run run(String function, List<String> jvmOptions, String table, String bucket, Duration timeout,
            String... args) throws IOException, InterruptedException {
        return run(function, jar(projectRoot, function), jvmOptions, table, bucket, timeout, args);
    }

    /** The same with the function's code from {@code code}: its jar, or the jar unpacked into a folder. */
    Run run(String function, Path code, List<String> jvmOptions, String table, String bucket, Duration timeout,
            String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", code + File.pathSeparator + smokeJar,
                FunctionJarSmoke.class.getName(), function));
        command.addAll(List.of(args));
        Path output = Files.createTempFile(work, function + "-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        environment(builder.environment(), table, bucket);
        long spawnedAt = System.currentTimeMillis();
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(function + " did not finish within " + timeout + "; output in " + output);
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8).trim();
        if (process.exitValue() != 0) {
            throw new IllegalStateException(function + " exited with " + process.exitValue() + ":\n" + printed);
        }
        // The JVM may log after main ends (an AppCDS dump warns of classes it cannot archive): the last line of
        // the smoke class's is the one.
        List<String> lines = printed.lines().filter(l -> l.contains(FunctionJarSmoke.METRICS)).toList();
        if (lines.isEmpty()) {
            throw new IllegalStateException(function + " printed no result:\n" + printed);
        }
        return parse(lines.get(lines.size() - 1), spawnedAt);
    }

    /**
     * Lambda's environment for the function, pointed at the local stack; nothing of this JVM's own AWS settings
     * or JVM options, so that only the options passed explicitly apply.
     */
    private void environment(Map<String, String> env, String table, String bucket) {
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.remove("JAVA_TOOL_OPTIONS");
        env.remove("JDK_JAVA_OPTIONS");
        env.put("TABLE_NAME", table);
        env.put("DATA_BUCKET", bucket);
        env.put("ATHENA_WORKGROUP", "tokenscope-local");
        env.put("GLUE_DATABASE", "tokenscope_local");
        env.put("RECOMPUTE_DAYS", "7");
        env.put("AWS_REGION", LocalStack.REGION.id());
        env.put("AWS_ACCESS_KEY_ID", LocalStack.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", LocalStack.SECRET_KEY);
        env.put("AWS_ENDPOINT_URL_S3", stack.s3Endpoint().toString());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", stack.dynamoEndpoint().toString());
    }

    /** FunctionJarSmoke's line: the answer, then its metrics as key=value words. */
    static Run parse(String line, long spawnedAt) {
        int split = line.lastIndexOf(FunctionJarSmoke.METRICS);
        if (split < 0) {
            throw new IllegalArgumentException("not a FunctionJarSmoke line: " + line);
        }
        Map<String, Long> metrics = new LinkedHashMap<>();
        for (String word : line.substring(split + FunctionJarSmoke.METRICS.length()).trim().split(" +")) {
            int eq = word.indexOf('=');
            metrics.put(word.substring(0, eq), Long.parseLong(word.substring(eq + 1)));
        }
        Map<String, Long> steps = new LinkedHashMap<>();
        metrics.forEach((key, value) -> {
            if (key.startsWith(FunctionJarSmoke.STEP) && key.endsWith("_ms")) {
                steps.put(key.substring(FunctionJarSmoke.STEP.length(), key.length() - 3), value);
            }
        });
        return new Run(line.substring(0, split), spawnedAt, metric(metrics, "main_at"), metric(metrics, "built_at"),
                metric(metrics, "handled_at"), metric(metrics, "peak_rss_kb"), metric(metrics, "heap_max_mb"),
                steps);
    }

    private static long metric(Map<String, Long> metrics, String key) {
        Long value = metrics.get(key);
        if (value == null) {
            throw new IllegalArgumentException("FunctionJarSmoke printed no " + key + ": " + metrics);
        }
        return value;
    }
}
