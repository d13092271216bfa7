package dev.tokenscope.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Debian's Chromium for the browser tests (playwright-core cannot download a browser here): installed with apt-get
 * when it is missing and the tests run as root, as CI does; otherwise the test says how to install it.
 */
final class Chromium {

    static final Path EXECUTABLE = Path.of("/usr/bin/chromium");

    private Chromium() {
    }

    static synchronized Path installed() {
        if (Files.isExecutable(EXECUTABLE)) {
            return EXECUTABLE;
        }
        if (!command(List.of("id", "-u")).trim().equals("0")) {
            throw new IllegalStateException(EXECUTABLE + " is missing; install Debian's Chromium once with "
                    + "`sudo apt-get install -y chromium` and run the tests again");
        }
        System.out.println("Chromium: installing Debian's chromium package (apt-get) for the dashboard test");
        command(List.of("apt-get", "update", "-q"));
        command(List.of("apt-get", "install", "-y", "-q", "chromium"));
        if (!Files.isExecutable(EXECUTABLE)) {
            throw new IllegalStateException("apt-get installed chromium, but " + EXECUTABLE + " is not there");
        }
        return EXECUTABLE;
    }

    private static String command(List<String> command) {
        // Non-interactive: no prompt may wait for an answer that never comes.
        return Commands.run(command, Path.of("/"), Duration.ofMinutes(20), Map.of("DEBIAN_FRONTEND", "noninteractive"));
    }
}
