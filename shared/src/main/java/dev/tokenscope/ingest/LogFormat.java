package dev.tokenscope.ingest;

import java.io.IOException;

/** One log format tokenscope reads into canonical records. */
public interface LogFormat {

    /** The format's id, as users name it in overrides and as `tokenscope parse` reports it. */
    String id();

    /**
     * How sure this format is that a file is its own, from the object key and the first text of the file (up to
     * {@link FormatRegistry#HEAD_CHARS} characters, decompressed): 0 = not its own, 100 = certain.
     */
    int detect(String key, String head);

    LogReader open(ReadContext context) throws IOException;
}
