package dev.tokenscope.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The local DynamoDB: dynalite (pinned in package.json) run with node on a free loopback port. Table state
 * changes are immediate (the SDK's waiters would otherwise wait 20 s). Kept on disk when given a folder.
 */
final class Dynalite implements AutoCloseable {

    private final Process process;
    private final int port;

    private Dynalite(Process process, int port) {
        this.process = process;
        this.port = port;
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
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
            // node would outlive a JVM that exits without close() (a test fork ending, an Error in start-up).
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "dynalite-stop"));
            Dynalite dynalite = new Dynalite(process, port);
            try {
                Ports.awaitListening(port, Duration.ofSeconds(20), process, "dynalite (log: " + logFile + ")");
            } catch (RuntimeException e) {
                dynalite.close();
                throw e;
            }
            return dynalite;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start node (is Node.js on the PATH?): " + e.getMessage(), e);
        }
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
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
