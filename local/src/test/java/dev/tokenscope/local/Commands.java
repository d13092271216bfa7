package dev.tokenscope.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a tool the tests need to its end, within a time limit and with no input, so that nothing waits forever. */
final class Commands {

    private Commands() {
    }

    /** What the command printed on standard output; its standard error goes to the test's. */
    static String run(List<String> command, Path directory, Duration limit, Map<String, String> environment) {
        String line = String.join(" ", command);
        try {
            Path stdout = Files.createTempFile("tokenscope-command-", ".out");
            Path stderr = Files.createTempFile("tokenscope-command-", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
                builder.environment().putAll(environment);
                Process process = builder.start();
                boolean finished = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
                if (!finished) {
                    process.destroyForcibly().waitFor();
                }
                String out = Files.readString(stdout, StandardCharsets.UTF_8);
                String err = Files.readString(stderr, StandardCharsets.UTF_8);
                System.err.print(err);
                if (!finished) {
                    throw new IllegalStateException(line + " took longer than " + limit + ": " + out + err);
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(line + " failed with status " + process.exitValue() + ": " + out
                            + err);
                }
                return out;
            } finally {
                Files.deleteIfExists(stdout);
                Files.deleteIfExists(stderr);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + line + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + line, e);
        }
    }
}
