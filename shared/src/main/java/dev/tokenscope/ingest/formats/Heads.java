package dev.tokenscope.ingest.formats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenscope.ingest.CsvReader;
import dev.tokenscope.ingest.InvalidFieldException;
import dev.tokenscope.ingest.JsonRecordReader;
import dev.tokenscope.ingest.LogReader;
import dev.tokenscope.ingest.LogReaders;
import dev.tokenscope.ingest.ReadContext;
import dev.tokenscope.ingest.RecordMapper;
import dev.tokenscope.ingest.UsageRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Cheap looks at the first text of a file, for format detection. The head may end mid-record, so these scan text
 * rather than parse it.
 */
public final class Heads {

    private Heads() {
    }

    /** The head from its first non-blank character, without a byte-order mark. */
    public static String firstRecordText(String head) {
        int i = 0;
        while (i < head.length() && (head.charAt(i) == '\uFEFF' || Character.isWhitespace(head.charAt(i)))) {
            i++;
        }
        return head.substring(i);
    }

    /** Whether the file is JSON (an object or an array) rather than CSV or text. */
    public static boolean isJson(String head) {
        String first = firstRecordText(head);
        return first.startsWith("{") || first.startsWith("[");
    }

    /**
     * The reader for a format written either as CSV or as JSON, with the same mapper for rows and values: CSV
     * when the key says so (.csv, .csv.gz) or the text does not start as JSON.
     */
    public static LogReader csvOrJson(ReadContext context, RecordMapper mapper) throws IOException {
        return isCsv(context) ? new CsvReader(context.file(), context.text(), mapper, context.limits())
                : new JsonRecordReader(context, mapper);
    }

    private static boolean isCsv(ReadContext context) throws IOException {
        String name = context.key().toLowerCase(Locale.ROOT).replaceFirst("\\.gz$", "");
        return name.endsWith(".csv") || !isJson(LogReaders.head(context.text()));
    }

    /** Whether every key appears as a JSON object key ("key" followed by a colon) in the text. */
    public static boolean hasJsonKeys(String text, String... keys) {
        for (String key : keys) {
            if (!Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:").matcher(text).find()) {
                return false;
            }
        }
        return true;
    }

    /** Whether the text contains the string value (e.g. "ModelInvocationLog") anywhere as a JSON string. */
    public static boolean hasJsonString(String text, String value) {
        return text.contains("\"" + value + "\"");
    }

    /** The first line read as a CSV header: names lower-cased, quotes and spaces removed. */
    public static List<String> csvHeader(String head) {
        String text = firstRecordText(head);
        int end = text.indexOf('\n');
        String line = (end < 0 ? text : text.substring(0, end)).replace("\r", "");
        List<String> names = new ArrayList<>();
        for (String name : line.split(",", -1)) {
            names.add(name.trim().replace("\"", "").toLowerCase(Locale.ROOT));
        }
        return names;
    }

    /**
     * Maps each element of a response's {@code data} array to a record; a bad element is an error of its own
     * ("data[2]: ..."), so it does not hide the good ones.
     */
    public static void eachOfData(JsonNode data, java.util.function.Function<JsonNode, UsageRecord> toRecord,
                                  RecordMapper.Sink sink) {
        for (int i = 0; i < data.size(); i++) {
            try {
                sink.record(toRecord.apply(data.get(i)));
            } catch (InvalidFieldException e) {
                sink.error("data[" + i + "]: " + e.getMessage());
            }
        }
    }
}
