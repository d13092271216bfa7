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

    private static final Dimension[] DIMENSIONS = Dimension.values();

    public void add(EnrichedRecord enriched) {
        for (Dimension dimension : DIMENSIONS) {
            // The request shape rides on the category rollups only: enough for the figure (overall = the sum of
            // the categories) and it keeps the other items small.
            cells.computeIfAbsent(new RollupKey(dimension.id(), enriched.day(), dimension.valueOf(enriched)),
                    k -> new Cell(dimension == Dimension.CATEGORY)).add(enriched);
        }
    }

    /** The deltas, in key order so that writes (and a crash after k of them) are reproducible. */
    public Map<RollupKey, Totals> deltas() {
        Map<RollupKey, Totals> result = new TreeMap<>();
        cells.forEach((key, cell) -> result.put(key, cell.totals()));
        return result;
    }

    private static final class Cell {
        final boolean withShape;
        final java.util.TreeMap<String, Long> shape = new java.util.TreeMap<>();
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

        Cell(boolean withShape) {
            this.withShape = withShape;
        }

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
            if (withShape && r.requests() == 1) {
                shape.merge("p" + TokenHistogram.bucket(r.promptTokens()), 1L, Long::sum);
                shape.merge("c" + TokenHistogram.bucket(r.completionTokens()), 1L, Long::sum);
            }
            if (e.toolCalled()) {
                toolCalls += r.requests();
            }
        }

        Totals totals() {
            return new Totals(requests, prompt, completion, reasoning, cacheRead, cacheWrite, cost, priced, toolCalls,
                    pricedTokens, longPrompts, shape);
        }
    }
}
