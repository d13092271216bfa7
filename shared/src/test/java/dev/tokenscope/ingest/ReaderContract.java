package dev.tokenscope.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads a file as ingest does and checks what every reader promises whatever the input: opening either picks a
 * format or rejects the file whole with an UnrecognisedFormatException; reading then never throws; every item is
 * a record that ingest can count or a bad line whose error names the file and that line, with a reason.
 */
final class ReaderContract {

    static final String BUCKET_FILE = "s3://uploads/";
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");

    private ReaderContract() {
    }

    /** What one read gave: the format chosen (or why the file was rejected) and every parsed line, in order. */
    record Outcome(String format, Optional<String> rejected, List<ParsedLine> lines) {

        long good() {
            return lines.stream().filter(ParsedLine.Good.class::isInstance).count();
        }

        long bad() {
            return lines.stream().filter(ParsedLine.Bad.class::isInstance).count();
        }

        /** Good records per line number. */
        Map<Long, Long> goodByLine() {
            Map<Long, Long> byLine = new TreeMap<>();
            lines.stream().filter(ParsedLine.Good.class::isInstance)
                    .forEach(l -> byLine.merge(l.line(), 1L, Long::sum));
            return byLine;
        }

        /** A label for a tally: rejected, or the format with whether it found good and bad lines. */
        String kind() {
            if (rejected.isPresent()) {
                return "rejected";
            }
            return format + (good() > 0 ? "+good" : "") + (bad() > 0 ? "+bad" : "");
        }
    }

    static Outcome read(String key, byte[] bytes) throws IOException {
        return read(key, bytes, Optional.empty(), Limits.DEFAULT);
    }

    static Outcome read(String key, byte[] bytes, Optional<String> declared, Limits limits) throws IOException {
        String file = BUCKET_FILE + key;
        LogReaders.Opened opened;
        try {
            opened = LogReaders.open(file, key, new ByteArrayInputStream(bytes), FormatRegistry.standard(Map.of()),
                    declared, limits, BodyResolver.NONE);
        } catch (UnrecognisedFormatException e) {
            assertReadable("rejection", e.getMessage());
            return new Outcome("", Optional.of(e.getMessage()), List.of());
        }
        List<ParsedLine> lines = new ArrayList<>();
        try (opened) {
            LogReader reader = opened.reader();
            long lastLine = 0;
            long maxLine = lineBreaks(bytes) + 1;
            while (reader.hasNext()) {
                ParsedLine line = reader.next();
                assertTrue(line.line() >= lastLine, () -> "line numbers go back: " + line + " after " + lines);
                assertTrue(line.line() <= maxLine, () -> "line " + line.line() + " past the end (" + maxLine + ")");
                lastLine = line.line();
                if (line instanceof ParsedLine.Good good) {
                    assertTrue(line.line() >= 1, () -> "a record without its line: " + line);
                    assertCountable(good.record());
                } else if (line instanceof ParsedLine.Bad bad) {
                    assertEquals(file, bad.error().file(), "the error names the file");
                    assertEquals(line.line(), bad.error().line(), "the error names the line");
                    assertReadable("reason", bad.error().reason());
                }
                lines.add(line);
            }
            assertFalse(reader.hasNext(), "an ended reader stays ended");
            assertThrows(NoSuchElementException.class, reader::next);
        }
        return new Outcome(opened.format().id(), Optional.empty(), lines);
    }

    /** What ingest needs of a record to count it: a model, counts and cost that are not negative, a sane day. */
    static void assertCountable(UsageRecord r) {
        assertFalse(r.model().isBlank(), () -> "blank model: " + r);
        assertTrue(r.requests() >= 0 && r.promptTokens() >= 0 && r.completionTokens() >= 0
                && r.reasoningTokens() >= 0 && r.cacheReadTokens() >= 0 && r.cacheWriteTokens() >= 0,
                () -> "a negative count: " + r);
        assertTrue(r.costUsd().map(c -> c.signum() >= 0 && c.compareTo(BigDecimal.valueOf(1_000_000)) <= 0)
                .orElse(true), () -> "cost out of range: " + r.costUsd());
        assertTrue(!r.timestamp().isBefore(EARLIEST) && r.timestamp().isBefore(LATEST),
                () -> "timestamp out of range: " + r.timestamp());
        assertTrue(r.tools().size() <= CanonicalFields.MAX_TOOL_NAMES, () -> r.tools().size() + " tool names");
        assertTrue(r.latencyMs().orElse(0) >= 0, () -> "negative latency: " + r.latencyMs());
    }

    /** A message a user reads in a status item or a log: one line of text, without control characters. */
    static void assertReadable(String what, String message) {
        assertTrue(message != null && !message.isBlank(), () -> "a " + what + " without text");
        assertTrue(message.chars().noneMatch(Character::isISOControl),
                () -> "a " + what + " with control characters: " + message.replace("\n", "\\n").replace("\r", "\\r"));
    }

    /** Line breaks (\n, \r) in the text the reader sees: gunzipped as far as the bytes allow. */
    private static long lineBreaks(byte[] bytes) {
        byte[] text = bytes;
        if (bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
            text = Fixtures.gunzipWhatCan(bytes);
        }
        long n = 0;
        for (byte b : text) {
            if (b == '\n' || b == '\r') {
                n++;
            }
        }
        return n;
    }
}
