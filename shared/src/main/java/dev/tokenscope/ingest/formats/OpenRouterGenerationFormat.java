package dev.tokenscope.ingest.formats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenscope.ingest.CanonicalFields;
import dev.tokenscope.ingest.InvalidFieldException;
import dev.tokenscope.ingest.JsonRecordReader;
import dev.tokenscope.ingest.LogFormat;
import dev.tokenscope.ingest.LogReader;
import dev.tokenscope.ingest.ReadContext;
import dev.tokenscope.ingest.RecordMapper;
import dev.tokenscope.ingest.UsageRecord;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * OpenRouter generation records: the {@code data} object of GET /api/v1/generation, one per JSON value (JSON Lines,
 * a JSON array, or pretty-printed documents), bare or still inside the response's {@code {"data": {...}}}.
 * docs/formats/openrouter.md maps each field.
 */
public final class OpenRouterGenerationFormat implements LogFormat {

    public static final String ID = "openrouter";

    /** Maps one generation (or one response wrapping it) to its record. */
    public static final RecordMapper MAPPER = (value, sink) -> {
        JsonNode data = value.get("data");
        if (value.isObject() && data != null && data.isArray()) {
            // Several saved responses merged into one {"data": [...]}: each element is one generation, and one bad
            // element must not hide the good ones.
            Heads.eachOfData(data, OpenRouterGenerationFormat::toRecord, sink);
            return;
        }
        sink.record(toRecord(value.isObject() && data != null && data.isObject() ? data : value));
    };

    @Override
    public String id() {
        return ID;
    }

    /**
     * Both OpenRouter's own token count names and its cost name: no other format writes these together.
     */
    @Override
    public int detect(String key, String head) {
        boolean tokens = Heads.hasJsonKeys(head, "tokens_prompt") || Heads.hasJsonKeys(head, "native_tokens_prompt");
        return tokens && Heads.hasJsonKeys(head, "total_cost") ? 90 : 0;
    }

    @Override
    public LogReader open(ReadContext context) {
        return new JsonRecordReader(context, MAPPER);
    }

    static UsageRecord toRecord(JsonNode g) {
        if (!g.isObject()) {
            throw new InvalidFieldException("expected a generation object, got " + kind(g));
        }
        String model = CanonicalFields.text(g, "model")
                .orElseThrow(() -> new InvalidFieldException("missing field 'model'"));
        Instant timestamp = createdAt(g);

        // The native_* counts are the upstream provider's own tokenizer, which is what it billed; tokens_* are
        // OpenRouter's normalised (GPT-4o tokenizer) counts, kept only as the fallback for records without them.
        long prompt = preferNative(g, "native_tokens_prompt", "tokens_prompt");
        long completion = preferNative(g, "native_tokens_completion", "tokens_completion");

        Map<String, String> tags = new LinkedHashMap<>();
        CanonicalFields.text(g, "provider_name").ifPresent(p -> tags.put("upstream_provider", p));
        if (CanonicalFields.flag(g, "is_byok").orElse(false)) {
            // BYOK requests are billed by the provider on the user's own key; total_cost is OpenRouter's fee only.
            tags.put("byok", "true");
        }
        CanonicalFields.text(g, "app_id").ifPresent(v -> tags.put("app_id", v));
        CanonicalFields.text(g, "api_type").ifPresent(v -> tags.put("api_type", v));
        CanonicalFields.text(g, "router").ifPresent(v -> tags.put("router", v));
        CanonicalFields.text(g, "service_tier").ifPresent(v -> tags.put("service_tier", v));

        Optional<BigDecimal> cost = CanonicalFields.cost(g, "total_cost");
        boolean cancelled = CanonicalFields.flag(g, "cancelled").orElse(false);
        return UsageRecord.builder(timestamp, model)
                .requestId(CanonicalFields.text(g, "id"))
                .userId(CanonicalFields.text(g, "external_user"))
                .app(CanonicalFields.text(g, "origin"))
                .tags(tags)
                .provider(Optional.of("openrouter"))
                .promptTokens(prompt)
                .completionTokens(completion)
                .reasoningTokens(CanonicalFields.count(g, "native_tokens_reasoning"))
                .cacheReadTokens(CanonicalFields.count(g, "native_tokens_cached"))
                .costUsd(cost.isPresent() ? cost : CanonicalFields.cost(g, "usage"))
                .finishReason(CanonicalFields.text(g, "finish_reason")
                        .or(() -> CanonicalFields.text(g, "native_finish_reason")))
                .streamed(CanonicalFields.flag(g, "streamed").orElse(false))
                .latencyMs(millis(g, "latency"))
                // A cancelled generation was abandoned by the caller; it still used (and was billed) tokens.
                .errorCode(cancelled ? Optional.of("cancelled") : Optional.empty())
                .build();
    }

    private static long preferNative(JsonNode g, String nativeField, String normalisedField) {
        OptionalLong nativeCount = CanonicalFields.optionalCount(g, nativeField);
        return nativeCount.isPresent() ? nativeCount.getAsLong() : CanonicalFields.count(g, normalisedField);
    }

    private static Instant createdAt(JsonNode g) {
        return CanonicalFields.timestamp(g, "created_at");
    }

    /** OpenRouter writes durations as numbers of milliseconds that may have a fraction: rounded to whole ms. */
    private static OptionalLong millis(JsonNode g, String field) {
        JsonNode node = g.get(field);
        if (node == null || node.isNull() || (node.isTextual() && node.asText().isBlank())) {
            return OptionalLong.empty();
        }
        BigDecimal value = null;
        try {
            value = CanonicalFields.decimal(node, field);
        } catch (InvalidFieldException e) {
            // reported below
        }
        if (value == null || value.signum() < 0 || value.compareTo(MAX_MILLIS) > 0) {
            throw new InvalidFieldException("field '" + field + "' must be a number of milliseconds >= 0, got '"
                    + CanonicalFields.abbreviate(node.toString()) + "'");
        }
        // Under half a millisecond is 0 (rounding first would rescale a value like 1e-10000000 digit by digit).
        return OptionalLong.of(value.compareTo(HALF_MILLI) < 0 ? 0
                : value.setScale(0, RoundingMode.HALF_UP).longValueExact());
    }

    /** The largest duration kept: more would not fit a long once rounded (no request runs 292 million years). */
    private static final BigDecimal MAX_MILLIS = BigDecimal.valueOf(Long.MAX_VALUE - 1);
    private static final BigDecimal HALF_MILLI = new BigDecimal("0.5");

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
