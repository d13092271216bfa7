package dev.tokenscope.ingest;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.zip.ZipException;

/**
 * A gzip stream that is cut short or corrupt ends like a file instead of throwing: the layers above (decoder,
 * buffers) would otherwise drop the text they had already decoded. The reader over it then reports the damage as
 * one last bad line, after every record that could be read.
 */
final class TruncatedInput extends FilterInputStream {

    private IOException damage;

    TruncatedInput(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        if (damage != null) {
            return -1;
        }
        try {
            return super.read();
        } catch (ZipException | EOFException e) {
            damage = e;
            return -1;
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (damage != null) {
            return -1;
        }
        try {
            return super.read(b, off, len);
        } catch (ZipException | EOFException e) {
            damage = e;
            return -1;
        }
    }

    Optional<IOException> damage() {
        return Optional.ofNullable(damage);
    }

    /** A reader that adds the damage, if any, as a last bad line. */
    static LogReader reporting(LogReader reader, TruncatedInput input, String file) {
        return new LogReader() {
            private long lastLine;
            private boolean reported;

            @Override
            public boolean hasNext() {
                return reader.hasNext() || (input.damage().isPresent() && !reported);
            }

            @Override
            public ParsedLine next() {
                if (reader.hasNext()) {
                    ParsedLine line = reader.next();
                    lastLine = Math.max(lastLine, line.line());
                    return line;
                }
                if (input.damage().isEmpty() || reported) {
                    throw new NoSuchElementException();
                }
                reported = true;
                return new ParsedLine.Bad(lastLine, new LineError(file, lastLine,
                        "the file is cut short or corrupt after this line (" + input.damage().get().getMessage()
                                + "); the rest of it cannot be read"));
            }

            @Override
            public void close() throws IOException {
                reader.close();
            }
        };
    }
}
