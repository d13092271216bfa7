package dev.tokenscope.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The pinned Node tools (package-lock.json: dynalite, cfn-lint, playwright-core for the dashboard's browser test):
 * installed with `npm ci` the first time they are needed, so a fresh clone runs `./tokenscope up` and `mvn verify`
 * with nothing installed by hand.
 */
final class NodeTools {

    private NodeTools() {
    }

    static Path dynaliteCli(Path projectRoot) {
        return file(projectRoot, "dynalite/cli.js");
    }

    /**
     * A file of an installed package (path under node_modules), after `npm ci` if it is missing: a node_modules
     * from before a package was added to package.json lacks it.
     */
    static synchronized Path file(Path projectRoot, String path) {
        Path file = projectRoot.resolve("node_modules").resolve(path);
        if (!Files.isRegularFile(file)) {
            install(projectRoot);
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("npm ci did not install " + file);
        }
        return file;
    }

    private static void install(Path projectRoot) {
        System.err.println("tokenscope: installing the pinned Node tools (npm ci) in " + projectRoot);
        try {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                    .directory(projectRoot.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
            if (!npm.waitFor(10, TimeUnit.MINUTES)) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm ci took more than 10 minutes");
            }
            if (npm.exitValue() != 0) {
                throw new IllegalStateException("npm ci failed with status " + npm.exitValue()
                        + "; run it in " + projectRoot + " to see why");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run npm (is Node.js installed?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during npm ci", e);
        }
    }
}
