package dev.tokenscope.ingest;

import java.io.Closeable;
import java.util.Iterator;

/**
 * A stream of parsed lines over one log file: never the whole file in memory. A bad line is an item of the
 * stream (ParsedLine.Bad), not an exception, so the good lines around it are kept, and so is damage to a gzip stream
 * (a last bad line). Only an I/O failure (the network) throws, so that the upload is retried.
 */
public interface LogReader extends Iterator<ParsedLine>, Closeable {
}
