package dev.tokenscope.local;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real local stack (S3Mock, dynalite), started once for the whole test run and stopped when the JVM exits.
 * Each test takes its own bucket and table, so tests do not see each other's data.
 */
final class TestStack {

    private static LocalStack stack;
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
