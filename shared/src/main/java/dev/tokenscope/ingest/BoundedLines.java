package dev.tokenscope.ingest;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines of at most a given length: a longer line is skipped to its end without being held in memory, and
 * reported as too long. Line breaks are \n, \r\n or \r.
 */
final class BoundedLines {

    /** A line, or the marker that the line was longer than the limit (text is then null). */
    record Line(long number, String text, long length) {
        boolean tooLong() {
            return text == null;
        }
    }

    private final Reader in;
    private final int max;
    private final char[] buffer = new char[1 << 16];
    private final StringBuilder line = new StringBuilder();
    private int position;
    private int limit;
    private long number;
    private boolean skipLineFeed;

    BoundedLines(Reader in, int max) {
        this.in = in;
        this.max = max;
    }

    long number() {
        return number;
    }

    /** The next line, or null at the end of the input. */
    Line next() throws IOException {
        line.setLength(0);
        long length = 0;
        boolean sawAny = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer, 0, buffer.length);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (!sawAny) {
                        return null;
                    }
                    return finish(length);
                }
            }
            if (skipLineFeed) {
                skipLineFeed = false;
                if (buffer[position] == '\n') {
                    position++;
                    continue;
                }
            }
            int start = position;
            while (position < limit && buffer[position] != '\n' && buffer[position] != '\r') {
                position++;
            }
            int run = position - start;
            sawAny = true;
            if (length + run <= max) {
                line.append(buffer, start, run);
            }
            length += run;
            if (position < limit) {
                skipLineFeed = buffer[position] == '\r';
                position++;
                return finish(length);
            }
        }
    }

    private Line finish(long length) {
        number++;
        return length > max ? new Line(number, null, length) : new Line(number, line.toString(), length);
    }
}
