package dev.tokenscope.ingest;

import dev.tokenscope.catalog.ModelFacts;
import dev.tokenscope.classify.UseCaseClassification;
import dev.tokenscope.region.Continents;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Optional;

/**
 * A usage record with what it tells about itself made explicit (its UTC day, the model id in normal form, the
 * finish reason in the common vocabulary, whether it ended in a tool call) and what the model catalog knows of
 * its model (empty for a model the catalog does not know: counted as unknown), and what its prompt was for and in
 * which language (the use-case classifier's answer; "unclassified" when the log has no prompt text). Its cost is the
 * logged one when the log has it, else the catalog's price for its tokens; a logged cost more than twice or less
 * than half the catalog's is flagged as a mismatch (a wrong price, or a discount the catalog cannot know). Its country
 * is the logged one, else the user's region mapping's (account, key, app or tag -> country), else unknown.
 */
public record EnrichedRecord(
        UsageRecord record,
        LocalDate day,
        String model,
        String finishReason,
        boolean toolCalled,
        Optional<ModelFacts> facts,
        UseCaseClassification useCase,
        Optional<BigDecimal> cost,
        String costSource,
        boolean costMismatch,
        Optional<String> country) {

    /** Where a record's cost comes from: the log, the catalog's price, or nowhere. */
    public static final String COST_LOGGED = "logged";
    public static final String COST_CATALOG = "catalog";
    public static final String COST_NONE = "none";
    /** Bring-your-own-key traffic (tag byok=true): billed to the user's own provider key, left out of costs. */
    public static final String COST_BYOK = "byok";

    /** The continent of the request's country; empty when the country is unknown. */
    public Optional<String> continent() {
        return country.flatMap(Continents::of);
    }

    /** The prompt's language (ISO 639-1, zh-Hans / zh-Hant, "und"); empty when the log has no prompt text. */
    public Optional<String> language() {
        return record.hasText() ? Optional.of(useCase.language().code()) : Optional.empty();
    }
}
