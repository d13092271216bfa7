package dev.tokenscope.ingest;

/** One step of a reader: a record read from a line, or that line's error. */
public sealed interface ParsedLine {

    long line();

    record Good(long line, UsageRecord record) implements ParsedLine {
    }

    record Bad(long line, LineError error) implements ParsedLine {
    }
}
