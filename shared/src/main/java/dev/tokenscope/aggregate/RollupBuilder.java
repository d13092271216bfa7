package dev.tokenscope.aggregate;

import dev.tokenscope.ingest.EnrichedRecord;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Aggregates a whole upload in memory into one delta per rollup key, so that writes grow with distinct keys
 * (days x dimension values), not with records. Every record counts once in every {@link Dimension}. Accumulates in mutable cells for speed; hands out immutable Totals.
 */
public final class RollupBuilder {

    private final Map<RollupKey, Cell> cells = new HashMap<>();
    /** Request-shape items (see TokenHistogram): bucket -> requests. */
    private final Map<RollupKey, TreeMap<String, Long>> shapes = new HashMap<>();

    private static final Dimension[] DIMENSIONS = Dimension.values();

    public void add(EnrichedRecord enriched) {
        for (Dimension dimension : DIMENSIONS) {
            cells.computeIfAbsent(new RollupKey(dimension.id(), enriched.day(), dimension.valueOf(enriched)),
                    k -> new Cell()).add(enriched);
        }
        // The request shape, by category (overall = the sum of the categories); single-request records only.
        var r = enriched.record();
        if (r.requests() == 1) {
            String category = Dimension.CATEGORY.valueOf(enriched);
            addShape(enriched, category, "p" + TokenHistogram.bucket(r.promptTokens()));
            addShape(enriched, category, "c" + TokenHistogram.bucket(r.completionTokens()));
        }
    }

    private void addShape(EnrichedRecord enriched, String category, String bucket) {
        shapes.computeIfAbsent(TokenHistogram.itemKey(enriched.day(), category, bucket), k -> new TreeMap<>())
                .merge(bucket, 1L, Long::sum);
    }

    /** The deltas, in key order so that writes (and a crash after k of them) are reproducible. */
    public Map<RollupKey, Totals> deltas() {
        Map<RollupKey, Totals> result = new TreeMap<>();
        cells.forEach((key, cell) -> result.put(key, cell.totals()));
        shapes.forEach((key, shape) -> result.put(key, Totals.ZERO.withShape(shape)));
        return result;
    }

    private static final class Cell {
        long requests;
        long prompt;
        long completion;
        long reasoning;
        long cacheRead;
        long cacheWrite;
        BigDecimal cost = BigDecimal.ZERO;
        long priced;
        long toolCalls;
        long pricedTokens;
        long longPrompts;

        void add(EnrichedRecord e) {
            var r = e.record();
            requests += r.requests();
            prompt += r.promptTokens();
            completion += r.completionTokens();
            reasoning += r.reasoningTokens();
            cacheRead += r.cacheReadTokens();
            cacheWrite += r.cacheWriteTokens();
            if (e.cost().isPresent()) {
                cost = cost.add(e.cost().get());
                priced += r.requests();
                pricedTokens += r.promptTokens() + r.completionTokens();
            }
            if (r.requests() == 1 && r.promptTokens() > Totals.LONG_PROMPT_TOKENS) {
                longPrompts++;
            }
            if (e.toolCalled()) {
                toolCalls += r.requests();
            }
        }

        Totals totals() {
            return new Totals(requests, prompt, completion, reasoning, cacheRead, cacheWrite, cost, priced, toolCalls,
                    pricedTokens, longPrompts);
        }
    }
}
