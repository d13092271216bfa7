package dev.tokenscope.ingest;

import java.io.Closeable;
import java.util.Iterator;

/**
 * A stream of parsed lines over one log file: never the whole file in memory. A bad line is an item of the
 * stream (ParsedLine.Bad), not an exception, so the good lines around it are kept. Only an unreadable file as a
 * whole (I/O failure, broken gzip) throws.
 */
public interface LogReader extends Iterator<ParsedLine>, Closeable {
}
