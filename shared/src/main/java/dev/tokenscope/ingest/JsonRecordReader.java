package dev.tokenscope.ingest;

import java.io.BufferedReader;
import java.io.IOException;

/**
 * Reads a JSON log (JSON Lines, an array, or documents) and maps each value to canonical records with the
 * format's mapper. One value may hold many records (a page of usage buckets, a batch of spans) or none (a span
 * that is not a GenAI call).
 */
public final class JsonRecordReader extends BufferedLogReader {

    private final BufferedReader in;
    private final JsonValues values;
    private final MappedValues mapped;

    public JsonRecordReader(ReadContext context, RecordMapper mapper) {
        super(context.file());
        this.in = context.text();
        this.values = new JsonValues(context.text(), context.limits());
        this.mapped = new MappedValues(context.file(), mapper);
    }

    @Override
    protected ParsedLine readNext() throws IOException {
        while (mapped.isEmpty()) {
            JsonValues.Item item = values.next();
            if (item == null) {
                return null;
            }
            if (item instanceof JsonValues.Broken broken) {
                return mapped.bad(item.line(), broken.reason());
            }
            mapped.map(((JsonValues.Value) item).node(), item.line());
        }
        return mapped.poll();
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
