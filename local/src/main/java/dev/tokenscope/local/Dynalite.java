package dev.tokenscope.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The local DynamoDB: dynalite (pinned in package.json) run with node on a free loopback port. Table state
 * changes are immediate (the SDK's waiters would otherwise wait 20 s). Kept on disk when given a folder.
 */
final class Dynalite implements AutoCloseable {

    private final List<String> command;
    private final int port;
    private final Path logFile;
    /** The node process; replaced by a restart. */
    private volatile Process process;

    private Dynalite(List<String> command, int port, Path logFile) {
        this.command = command;
        this.port = port;
        this.logFile = logFile;
    }

    static Dynalite start(Path projectRoot, Optional<Path> dataDir, Path logFile) {
        Path cli = NodeTools.dynaliteCli(projectRoot);
        int port = Ports.free();
        List<String> command = new ArrayList<>(List.of("node", cli.toString(), "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--createTableMs", "0", "--deleteTableMs", "0",
                "--updateTableMs", "0"));
        dataDir.ifPresent(dir -> {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            command.add("--path");
            command.add(dir.toString());
        });
        try {
            Files.createDirectories(logFile.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Dynalite dynalite = new Dynalite(List.copyOf(command), port, logFile);
        dynalite.launch();
        // node would outlive a JVM that exits without close() (a test fork ending, an Error in start-up).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> dynalite.process.destroy(), "dynalite-stop"));
        return dynalite;
    }

    private void launch() {
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start node (is Node.js on the PATH?): " + e.getMessage(), e);
        }
        try {
            Ports.awaitListening(port, Duration.ofSeconds(20), process, "dynalite (log: " + logFile + ")");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * A DynamoDB outage: kills node now as a crash would (SIGKILL: requests in flight are cut off) and starts it
     * again after {@code down} on the same port with the same data folder (without one, the data is gone).
     * Completes when it listens again.
     */
    CompletableFuture<Void> restart(Duration down) {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing dynalite", e);
        }
        return CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(down.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during a dynalite outage", e);
            }
            launch();
        });
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        Process process = this.process;
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
