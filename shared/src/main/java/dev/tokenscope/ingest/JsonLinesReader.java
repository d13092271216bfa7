package dev.tokenscope.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.NoSuchElementException;
import java.util.function.Function;

/** Reads JSON Lines: one object per line, blank lines skipped, each line mapped by the given row mapper. */
public final class JsonLinesReader implements LogReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String file;
    private final BufferedReader in;
    private final Function<JsonNode, UsageRecord> mapper;
    private long lineNumber;
    private ParsedLine next;

    public JsonLinesReader(String file, BufferedReader in, Function<JsonNode, UsageRecord> mapper) {
        this.file = file;
        this.in = in;
        this.mapper = mapper;
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        try {
            String line;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                next = parse(line);
                return true;
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": read failed after line " + lineNumber, e);
        }
    }

    private ParsedLine parse(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return bad("not valid JSON: " + e.getOriginalMessage());
        }
        try {
            return new ParsedLine.Good(lineNumber, mapper.apply(node));
        } catch (InvalidFieldException e) {
            return bad(e.getMessage());
        }
    }

    private ParsedLine bad(String reason) {
        return new ParsedLine.Bad(lineNumber, new LineError(file, lineNumber, reason));
    }

    @Override
    public ParsedLine next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ParsedLine result = next;
        next = null;
        return result;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
