package dev.tokenscope.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.BufferedReader;
import java.io.IOException;

/**
 * The JSON values of a file, one at a time, whatever its layout: JSON Lines (one value per line: a broken line
 * is an error for that line only), a JSON array of records (each element a value), or one or more pretty-printed
 * documents. A value longer than the limit is reported, not loaded.
 */
final class JsonValues {

    sealed interface Item {
        long line();
    }

    record Value(long line, JsonNode node) implements Item {
    }

    record Broken(long line, String reason) implements Item {
    }

    // Two values on one line are an error, not a silently dropped second record.
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonFactory FACTORY = JSON.getFactory();

    private enum Mode { UNKNOWN, LINES, STREAM, DONE }

    /**
     * How far the layout is looked for: past at most this many blank characters (and byte-order marks), then in a
     * first line of at most PROBE_CHARS. A file that starts with more blanks, or with a longer first line, is read as
     * JSON Lines (where blank lines are skipped, and a long line is one record). Together they stay within the 64K
     * characters LogReaders buffers, so that the look-ahead never makes the reader allocate a buffer of the record
     * limit's size (32 MB for the default) for a file of a few lines.
     */
    private static final int LEADING_BLANKS = 4096;
    private static final int PROBE_CHARS = 60_000;

    private final BufferedReader in;
    private final int max;
    private final BoundedLines lines;
    private Mode mode = Mode.UNKNOWN;
    private JsonParser parser;
    private int arrayDepth;

    JsonValues(BufferedReader in, Limits limits) {
        this.in = in;
        this.max = limits.maxRecordChars();
        this.lines = new BoundedLines(in, max);
    }

    long line() {
        return mode == Mode.STREAM && parser != null ? parser.currentLocation().getLineNr() : lines.number();
    }

    /** The next value or broken record; null at the end of the file. */
    Item next() throws IOException {
        if (mode == Mode.UNKNOWN) {
            mode = chooseMode();
        }
        return switch (mode) {
            case LINES -> nextLine();
            case STREAM -> nextStreamed();
            default -> null;
        };
    }

    /**
     * '[' starts an array: streamed. '{' starts JSON Lines if the first line is a whole value, else a
     * pretty-printed document: streamed.
     */
    private Mode chooseMode() throws IOException {
        in.mark(LEADING_BLANKS + PROBE_CHARS + 4);
        int c;
        int blanks = 0;
        do {
            c = in.read();
        } while ((c == '\uFEFF' || (c != -1 && Character.isWhitespace(c))) && ++blanks <= LEADING_BLANKS);
        if (c != '{') {
            in.reset();
            return c == -1 ? Mode.DONE : c == '[' ? startStream() : Mode.LINES;
        }
        StringBuilder first = new StringBuilder("{");
        int next;
        while (first.length() <= PROBE_CHARS && (next = in.read()) != -1 && next != '\n' && next != '\r') {
            first.append((char) next);
        }
        in.reset();
        if (first.length() <= PROBE_CHARS && !isWholeValue(first.toString()) && isIncomplete(first.toString())) {
            return startStream();
        }
        return Mode.LINES;
    }

    private Mode startStream() throws IOException {
        parser = FACTORY.createParser(in);
        return Mode.STREAM;
    }

    private Item nextLine() throws IOException {
        while (true) {
            BoundedLines.Line line = lines.next();
            if (line == null) {
                mode = Mode.DONE;
                return null;
            }
            if (line.tooLong()) {
                return new Broken(line.number(), "record longer than the limit of " + max + " characters ("
                        + line.length() + "); not read");
            }
            String text = strip(line.text());
            if (text.isBlank()) {
                continue;
            }
            try {
                return new Value(line.number(), JSON.readTree(text));
            } catch (JsonProcessingException e) {
                return new Broken(line.number(), "not valid JSON: " + problem(e));
            }
        }
    }

    private Item nextStreamed() throws IOException {
        long line = parser.currentLocation().getLineNr();
        try {
            JsonToken token = parser.nextToken();
            while (token == JsonToken.START_ARRAY || token == JsonToken.END_ARRAY) {
                arrayDepth += token == JsonToken.START_ARRAY ? 1 : -1;
                token = parser.nextToken();
            }
            if (token == null) {
                mode = Mode.DONE;
                return null;
            }
            line = parser.currentTokenLocation().getLineNr();
            return bounded(line);
        } catch (JsonProcessingException e) {
            // A stream cannot be resynchronised after a syntax error: what came before is kept.
            mode = Mode.DONE;
            return new Broken(line, "not valid JSON (" + problem(e) + "); the rest of the file is not read");
        }
    }

    /** Copies one value token by token, giving up (and skipping the rest) once it passes the limit. */
    private Item bounded(long line) throws IOException {
        long start = parser.currentTokenLocation().getCharOffset();
        TokenBuffer copy = new TokenBuffer(parser, null);
        int depth = 0;
        boolean tooLong = false;
        while (true) {
            JsonToken token = parser.currentToken();
            if (!tooLong) {
                copy.copyCurrentEvent(parser);
            }
            if (token.isStructStart()) {
                depth++;
            } else if (token.isStructEnd()) {
                depth--;
            }
            if (!tooLong && parser.currentLocation().getCharOffset() - start > max) {
                tooLong = true;
                copy.close();
            }
            if (depth == 0) {
                break;
            }
            parser.nextToken();
        }
        if (tooLong) {
            return new Broken(line, "record longer than the limit of " + max + " characters; not read");
        }
        try (JsonParser replay = copy.asParser(JSON)) {
            return new Value(line, JSON.readTree(replay));
        }
    }

    /**
     * The parser's description of a syntax error without the text it quotes: a bare word where a value was
     * expected may be a prompt, and reasons are kept in status items and logs.
     */
    static String problem(JsonProcessingException e) {
        String message = String.valueOf(e.getOriginalMessage())
                .replaceAll("Unrecognized token '[^']*'", "Unrecognized token");
        return CanonicalFields.escapeControls(message);
    }

    private static boolean isWholeValue(String text) {
        try {
            JSON.readTree(text);
            return true;
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /** A first line that is the start of a longer document, not a broken record. */
    private static boolean isIncomplete(String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            while (p.nextToken() != null) {
                // Read to the end: a document cut at the line break ends early, a broken record fails.
            }
            return false;
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("end-of-input");
        }
    }

    private static String strip(String text) {
        return !text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
    }
}
