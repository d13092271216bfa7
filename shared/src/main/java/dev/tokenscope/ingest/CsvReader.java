package dev.tokenscope.ingest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RFC 4180 CSV with a header row: quoted fields may hold commas, doubled quotes and line breaks. Each row
 * becomes an object of strings keyed by the header, mapped by the format's mapper (to zero or more records). A row's line number is the
 * line it starts on.
 */
public final class CsvReader extends BufferedLogReader {

    private final Reader in;
    private final int max;
    private final MappedValues mapped;
    private final StringBuilder field = new StringBuilder();
    private List<String> header;
    private long line = 1;
    private int pushedBack = -2;
    private boolean started;
    private final char[] buffer = new char[1 << 16];
    private int position;
    private int limit;

    public CsvReader(String file, Reader in, RecordMapper mapper, Limits limits) {
        super(file);
        this.in = in;
        this.mapped = new MappedValues(file, mapper);
        this.max = limits.maxRecordChars();
    }

    @Override
    protected ParsedLine readNext() throws IOException {
        while (mapped.isEmpty()) {
            long start = line;
            Row row = readRow();
            if (row == null) {
                return null;
            }
            if (row.fields.size() == 1 && row.fields.get(0).isEmpty() && !row.quoted) {
                continue;
            }
            if (header == null) {
                header = row.fields;
                continue;
            }
            if (row.error != null) {
                return mapped.bad(start, row.error);
            }
            if (row.fields.size() != header.size()) {
                return mapped.bad(start, "expected " + header.size() + " columns as in the header, got "
                        + row.fields.size());
            }
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            for (int i = 0; i < header.size(); i++) {
                object.put(header.get(i), row.fields.get(i));
            }
            mapped.map(object, start);
        }
        return mapped.poll();
    }

    @Override
    protected long line() {
        return line;
    }

    private static final class Row {
        final List<String> fields = new ArrayList<>();
        boolean quoted;
        String error;
    }

    /** Reads one record; null at end of input. */
    private Row readRow() throws IOException {
        int c = read();
        if (c == -1) {
            return null;
        }
        Row row = new Row();
        field.setLength(0);
        long rowChars = 0;
        boolean inQuotes = false;
        boolean afterQuote = false;
        while (true) {
            if (c == -1) {
                if (inQuotes) {
                    row.error = "quoted field not closed before the end of the file";
                }
                row.fields.add(field.toString());
                return row;
            }
            char ch = (char) c;
            // The row's line break is not part of it: a row of exactly the limit is read, as a JSON line is.
            boolean rowEnds = !inQuotes && (ch == '\n' || ch == '\r');
            if (!rowEnds && ++rowChars > max && row.error == null) {
                // Keep reading to the row's end (quotes decide where that is), but hold none of it.
                row.error = "record longer than the limit of " + max + " characters; not read";
            }
            if (row.error != null && rowChars > max) {
                field.setLength(0);
            }
            if (inQuotes) {
                if (ch == '"') {
                    int peek = read();
                    if (peek == '"') {
                        field.append('"');
                    } else {
                        inQuotes = false;
                        afterQuote = true;
                        unread(peek);
                    }
                } else {
                    if (ch == '\n') {
                        line++;
                    }
                    field.append(ch);
                }
            } else if (ch == ',') {
                row.fields.add(field.toString());
                field.setLength(0);
                afterQuote = false;
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r') {
                    int peek = read();
                    if (peek != '\n') {
                        unread(peek);
                    }
                }
                line++;
                row.fields.add(field.toString());
                return row;
            } else if (ch == '"' && field.length() == 0 && !afterQuote) {
                inQuotes = true;
                row.quoted = true;
            } else if (afterQuote) {
                if (row.error == null) {
                    row.error = "unexpected character after a closing quote";
                }
            } else {
                field.append(ch);
            }
            c = read();
        }
    }

    private int read() throws IOException {
        if (pushedBack != -2) {
            int c = pushedBack;
            pushedBack = -2;
            return c;
        }
        if (position == limit) {
            // Our own buffer: a Reader's read() per character (synchronized in BufferedReader) costs 5x.
            limit = in.read(buffer, 0, buffer.length);
            position = 0;
            if (limit <= 0) {
                limit = 0;
                return -1;
            }
            if (!started) {
                // A byte-order mark (Excel, PowerShell) precedes the header, possibly a quoted one: drop it first.
                started = true;
                if (buffer[0] == '\uFEFF') {
                    position = 1;
                    return read();
                }
            }
        }
        return buffer[position++];
    }

    private void unread(int c) {
        pushedBack = c;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
