package dev.tokenscope.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.function.Function;

/** Reads JSON Lines: one object per line, blank lines skipped, each line mapped by the given row mapper. */
public final class JsonLinesReader extends BufferedLogReader {

    // Two objects on one line are an error, not a silently dropped second record.
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final String file;
    private final BufferedReader in;
    private final Function<JsonNode, UsageRecord> mapper;
    private long lineNumber;

    public JsonLinesReader(String file, BufferedReader in, Function<JsonNode, UsageRecord> mapper) {
        this.file = file;
        this.in = in;
        this.mapper = mapper;
    }

    @Override
    protected ParsedLine readNext() throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            lineNumber++;
            if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            if (!line.isBlank()) {
                return parse(line);
            }
        }
        return null;
    }

    @Override
    protected String position() {
        return file + " after line " + lineNumber;
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
    public void close() throws IOException {
        in.close();
    }
}
