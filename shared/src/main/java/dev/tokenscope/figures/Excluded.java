package dev.tokenscope.figures;

import java.util.Objects;

/**
 * A dimension value a figure left out, with its tokens (prompt + completion) and why, so that a reader can see
 * what the figure does not cover.
 */
public record Excluded(String value, long tokens, String reason) {

    /** proprietary and unknown in open_model / open_author: the catalog does not call them open-weight. */
    public static final String NOT_OPEN_WEIGHT = "not an open-weight model";
    public static final String NO_TOKENS = "no tokens in the period";
    /** Cost is only known for priced requests; with none, the cost is unknown, not zero. */
    public static final String NO_PRICED_REQUESTS = "no priced requests: cost unknown";
    /** Free traffic: the logarithm of a zero cost does not exist, so it has no place on a log scale. */
    public static final String ZERO_COST = "priced at zero cost: no place on a log scale";
    public static final String UNCLASSIFIED = "no prompt text: not a use case";
    public static final String OTHER = "the long tail of use cases: not one workload";

    public Excluded {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(reason, "reason");
    }
}
