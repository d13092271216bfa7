package dev.tokenscope.ingest;

import dev.tokenscope.catalog.CostEstimator;
import dev.tokenscope.catalog.ModelCatalog;
import dev.tokenscope.catalog.ModelFacts;
import dev.tokenscope.classify.RequestClassifier;
import dev.tokenscope.classify.UseCaseClassification;
import dev.tokenscope.classify.UseCaseClassifier;
import dev.tokenscope.region.Continents;
import dev.tokenscope.region.RegionMapping;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Enriches a record with what the record itself tells (day, model id in normal form, finish reason in one
 * vocabulary across vendors, tool call), with what the model catalog knows of its model, and with what its prompt
 * was for and in which language (the text is used here; the warehouse gets it only if the user turned that on,
 * see PromptStorage), and with its country: the log's (a field or a "country" tag), else the one the user's
 * region mapping gives.
 */
public final class Enricher {

    /** Finish reasons as vendors spell them, in the vocabulary the figures use. */
    private static final Map<String, String> FINISH_REASONS = Map.ofEntries(
            Map.entry("stop", "stop"), Map.entry("end_turn", "stop"), Map.entry("stop_sequence", "stop"),
            Map.entry("complete", "stop"), Map.entry("eos", "stop"), Map.entry("end", "stop"),
            Map.entry("finish", "stop"), Map.entry("finished", "stop"),
            Map.entry("length", "length"), Map.entry("max_tokens", "length"),
            Map.entry("model_context_window_exceeded", "length"),
            Map.entry("tool_calls", "tool_calls"), Map.entry("tool_use", "tool_calls"),
            Map.entry("function_call", "tool_calls"), Map.entry("tool_call", "tool_calls"),
            Map.entry("content_filter", "content_filter"), Map.entry("content_filtered", "content_filter"),
            Map.entry("guardrail_intervened", "content_filter"), Map.entry("safety", "content_filter"),
            Map.entry("recitation", "content_filter"), Map.entry("prohibited_content", "content_filter"),
            Map.entry("error", "error"));

    public static final String UNKNOWN = "unknown";

    /** Model ids seen, with what the catalog says of them: an upload names a handful of models many times. */
    private static final int FACTS_CACHE_SIZE = 4096;

    private final ModelCatalog catalog;
    private final RequestClassifier useCases;
    private final RegionMapping regions;
    private final Map<String, Optional<ModelFacts>> facts = new java.util.concurrent.ConcurrentHashMap<>();

    public Enricher(ModelCatalog catalog) {
        this(catalog, UseCaseClassifier.standard(), RegionMapping.NONE);
    }

    public Enricher(ModelCatalog catalog, RequestClassifier useCases, RegionMapping regions) {
        this.catalog = catalog;
        this.useCases = useCases;
        this.regions = regions;
    }

    public EnrichedRecord enrich(UsageRecord record) {
        String finish = record.finishReason().map(Enricher::normalFinishReason)
                .orElse(record.errorCode().isPresent() ? "error" : UNKNOWN);
        boolean toolCalled = record.toolCalled().orElse(finish.equals("tool_calls"));
        Optional<ModelFacts> facts = factsOf(record.model());
        // Bring-your-own-key: the provider billed the user's own key, and what the log says it cost (a gateway's
        // fee) is not the request's price; the report leaves such traffic out of its cost figures, so it has no
        // cost here. Its tokens count everywhere else.
        boolean byok = isByok(record.tags());
        Optional<BigDecimal> catalogCost = facts.flatMap(f -> CostEstimator.estimate(f, record.timestamp(),
                record.promptTokens(), record.completionTokens(), record.reasoningTokens(), record.cacheReadTokens(),
                record.cacheWriteTokens()));
        return new EnrichedRecord(
                record,
                record.timestamp().atZone(ZoneOffset.UTC).toLocalDate(),
                normalModel(record.model()),
                finish,
                toolCalled,
                facts,
                record.hasText()
                        ? useCases.classify(record.systemPrompt(), record.prompt().orElse(""), record.tools(),
                                record.app())
                        : UseCaseClassification.unclassified(),
                byok ? Optional.empty() : record.costUsd().or(() -> catalogCost),
                byok ? EnrichedRecord.COST_BYOK : record.costUsd().isPresent() ? EnrichedRecord.COST_LOGGED
                        : catalogCost.isPresent() ? EnrichedRecord.COST_CATALOG : EnrichedRecord.COST_NONE,
                !byok && record.costUsd().isPresent() && catalogCost.isPresent()
                        && disagree(record.costUsd().get(), catalogCost.get()),
                record.country().or(() -> countryTag(record.tags()))
                        .or(() -> regions.countryOf(record.userId(), record.accountId(), record.app(), record.tags())));
    }

    /**
     * A country the log gives as a tag ("country", any case, e.g. from gateway metadata), when it is an ISO 3166-1
     * alpha-2 code: the log's own word, so it comes before the user's mapping.
     */
    static Optional<String> countryTag(Map<String, String> tags) {
        return tagValues(tags, "country").map(v -> v.toUpperCase(Locale.ROOT))
                .filter(code -> Continents.of(code).isPresent()).findFirst();
    }

    static boolean isByok(Map<String, String> tags) {
        return tagValues(tags, "byok").anyMatch("true"::equalsIgnoreCase);
    }

    /** The values of the tags of this name, whatever its case in the log, trimmed. */
    private static java.util.stream.Stream<String> tagValues(Map<String, String> tags, String name) {
        return tags.entrySet().stream().filter(tag -> tag.getKey().trim().equalsIgnoreCase(name))
                .map(tag -> tag.getValue().trim());
    }

    /** More than twice or less than half the catalog's price: worth a look, not a correction. */
    static boolean disagree(BigDecimal logged, BigDecimal catalog) {
        if (logged.signum() == 0 || catalog.signum() == 0) {
            return logged.signum() != catalog.signum();
        }
        BigDecimal two = BigDecimal.valueOf(2);
        return logged.compareTo(catalog.multiply(two)) > 0 || catalog.compareTo(logged.multiply(two)) > 0;
    }

    private Optional<ModelFacts> factsOf(String model) {
        Optional<ModelFacts> known = facts.get(model);
        if (known == null) {
            known = catalog.lookup(model);
            if (facts.size() < FACTS_CACHE_SIZE) {
                facts.put(model, known);
            }
        }
        return known;
    }

    /** Model ids compare case-insensitively and without surrounding space; aliases are the catalog's job. */
    public static String normalModel(String model) {
        return model.trim().toLowerCase(Locale.ROOT);
    }

    static String normalFinishReason(String reason) {
        String key = reason.trim().toLowerCase(Locale.ROOT);
        return FINISH_REASONS.getOrDefault(key, key.isEmpty() ? UNKNOWN : key);
    }
}
