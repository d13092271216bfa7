package dev.tokenscope.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What tokenscope sees in a file, for `tokenscope parse`: the canonical records on one stream, and on another the
 * format detected, how many records were read and how many lines were quarantined, by reason.
 */
public final class ParseReport {

    private final FormatRegistry formats;
    private final Limits limits;

    public ParseReport(FormatRegistry formats, Limits limits) {
        this.formats = formats;
        this.limits = limits;
    }

    /** The outcome for one file. */
    public record Summary(String file, String format, long records, long requests, long quarantined,
                          Map<String, Long> byReason) {
    }

    public Summary parse(String file, InputStream in, boolean withText, PrintStream records) throws IOException {
        long count = 0;
        long requests = 0;
        long bad = 0;
        Map<String, Long> byReason = new TreeMap<>();
        try (LogReaders.Opened opened = LogReaders.open(file, file, in, formats, Optional.empty(), limits,
                BodyResolver.NONE)) {
            while (opened.reader().hasNext()) {
                ParsedLine line = opened.reader().next();
                if (line instanceof ParsedLine.Good good) {
                    records.println(CanonicalJson.line(good.record(), withText));
                    count++;
                    requests += good.record().requests();
                } else if (line instanceof ParsedLine.Bad badLine) {
                    bad++;
                    byReason.merge(reasonKind(badLine.error().reason()), 1L, Long::sum);
                }
            }
            return new Summary(file, opened.format().id(), count, requests, bad, byReason);
        }
    }

    /** Reasons grouped by their kind: the text before the offending value, so 'lots' and 'many' count together. */
    static String reasonKind(String reason) {
        int got = reason.indexOf(", got ");
        if (got > 0) {
            return reason.substring(0, got);
        }
        if (reason.startsWith("not valid JSON")) {
            return "not valid JSON";
        }
        if (reason.startsWith("record longer than the limit")) {
            return "record longer than the limit";
        }
        return reason;
    }
}
