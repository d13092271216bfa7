package dev.tokenscope.ingest;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Opens the right reader for a log file: gzip is detected from its magic bytes (not trusted from the name), the
 * format from the name, else from the first character (a '{' means JSON Lines, anything else CSV).
 */
public final class LogReaders {

    private static final int BUFFER = 1 << 16;

    private LogReaders() {
    }

    public static LogReader open(String file, InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        InputStream body = (b1 == 0x1f && b2 == 0x8b) ? new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER) : in;
        BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), BUFFER);
        return switch (formatOf(file, reader)) {
            case CSV -> new CsvReader(file, reader, CanonicalFields::toRecord);
            case JSON_LINES -> new JsonLinesReader(file, reader, CanonicalFields::toRecord);
        };
    }

    enum Format { JSON_LINES, CSV }

    static Format formatOf(String file, BufferedReader reader) throws IOException {
        String name = file.toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        if (name.endsWith(".csv")) {
            return Format.CSV;
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
            return Format.JSON_LINES;
        }
        reader.mark(BUFFER);
        try {
            int c;
            do {
                c = reader.read();
            } while (c == '\uFEFF' || (c != -1 && Character.isWhitespace(c)));
            return c == '{' ? Format.JSON_LINES : Format.CSV;
        } finally {
            reader.reset();
        }
    }
}
