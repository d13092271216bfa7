package dev.tokenscope.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real local stack (S3Mock, dynalite), started once for the whole test run and stopped when the JVM exits.
 * Each test takes its own bucket and table, so tests do not see each other's data.
 */
final class TestStack {

    private static LocalStack stack;
    private static LocalRunner demo;
    private static final AtomicInteger NAMES = new AtomicInteger();

    private TestStack() {
    }

    static synchronized LocalStack get() {
        if (stack == null) {
            stack = LocalStack.start(projectRoot(), Optional.empty(), 0);
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close));
        }
        return stack;
    }

    /** A fresh bucket and table pair on the shared stack. */
    static String freshName(String prefix) {
        String name = prefix + "-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet();
        get().createBucket(name);
        get().createTable(name);
        return name;
    }

    /**
     * The runner as `up --demo` starts it, with its year of demo uploads ingested, shared by the tests that use it
     * through its API (loading the demo is most of their time); started once per test JVM, stopped when it exits.
     * Its data folder is under local/target.
     */
    static synchronized LocalRunner demoRunner() {
        if (demo == null) {
            try {
                Path target = Files.createDirectories(projectRoot().resolve("local/target"));
                Path data = Files.createTempDirectory(target, "demo-data");
                demo = LocalRunner.start(new LocalRunner.Options(projectRoot(), Optional.of(data), 0, 0, true, 60,
                        100), System.out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(demo::close));
        }
        return demo;
    }

    static Path projectRoot() {
        String property = System.getProperty("tokenscope.root");
        Path start = property != null ? Path.of(property) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (p.resolve("template.yaml").toFile().isFile() && p.resolve("shared").toFile().isDirectory()) {
                return p;
            }
        }
        throw new IllegalStateException("no project root above " + start);
    }

    static byte[] sample(String name) {
        try (var in = TestStack.class.getResourceAsStream("/events/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing sample events/" + name);
            }
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
