package dev.tokenscope.local;

import dev.tokenscope.ingest.FormatRegistry;
import dev.tokenscope.ingest.Limits;
import dev.tokenscope.ingest.ParseReport;
import dev.tokenscope.ingest.UnrecognisedFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * `tokenscope parse [--with-text] FILE...`: what tokenscope sees in a file, exactly as ingest reads it. Exit status
 * 0 when every file was read (even with quarantined lines), 1 when a file was missing or no format recognised it,
 * 2 for a usage error.
 */
final class ParseCommand {

    private ParseCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        boolean withText = false;
        List<Path> files = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--with-text")) {
                withText = true;
            } else if (arg.startsWith("--")) {
                err.println("tokenscope parse: unknown option " + arg);
                return 2;
            } else {
                files.add(Path.of(arg));
            }
        }
        if (files.isEmpty()) {
            err.println("usage: tokenscope parse [--with-text] FILE...");
            return 2;
        }
        ParseReport report = new ParseReport(FormatRegistry.standard(Map.of()), Limits.DEFAULT);
        int status = 0;
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                ParseReport.Summary s = report.parse(file.toString(), in, withText, out);
                err.println(file + ": format " + s.format() + ", " + s.records() + " records (" + s.requests()
                        + " requests), " + s.quarantined() + " quarantined");
                s.byReason().forEach((reason, n) -> err.println("  " + n + " x " + reason));
            } catch (UnrecognisedFormatException e) {
                err.println(file + ": rejected: " + e.getMessage());
                status = 1;
            } catch (NoSuchFileException e) {
                err.println(file + ": no such file");
                status = 1;
            } catch (IOException | java.io.UncheckedIOException e) {
                err.println(file + ": could not be read: " + e.getMessage());
                status = 1;
            }
        }
        out.flush();
        return status;
    }
}
