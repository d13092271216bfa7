package dev.tokenscope.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.NoSuchElementException;

/**
 * The iterator half every reader shares: look one parsed line ahead, so hasNext() is honest. An I/O failure (the
 * network) is thrown, so that the upload is retried; a damaged gzip stream is reported by TruncatedInput instead.
 */
abstract class BufferedLogReader implements LogReader {

    private final String file;
    private ParsedLine next;
    private boolean ended;

    protected BufferedLogReader(String file) {
        this.file = file;
    }

    /** The next parsed line, or null at the end of the file. */
    protected abstract ParsedLine readNext() throws IOException;

    /** The last line read, for the message of an I/O error. */
    protected abstract long line();

    protected final String file() {
        return file;
    }

    @Override
    public final boolean hasNext() {
        if (next == null && !ended) {
            try {
                next = readNext();
                ended = next == null;
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": read failed after line " + line() + ": " + e.getMessage(), e);
            }
        }
        return next != null;
    }

    @Override
    public final ParsedLine next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ParsedLine result = next;
        next = null;
        return result;
    }
}
