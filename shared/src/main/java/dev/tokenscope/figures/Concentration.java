package dev.tokenscope.figures;

import dev.tokenscope.aggregate.Totals;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * How concentrated open-weight tokens are among the values of one dimension (open models, or open authors).
 *
 * <p>Shares are fractions 0..1, as the report gives its shares ("over half", "no single model more than 25%");
 * HHI is on the same 0..1 scale (the report publishes no HHI; multiply by 10,000 for the antitrust scale). With
 * no open-weight tokens at all every share and the HHI are 0, {@code openTokens} is 0 and {@code top} is empty.
 *
 * @param openTokens prompt + completion tokens of open-weight models: the denominator of every share
 * @param members    values with tokens (open models or open authors)
 * @param top        the largest members, at most {@link #TOP}, most tokens first (ties by name)
 * @param topShare   the largest member's share
 * @param top5Share  the share of the {@link #TOP} largest together (1 when there are {@link #TOP} or fewer)
 * @param hhi        Herfindahl-Hirschman index: the sum of squared shares of all members
 * @param excluded   values left out: not open-weight, or without tokens
 */
public record Concentration(long openTokens, int members, List<Share> top, double topShare, double top5Share,
                            double hhi, List<Excluded> excluded) {

    public static final int TOP = 5;

    /** The dimension values that are not open-weight models (Dimension.OPEN_MODEL and OPEN_AUTHOR). */
    static final Set<String> NOT_OPEN = Set.of("proprietary", "unknown");

    /** One member's tokens and share of open-weight tokens. */
    public record Share(String name, long tokens, double share) {
    }

    public Concentration {
        top = List.copyOf(top);
        excluded = List.copyOf(excluded);
    }

    /** From one period's totals of open_model or open_author, keyed by value. */
    public static Concentration among(Map<String, Totals> byValue) {
        Objects.requireNonNull(byValue, "byValue");
        List<Excluded> excluded = new ArrayList<>();
        Map<String, Long> tokens = new TreeMap<>();
        new TreeMap<>(byValue).forEach((value, totals) -> {
            long t = totals.totalTokens();
            if (NOT_OPEN.contains(value)) {
                excluded.add(new Excluded(value, t, Excluded.NOT_OPEN_WEIGHT));
            } else if (t <= 0) {
                excluded.add(new Excluded(value, t, Excluded.NO_TOKENS));
            } else {
                tokens.put(value, t);
            }
        });

        long openTokens = tokens.values().stream().mapToLong(Long::longValue).sum();
        List<Share> ranked = tokens.entrySet().stream()
                .map(e -> new Share(e.getKey(), e.getValue(), (double) e.getValue() / openTokens))
                .sorted(Comparator.comparingLong(Share::tokens).reversed().thenComparing(Share::name))
                .toList();
        List<Share> top = ranked.subList(0, Math.min(TOP, ranked.size()));
        // Sums of tokens, divided once: a top-5 of all members is exactly 1, not 0.9999999999999999.
        long topTokens = top.stream().mapToLong(Share::tokens).sum();
        double hhi = ranked.stream().mapToDouble(s -> s.share() * s.share()).sum();
        return new Concentration(openTokens, ranked.size(), top,
                top.isEmpty() ? 0 : top.get(0).share(),
                openTokens == 0 ? 0 : (double) topTokens / openTokens,
                hhi, excluded);
    }
}
