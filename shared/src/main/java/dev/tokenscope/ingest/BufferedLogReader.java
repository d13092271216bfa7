package dev.tokenscope.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.NoSuchElementException;

/** The iterator half every reader shares: look one parsed line ahead, so hasNext() is honest. */
abstract class BufferedLogReader implements LogReader {

    private ParsedLine next;

    /** The next parsed line, or null at the end of the file. */
    protected abstract ParsedLine readNext() throws IOException;

    /** Where reading failed, for the message of an I/O error. */
    protected abstract String position();

    @Override
    public final boolean hasNext() {
        if (next == null) {
            try {
                next = readNext();
            } catch (IOException e) {
                throw new UncheckedIOException(position() + ": read failed: " + e.getMessage(), e);
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
