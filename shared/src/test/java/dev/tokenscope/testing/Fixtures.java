package dev.tokenscope.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.aggregate.RollupKey;
import dev.tokenscope.aggregate.Totals;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Sample files from events/ and small helpers shared by the tests. */
public final class Fixtures {

    public static final String SAMPLE_JSONL = "/events/sample-usage.jsonl";
    public static final String SAMPLE_CSV = "/events/sample-usage-with-errors.csv";

    private Fixtures() {
    }

    private static RollupKey key(String day, String model) {
        return new RollupKey(RollupKey.MODEL, LocalDate.parse(day), model);
    }

    /**
     * events/sample-usage.jsonl by hand (UTC days; model ids lower-cased; a tool call is tool_called, else a
     * finish reason of tool_use / tool_calls):
     * <pre>
     * 2026-11-02 claude  req-1 1200/310 cache 800  0.00825  end_turn, tool_called=false
     *                    req-2 1510/95  cache 1200 0.006    tool_use (tool call)
     *            -> 2 requests, prompt 1200+1510=2710, completion 310+95=405, cache read 800+1200=2000,
     *               cost 0.00825+0.006=0.01425 (2 priced), 1 tool call
     * 2026-11-02 qwen    req-3 5400/1220 0.002056; req-4 (23:59:59Z) 8000/2000 0.0032
     *            -> 2, 5400+8000=13400, 1220+2000=3220, 0.002056+0.0032=0.005256 (2 priced)
     * 2026-11-03 mini    req-5 (00:00:00Z) 640/120 0.000168; req-6 (08:30+01:00 = 07:30Z) 700/90 no cost
     *            -> 2, 640+700=1340, 120+90=210; req-6's cost from the catalog's gpt-4o-mini price (input
     *               0.00000015, output 0.0000006 per token): 700 x 0.00000015 + 90 x 0.0000006 = 0.000159,
     *               so 0.000168 + 0.000159 = 0.000327 (2 priced)
     * 2026-11-03 deepseek req-7 2100/3300 reasoning 2500 0.008415 stop;
     *                    req-8 (DeepSeek/DeepSeek-Reasoner) 1900/2700 reasoning 2000 0.006963 tool_calls
     *            -> 2, 2100+1900=4000, 3300+2700=6000, reasoning 2500+2000=4500, 0.008415+0.006963=0.015378,
     *               1 tool call
     * </pre>
     */
    public static final Map<RollupKey, Totals> SAMPLE_JSONL_TOTALS = Map.of(
            key("2026-11-02", "anthropic.claude-sonnet-4-20250514-v1:0"),
            totals(2, 2710, 405, 0, 2000, 0, "0.01425", 2, 1),
            key("2026-11-02", "qwen/qwen3-coder"), totals(2, 13400, 3220, 0, 0, 0, "0.005256", 2, 0),
            key("2026-11-03", "openai/gpt-4o-mini"), totals(2, 1340, 210, 0, 0, 0, "0.000327", 2, 0),
            key("2026-11-03", "deepseek/deepseek-reasoner"), totals(2, 4000, 6000, 4500, 0, 0, "0.015378", 2, 1));

    public static byte[] resource(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static String gunzip(byte[] bytes) {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As much of a gzip stream as decompresses before it is cut short or corrupt (nothing if its header is). */
    public static byte[] gunzipWhatCan(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // What was decompressed before the damage is what a reader sees.
        }
        return out.toByteArray();
    }

    /** Totals with the cost written as exact decimal text. */
    /**
     * Totals where every request or none carries a cost (so the priced tokens are all or none of them) and no
     * prompt is over 20K tokens; other cases name those two measures themselves.
     */
    public static Totals totals(long requests, long prompt, long completion, long reasoning, long cacheRead,
                                long cacheWrite, String cost, long priced, long toolCalls) {
        if (priced != 0 && priced != requests) {
            throw new IllegalArgumentException("some requests priced: give the priced tokens");
        }
        return totals(requests, prompt, completion, reasoning, cacheRead, cacheWrite, cost, priced, toolCalls,
                priced == 0 ? 0 : prompt + completion, 0);
    }

    public static Totals totals(long requests, long prompt, long completion, long reasoning, long cacheRead,
                                long cacheWrite, String cost, long priced, long toolCalls, long pricedTokens,
                                long longPrompts) {
        return new Totals(requests, prompt, completion, reasoning, cacheRead, cacheWrite, new BigDecimal(cost),
                priced, toolCalls, pricedTokens, longPrompts);
    }

    /** Asserts equal totals by value (cost 1.50 equals 1.5). */
    public static void assertSameTotals(Totals expected, Totals actual) {
        assertTrue(expected.sameAs(actual), () -> "expected " + expected + " but was " + actual);
    }

    /** Asserts the same keys and, key by key, the same totals by value. */
    public static <K> void assertSameTotals(Map<K, Totals> expected, Map<K, Totals> actual) {
        assertTrue(expected.keySet().equals(actual.keySet()),
                () -> "expected keys " + expected.keySet() + " but were " + actual.keySet());
        expected.forEach((k, t) -> assertTrue(t.sameAs(actual.get(k)),
                () -> k + ": expected " + t + " but was " + actual.get(k)));
    }

    /** A test resource as UTF-8 text. */
    public static String text(String path) {
        return new String(resource(path), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Reads a file through the format registry as ingest does, checks the format it chose, and returns every
     * parsed line.
     */
    public static java.util.List<dev.tokenscope.ingest.ParsedLine> readAs(String expectedFormat, String key,
                                                                        byte[] bytes) throws java.io.IOException {
        java.util.List<dev.tokenscope.ingest.ParsedLine> lines = new java.util.ArrayList<>();
        try (dev.tokenscope.ingest.LogReaders.Opened opened = dev.tokenscope.ingest.LogReaders.open(key, key,
                new java.io.ByteArrayInputStream(bytes), dev.tokenscope.ingest.FormatRegistry.standard(Map.of()),
                java.util.Optional.empty(), dev.tokenscope.ingest.Limits.DEFAULT,
                dev.tokenscope.ingest.BodyResolver.NONE)) {
            org.junit.jupiter.api.Assertions.assertEquals(expectedFormat, opened.format().id());
            opened.reader().forEachRemaining(lines::add);
        }
        return lines;
    }

    /** The record of a line that must be good. */
    public static dev.tokenscope.ingest.UsageRecord good(dev.tokenscope.ingest.ParsedLine line) {
        return org.junit.jupiter.api.Assertions.assertInstanceOf(dev.tokenscope.ingest.ParsedLine.Good.class, line,
                () -> "expected a record, got " + line).record();
    }

    /** The reason of a line that must be bad. */
    public static String bad(dev.tokenscope.ingest.ParsedLine line) {
        return org.junit.jupiter.api.Assertions.assertInstanceOf(dev.tokenscope.ingest.ParsedLine.Bad.class, line,
                () -> "expected a quarantined line, got " + line).error().reason();
    }
}
