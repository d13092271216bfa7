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
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * OpenRouter's activity API (GET /api/v1/activity): one pre-aggregated row per day, model and endpoint, read from
 * the whole response {@code {"data": [...]}} or from the rows on their own (JSON Lines or a JSON array). A row
 * stands for its {@code requests}; it is never expanded. docs/formats/openrouter.md maps each field.
 */
public final class OpenRouterActivityFormat implements LogFormat {

    public static final String ID = "openrouter-activity";

    /** Maps a response (many rows) or one row to records; a bad row is an error of its own. */
    public static final RecordMapper MAPPER = (value, sink) -> {
        JsonNode data = value.get("data");
        if (value.isObject() && data != null && data.isArray()) {
            Heads.eachOfData(data, OpenRouterActivityFormat::toRecord, sink);
            return;
        }
        sink.record(toRecord(value));
    };

    @Override
    public String id() {
        return ID;
    }

    /** The permaslug is OpenRouter's alone; a day with a request count and token totals is the row's shape. */
    @Override
    public int detect(String key, String head) {
        if (Heads.hasJsonKeys(head, "model_permaslug")
                || Heads.hasJsonKeys(head, "date", "requests", "prompt_tokens")) {
            return 85;
        }
        return 0;
    }

    @Override
    public LogReader open(ReadContext context) {
        return new JsonRecordReader(context, MAPPER);
    }

    static UsageRecord toRecord(JsonNode row) {
        if (!row.isObject()) {
            throw new InvalidFieldException("expected an activity row object, got "
                    + row.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        // The slug ("openai/gpt-4.1") is what generation records and users name; the dated permaslug is a tag.
        String model = CanonicalFields.text(row, "model").or(() -> CanonicalFields.text(row, "model_permaslug"))
                .orElseThrow(() -> new InvalidFieldException("missing field 'model'"));
        long requests = CanonicalFields.optionalCount(row, "requests").orElseThrow(
                () -> new InvalidFieldException("missing field 'requests'"));

        Map<String, String> tags = new LinkedHashMap<>();
        CanonicalFields.text(row, "provider_name").ifPresent(v -> tags.put("upstream_provider", v));
        CanonicalFields.text(row, "model_permaslug").ifPresent(v -> tags.put("model_permaslug", v));
        CanonicalFields.text(row, "endpoint_id").ifPresent(v -> tags.put("endpoint_id", v));
        Optional<BigDecimal> byok = CanonicalFields.cost(row, "byok_usage_inference");
        if (byok.isPresent() && byok.get().signum() > 0) {
            // What the provider charged the user's own key: not OpenRouter credits, so not in cost_usd. A day's row
            // may mix key and credit requests, so it is not tagged byok=true (which leaves a request's cost out).
            tags.put("byok_usage_inference", byok.get().stripTrailingZeros().toPlainString());
        }

        return UsageRecord.builder(day(row), model)
                .tags(tags)
                .provider(Optional.of("openrouter"))
                .requests(requests)
                .promptTokens(CanonicalFields.count(row, "prompt_tokens"))
                .completionTokens(CanonicalFields.count(row, "completion_tokens"))
                .reasoningTokens(CanonicalFields.count(row, "reasoning_tokens"))
                .costUsd(CanonicalFields.cost(row, "usage"))
                .build();
    }

    /** The row's day (UTC, as OpenRouter reports completed UTC days) at 00:00Z. */
    private static Instant day(JsonNode row) {
        String text = CanonicalFields.text(row, "date")
                .orElseThrow(() -> new InvalidFieldException("missing field 'date'"));
        LocalDate date;
        try {
            // "2025-08-24"; a row written with the day's time ("2025-08-24 00:00:00") is the same day.
            boolean withTime = text.length() > 10 && (text.charAt(10) == 'T' || text.charAt(10) == ' ');
            date = LocalDate.parse(withTime ? text.substring(0, 10) : text);
        } catch (DateTimeException e) {
            throw new InvalidFieldException("field 'date' must be a day (YYYY-MM-DD), got '"
                    + CanonicalFields.abbreviate(text) + "'");
        }
        return CanonicalFields.inRange(date.atStartOfDay(ZoneOffset.UTC).toInstant(), "date");
    }
}
