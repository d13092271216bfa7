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
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * OpenAI's organization costs API (GET /v1/organization/costs): pages of time buckets whose results are amounts
 * of money. Each result becomes a cost-only record (no requests, no tokens) so that spend sums next to usage
 * without counting requests twice. docs/formats/openai.md maps each field.
 */
public final class OpenAiCostsFormat implements LogFormat {

    public static final String ID = "openai-costs";

    static final String COSTS = "organization.costs.result";

    public static final RecordMapper MAPPER = (value, sink) -> OpenAiUsageFormat.forEachResult(value,
            sink, OpenAiCostsFormat::toRecord);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int detect(String key, String head) {
        return Heads.hasJsonString(head, COSTS) ? 95 : 0;
    }

    @Override
    public LogReader open(ReadContext context) {
        return new JsonRecordReader(context, MAPPER);
    }

    static UsageRecord toRecord(JsonNode result, Instant bucketStart) {
        if (!result.isObject()) {
            throw new InvalidFieldException("expected a result object");
        }
        String object = CanonicalFields.text(result, "object").orElse("");
        if (!object.equals(COSTS)) {
            throw new InvalidFieldException("result object '" + CanonicalFields.abbreviate(object)
                    + "' is not read by " + ID + " (only " + COSTS + ")");
        }
        JsonNode amount = result.get("amount");
        if (amount == null || amount.isNull()) {
            throw new InvalidFieldException("missing field 'amount'");
        }
        if (!amount.isObject()) {
            throw new InvalidFieldException("field 'amount' must be an object with 'value' and 'currency'");
        }
        String currency = CanonicalFields.text(amount, "currency")
                .orElseThrow(() -> new InvalidFieldException("missing field 'amount.currency'"));
        if (!currency.equalsIgnoreCase("usd")) {
            // Converting would need a rate of that day; a wrong guess is worse than a visible error.
            throw new InvalidFieldException("field 'amount.currency' is '" + CanonicalFields.abbreviate(currency)
                    + "'; only usd is read");
        }
        if (!amount.has("value") || amount.get("value").isNull()) {
            throw new InvalidFieldException("missing field 'amount.value'");
        }
        Optional<BigDecimal> cost;
        try {
            cost = CanonicalFields.cost(amount, "value");
        } catch (InvalidFieldException e) {
            throw new InvalidFieldException(e.getMessage().replace("field 'value'", "field 'amount.value'"));
        }

        Optional<String> lineItem = CanonicalFields.text(result, "line_item");
        Map<String, String> tags = new LinkedHashMap<>();
        lineItem.ifPresent(v -> tags.put("line_item", v));
        CanonicalFields.text(result, "project_id").ifPresent(v -> tags.put("project_id", v));
        CanonicalFields.text(result, "api_key_id").ifPresent(v -> tags.put("api_key_id", v));

        return UsageRecord.builder(bucketStart, lineItem.flatMap(OpenAiCostsFormat::modelOf).orElse("unknown"))
                .tags(tags)
                .provider(Optional.of("openai"))
                .requests(0)
                .costUsd(cost)
                .build();
    }

    /**
     * The model a line item names: "gpt-4o-2024-08-06, input" names gpt-4o-2024-08-06; "Image models" or
     * "web search tool calls" name none. A model id is one word (no spaces) with a digit, before the first comma:
     * every OpenAI model id has one (gpt-4o, o3, whisper-1, text-embedding-3-small), product names do not.
     */
    static Optional<String> modelOf(String lineItem) {
        int comma = lineItem.indexOf(',');
        String head = (comma < 0 ? lineItem : lineItem.substring(0, comma)).trim();
        if (head.chars().anyMatch(Character::isWhitespace) || head.chars().noneMatch(Character::isDigit)) {
            return Optional.empty();
        }
        return Optional.of(head);
    }
}
