package dev.tokenscope.aggregate;

import dev.tokenscope.catalog.ModelFacts;
import dev.tokenscope.ingest.EnrichedRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a rollup splits requests by. Every record has exactly one value in every dimension ("unknown" when the
 * record or the catalog cannot tell), so each dimension's rollups of a day add up to the same totals.
 *
 * <p>The recompute SQL (sql/rollup_day.sql) computes the same values from the warehouse columns; a change here
 * needs the same change there (the integration test compares the online rollups with the recomputed ones).
 */
public enum Dimension {
    MODEL("model", EnrichedRecord::model),
    /** The use-case category; "unclassified" when the log had no prompt text. */
    CATEGORY("category", e -> e.useCase().category()),
    /** "category/sub-tag" (programming/development_tools), or the category alone when it has no sub-tags. */
    SUBTAG("subtag", e -> e.useCase().subtag().map(s -> e.useCase().category() + "/" + s)
            .orElse(e.useCase().category())),
    LANGUAGE("language", e -> e.language().orElse(ModelFacts.UNKNOWN)),
    AUTHOR("author", e -> e.facts().map(ModelFacts::author).orElse(ModelFacts.UNKNOWN)),
    /** The model author's origin: china, rest_of_world or unknown. */
    ORIGIN("origin", e -> e.facts().map(ModelFacts::origin).orElse(ModelFacts.UNKNOWN)),
    /** open, proprietary or unknown. */
    OPEN_WEIGHTS("open_weights", e -> flag(e.facts().flatMap(ModelFacts::openWeights), "open", "proprietary")),
    /** small, medium, large or unknown. */
    SIZE("size", e -> e.facts().map(ModelFacts::sizeBucket).orElse(ModelFacts.UNKNOWN)),
    /** reasoning, non_reasoning or unknown: whether the model is a reasoning model. */
    REASONING("reasoning", e -> flag(e.facts().flatMap(ModelFacts::reasoning), "reasoning", "non_reasoning")),
    /** called (the request ended in a tool call), offered (tools offered, none called) or none. */
    TOOL_USE("tool_use", e -> e.toolCalled() ? "called" : e.record().toolsOffered() ? "offered" : "none"),
    COUNTRY("country", e -> e.country().orElse(ModelFacts.UNKNOWN)),
    CONTINENT("continent", e -> e.continent().orElse(ModelFacts.UNKNOWN)),

    // Pairs the figures split by together (the report's figures 1, 2, 3 and 8), as "first|second".
    /** category|open (or proprietary, unknown): the use-case mix within open and within proprietary models. */
    CATEGORY_OPEN("category_open", e -> CATEGORY.valueOf(e) + "|" + OPEN_WEIGHTS.valueOf(e)),
    /** open|china, open|rest_of_world, proprietary|...: open-weight tokens split by origin. */
    OPEN_ORIGIN("open_origin", e -> OPEN_WEIGHTS.valueOf(e) + "|" + ORIGIN.valueOf(e)),
    /** The model for open-weight models, else proprietary or unknown: concentration among open models. */
    OPEN_MODEL("open_model", e -> isOpen(e) ? e.facts().get().id() : OPEN_WEIGHTS.valueOf(e)),
    /** The author for open-weight models, else proprietary or unknown: concentration among open authors. */
    OPEN_AUTHOR("open_author", e -> isOpen(e) ? e.facts().get().author() : OPEN_WEIGHTS.valueOf(e)),
    /** category|author: spend by model author within each category. */
    CATEGORY_AUTHOR("category_author", e -> CATEGORY.valueOf(e) + "|" + AUTHOR.valueOf(e));

    private final String id;
    private final Function<EnrichedRecord, String> value;

    Dimension(String id, Function<EnrichedRecord, String> value) {
        this.id = id;
        this.value = value;
    }

    /** The name used in keys, SQL rows and the API. */
    public String id() {
        return id;
    }

    public String valueOf(EnrichedRecord record) {
        return value.apply(record);
    }

    /** Every dimension the rollup store holds: these, and the request-shape items of {@link TokenHistogram}. */
    public static List<String> storedIds() {
        List<String> ids = new ArrayList<>();
        for (Dimension dimension : values()) {
            ids.add(dimension.id);
        }
        ids.add(TokenHistogram.DIMENSION);
        return ids;
    }

    public static Optional<Dimension> byId(String id) {
        return Arrays.stream(values()).filter(d -> d.id.equals(id)).findFirst();
    }

    private static boolean isOpen(EnrichedRecord e) {
        return e.facts().flatMap(ModelFacts::openWeights).orElse(false);
    }

    private static String flag(Optional<Boolean> value, String yes, String no) {
        return value.map(v -> v ? yes : no).orElse(ModelFacts.UNKNOWN);
    }
}
