package dev.tokenscope.ingest;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.NoSuchElementException;
import java.util.zip.ZipException;

/**
 * The iterator half every reader shares: look one parsed line ahead, so hasNext() is honest. A file cut short
 * or corrupt (a truncated or broken gzip stream) ends the reader with one bad line saying so, keeping every record
 * before it; any other I/O failure (the network) is thrown, so that the upload is retried.
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
            } catch (ZipException | EOFException e) {
                ended = true;
                next = new ParsedLine.Bad(line(), new LineError(file, line(),
                        "the file is cut short or corrupt after this line (" + e.getMessage()
                                + "); the rest of it cannot be read"));
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
