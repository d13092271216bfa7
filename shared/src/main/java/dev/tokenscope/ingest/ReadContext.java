package dev.tokenscope.ingest;

import java.io.BufferedReader;

/**
 * What a format's reader is given: the file's name (for messages), its key, its decompressed text, the record
 * limits, and a way to fetch bodies the log refers to.
 */
public record ReadContext(String file, String key, BufferedReader text, Limits limits, BodyResolver bodies) {
}
