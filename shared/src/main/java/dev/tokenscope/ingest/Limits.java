package dev.tokenscope.ingest;

/**
 * Bounds on what one record may take: a record longer than this is quarantined without being loaded whole, so one
 * hostile or broken line cannot exhaust a function's memory.
 */
public record Limits(int maxRecordChars) {

    /** 16 MiB of text: far above any real usage record, even with a long prompt inline. */
    public static final Limits DEFAULT = new Limits(16 << 20);

    public Limits {
        if (maxRecordChars < 1024) {
            throw new IllegalArgumentException("maxRecordChars must be at least 1024, got " + maxRecordChars);
        }
    }
}
