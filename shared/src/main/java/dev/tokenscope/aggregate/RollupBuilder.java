package dev.tokenscope.aggregate;

import dev.tokenscope.ingest.EnrichedRecord;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Aggregates a whole upload in memory into one delta per rollup key, so that writes grow with distinct keys
 * (days x dimension values), not with records. Every record counts once in every {@link Dimension}.
 *
 * <p>This runs 17 times per record, so it accumulates in mutable cells found by day, then dimension, then value
 * (no key object per dimension and record), sums costs as integers where they fit, and hands out immutable
 * Totals equal to what summing the records' Totals would give.
 */
public final class RollupBuilder {

    private static final Dimension[] DIMENSIONS = Dimension.values();

    private final Map<LocalDate, Day> days = new HashMap<>();

    public void add(EnrichedRecord enriched) {
        Day day = days.computeIfAbsent(enriched.day(), d -> new Day());
        Cost cost = enriched.cost().map(Cost::of).orElse(null);
        for (int i = 0; i < DIMENSIONS.length; i++) {
            day.cells[i].computeIfAbsent(DIMENSIONS[i].valueOf(enriched), v -> new Cell()).add(enriched, cost);
        }
        // The request shape, by category (overall = the sum of the categories); single-request records only.
        var r = enriched.record();
        if (r.requests() == 1) {
            long[][] shape = day.shapes.computeIfAbsent(Dimension.CATEGORY.valueOf(enriched), c -> new long[2][]);
            count(shape, 0, TokenHistogram.bucket(r.promptTokens()));
            count(shape, 1, TokenHistogram.bucket(r.completionTokens()));
        }
    }

    private static void count(long[][] shape, int kind, int bucket) {
        long[] counts = shape[kind];
        if (counts == null || counts.length <= bucket) {
            counts = counts == null ? new long[Math.max(64, bucket + 1)] : Arrays.copyOf(counts, bucket * 2);
            shape[kind] = counts;
        }
        counts[bucket]++;
    }

    /** The deltas, in key order so that writes (and a crash after k of them) are reproducible. */
    public Map<RollupKey, Totals> deltas() {
        Map<RollupKey, Totals> result = new TreeMap<>();
        days.forEach((day, cells) -> {
            for (int i = 0; i < DIMENSIONS.length; i++) {
                String dimension = DIMENSIONS[i].id();
                cells.cells[i].forEach((value, cell) -> result.put(new RollupKey(dimension, day, value), cell.totals()));
            }
            cells.shapes.forEach((category, shape) -> {
                Map<RollupKey, TreeMap<String, Long>> items = new HashMap<>();
                for (int kind = 0; kind < 2; kind++) {
                    long[] counts = shape[kind] == null ? new long[0] : shape[kind];
                    for (int bucket = 0; bucket < counts.length; bucket++) {
                        if (counts[bucket] != 0) {
                            String key = (kind == 0 ? "p" : "c") + bucket;
                            items.computeIfAbsent(TokenHistogram.itemKey(day, category, key), k -> new TreeMap<>())
                                    .put(key, counts[bucket]);
                        }
                    }
                }
                items.forEach((key, buckets) -> result.put(key, Totals.ZERO.withShape(buckets)));
            });
        });
        return result;
    }

    /** One day's cells: per dimension (in Dimension order) value -> cell, and per category its two histograms. */
    private static final class Day {
        @SuppressWarnings("unchecked")
        final Map<String, Cell>[] cells = new Map[DIMENSIONS.length];
        /** category -> [prompt, completion] counts per TokenHistogram bucket. */
        final Map<String, long[][]> shapes = new HashMap<>();

        Day() {
            for (int i = 0; i < cells.length; i++) {
                cells[i] = new HashMap<>();
            }
        }
    }

    /**
     * A record's cost, once: as a count of 10^-12 USD when it is exactly that (every real price is), else only
     * the decimal. BigDecimal additions of mixed scales were a fifth of the ingest's time.
     */
    private record Cost(BigDecimal exact, long picos, boolean inPicos) {
        private static final int SCALE = 12;

        static Cost of(BigDecimal cost) {
            if (cost.scale() <= SCALE) {
                try {
                    return new Cost(cost, cost.movePointRight(SCALE).longValueExact(), true);
                } catch (ArithmeticException tooLarge) {
                    return new Cost(cost, 0, false);
                }
            }
            return new Cost(cost, 0, false);
        }
    }

    private static final class Cell {
        long requests;
        long prompt;
        long completion;
        long reasoning;
        long cacheRead;
        long cacheWrite;
        long costPicos;
        /** Costs that are not whole picodollars, or that overflowed the integer sum. */
        BigDecimal costRest = BigDecimal.ZERO;
        /** The largest scale added: the scale BigDecimal.add would have given the sum. */
        int costScale;
        long priced;
        long toolCalls;
        long pricedTokens;
        long longPrompts;

        void add(EnrichedRecord e, Cost cost) {
            var r = e.record();
            requests += r.requests();
            prompt += r.promptTokens();
            completion += r.completionTokens();
            reasoning += r.reasoningTokens();
            cacheRead += r.cacheReadTokens();
            cacheWrite += r.cacheWriteTokens();
            if (cost != null) {
                addCost(cost);
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

        private void addCost(Cost cost) {
            costScale = Math.max(costScale, cost.exact().scale());
            if (cost.inPicos()) {
                long sum = costPicos + cost.picos();
                // Overflow only when both have the same sign and the sum's differs (Math.addExact's test).
                if (((costPicos ^ sum) & (cost.picos() ^ sum)) >= 0) {
                    costPicos = sum;
                    return;
                }
            }
            costRest = costRest.add(cost.exact());
        }

        Totals totals() {
            BigDecimal cost = BigDecimal.valueOf(costPicos, Cost.SCALE).add(costRest);
            // Same value, and the same scale as a chain of BigDecimal.add (the largest of the parts').
            cost = cost.setScale(Math.max(costScale, costRest.scale()), java.math.RoundingMode.UNNECESSARY);
            return new Totals(requests, prompt, completion, reasoning, cacheRead, cacheWrite, cost, priced, toolCalls,
                    pricedTokens, longPrompts);
        }
    }
}
