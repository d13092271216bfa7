package dev.tokenscope.ingest.formats;

import dev.tokenscope.ingest.CanonicalFields;
import dev.tokenscope.ingest.LogFormat;
import dev.tokenscope.ingest.LogReader;
import dev.tokenscope.ingest.ReadContext;
import dev.tokenscope.ingest.RecordMapper;
import java.io.IOException;
import java.util.List;

/**
 * tokenscope's own format (docs/canonical-record.md): JSON Lines, a JSON array, or CSV with a header, with the
 * canonical field names.
 */
public final class CanonicalFormat implements LogFormat {

    public static final String ID = "canonical";

    /** The one canonical record per JSON value. */
    public static final RecordMapper MAPPER = (value, sink) -> sink.record(CanonicalFields.toRecord(value));

    @Override
    public String id() {
        return ID;
    }

    /**
     * Fairly sure when the records name both required fields; a little when they name one (a canonical file whose
     * first records are broken is still read, line by line, with its errors). Vendor formats, with fields of their
     * own, score higher.
     */
    @Override
    public int detect(String key, String head) {
        if (Heads.isJson(head)) {
            boolean timestamp = Heads.hasJsonKeys(head, "timestamp");
            boolean model = Heads.hasJsonKeys(head, "model");
            return timestamp && model ? 60 : timestamp || model ? 20 : 0;
        }
        List<String> header = Heads.csvHeader(head);
        return header.contains("timestamp") && header.contains("model") ? 60 : 0;
    }

    @Override
    public LogReader open(ReadContext context) throws IOException {
        return Heads.csvOrJson(context, MAPPER);
    }
}
