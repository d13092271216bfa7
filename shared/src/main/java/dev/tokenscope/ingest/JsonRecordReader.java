package dev.tokenscope.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Reads a JSON log (JSON Lines, an array, or documents) and maps each value to canonical records with the
 * format's mapper. One value may hold many records (a page of usage buckets, a batch of spans) or none (a span
 * that is not a GenAI call).
 */
public final class JsonRecordReader extends BufferedLogReader {

    /** Maps one JSON value of a format to its records. */
    @FunctionalInterface
    public interface Mapper {
        /**
         * Emits the value's records and its errors. Throwing InvalidFieldException makes the whole value one
         * error.
         */
        void map(JsonNode value, Sink sink);
    }

    /** Where a mapper puts what it found in one value. */
    public interface Sink {
        void record(UsageRecord record);

        void error(String reason);
    }

    private final BufferedReader in;
    private final JsonValues values;
    private final Mapper mapper;
    private final Deque<ParsedLine> pending = new ArrayDeque<>();

    public JsonRecordReader(ReadContext context, Mapper mapper) {
        super(context.file());
        this.in = context.text();
        this.values = new JsonValues(context.text(), context.limits());
        this.mapper = mapper;
    }

    @Override
    protected ParsedLine readNext() throws IOException {
        while (pending.isEmpty()) {
            JsonValues.Item item = values.next();
            if (item == null) {
                return null;
            }
            long line = item.line();
            if (item instanceof JsonValues.Broken broken) {
                return bad(line, broken.reason());
            }
            JsonNode node = ((JsonValues.Value) item).node();
            try {
                mapper.map(node, new Sink() {
                    @Override
                    public void record(UsageRecord record) {
                        pending.add(new ParsedLine.Good(line, record));
                    }

                    @Override
                    public void error(String reason) {
                        pending.add(bad(line, reason));
                    }
                });
            } catch (InvalidFieldException e) {
                pending.clear();
                return bad(line, e.getMessage());
            }
        }
        return pending.poll();
    }

    private ParsedLine bad(long line, String reason) {
        return new ParsedLine.Bad(line, new LineError(file(), line, reason));
    }

    @Override
    protected long line() {
        return values.line();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
