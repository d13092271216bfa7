package dev.tokenscope.ingest;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Opens a log file for reading: gzip is detected from its magic bytes (not trusted from the name), the format by
 * the FormatRegistry from the key and the first decompressed text. Text is UTF-8; bytes that are not valid UTF-8
 * become U+FFFD rather than failing the file.
 */
public final class LogReaders {

    private static final int BUFFER = 1 << 16;

    private LogReaders() {
    }

    /** A file opened in its format. */
    public record Opened(LogFormat format, LogReader reader) implements Closeable {
        @Override
        public void close() throws IOException {
            reader.close();
        }
    }

    public static Opened open(String file, String key, InputStream raw, FormatRegistry registry,
                              Optional<String> declared, Limits limits, BodyResolver bodies) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
        TruncatedInput gunzipped = isGzip(in) ? new TruncatedInput(gunzip(in)) : null;
        BufferedReader text = new BufferedReader(new InputStreamReader(
                gunzipped != null ? new BufferedInputStream(gunzipped, BUFFER) : in, StandardCharsets.UTF_8), BUFFER);
        String head = head(text);
        LogFormat format = registry.choose(key, declared, head);
        LogReader reader = format.open(new ReadContext(file, key, text, limits, bodies));
        return new Opened(format, gunzipped == null ? reader : TruncatedInput.reporting(reader, gunzipped, file));
    }

    /** The canonical format as a plain reader, with every format available for detection and default limits. */
    public static LogReader open(String file, InputStream raw) throws IOException {
        return open(file, file, raw, FormatRegistry.standard(Map.of()), Optional.empty(), Limits.DEFAULT,
                BodyResolver.NONE).reader();
    }

    /**
     * The gunzipped stream. Its header is read here: a header cut short or corrupt rejects the file whole, as the
     * same bytes will never be readable (damage after the header is a last bad line, from TruncatedInput).
     */
    private static GZIPInputStream gunzip(InputStream in) throws IOException {
        try {
            return new GZIPInputStream(in, BUFFER);
        } catch (ZipException | EOFException e) {
            throw new UnrecognisedFormatException("the file starts as gzip, but its gzip header is cut short or "
                    + "corrupt (" + (e.getMessage() == null ? "end of file" : e.getMessage()) + ")");
        }
    }

    /** gzip's magic bytes, whatever the name says. */
    private static boolean isGzip(BufferedInputStream in) throws IOException {
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b;
    }

    /** The bytes as they are, or gunzipped when they start with gzip's magic bytes. */
    static byte[] maybeGunzip(byte[] bytes) throws IOException {
        if (bytes.length < 2 || (bytes[0] & 0xff) != 0x1f || (bytes[1] & 0xff) != 0x8b) {
            return bytes;
        }
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }

    /** The first characters of the text, leaving the reader where it was. */
    public static String head(BufferedReader text) throws IOException {
        text.mark(FormatRegistry.HEAD_CHARS + 1);
        char[] buffer = new char[FormatRegistry.HEAD_CHARS];
        int filled = 0;
        while (filled < buffer.length) {
            int n = text.read(buffer, filled, buffer.length - filled);
            if (n < 0) {
                break;
            }
            filled += n;
        }
        text.reset();
        return new String(buffer, 0, filled);
    }
}
