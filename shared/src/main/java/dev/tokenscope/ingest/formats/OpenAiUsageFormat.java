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
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * OpenAI's organization usage API for completions and embeddings (GET /v1/organization/usage/completions and
 * .../embeddings): pages of time buckets, each with pre-aggregated results. One record per result, standing for
 * its {@code num_model_requests}. docs/formats/openai.md maps each field.
 */
public final class OpenAiUsageFormat implements LogFormat {

    public static final String ID = "openai-usage";

    static final String COMPLETIONS = "organization.usage.completions.result";
    static final String EMBEDDINGS = "organization.usage.embeddings.result";


    /** Maps one result of a bucket, given the bucket's start. */
    @FunctionalInterface
    interface ResultMapper {
        UsageRecord map(JsonNode result, Instant bucketStart);
    }

    public static final RecordMapper MAPPER = (value, sink) -> forEachResult(value, sink,
            OpenAiUsageFormat::toRecord);

    @Override
    public String id() {
        return ID;
    }

    /** The result object types name the endpoint exactly. */
    @Override
    public int detect(String key, String head) {
        return Heads.hasJsonString(head, COMPLETIONS) || Heads.hasJsonString(head, EMBEDDINGS) ? 95 : 0;
    }

    @Override
    public LogReader open(ReadContext context) {
        return new JsonRecordReader(context, MAPPER);
    }

    /**
     * Walks a page ({@code "object": "page"}, buckets under data) or one bucket on its own and maps each result.
     * A bad result is an error of its own, named by its place in the page, so the rest of the page is kept.
     * Shared with the costs API, whose pages have the same shape.
     */
    static void forEachResult(JsonNode value, RecordMapper.Sink sink, ResultMapper mapper) {
        if (!value.isObject()) {
            throw new InvalidFieldException("expected a usage page or bucket object, got "
                    + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        JsonNode buckets = value.get("data");
        if (buckets != null && buckets.isArray()) {
            for (int b = 0; b < buckets.size(); b++) {
                bucket(buckets.get(b), "data[" + b + "]", sink, mapper);
            }
        } else if (value.has("results")) {
            bucket(value, "bucket", sink, mapper);
        } else {
            throw new InvalidFieldException("expected a page with field 'data' or a bucket with field 'results'");
        }
    }

    private static void bucket(JsonNode bucket, String where, RecordMapper.Sink sink, ResultMapper mapper) {
        Instant start;
        JsonNode results;
        try {
            if (!bucket.isObject()) {
                throw new InvalidFieldException("expected a bucket object");
            }
            start = bucketStart(bucket);
            results = bucket.get("results");
            if (results == null || !results.isArray()) {
                throw new InvalidFieldException("missing field 'results'");
            }
        } catch (InvalidFieldException e) {
            sink.error(where + ": " + e.getMessage());
            return;
        }
        for (int r = 0; r < results.size(); r++) {
            try {
                sink.record(mapper.map(results.get(r), start));
            } catch (InvalidFieldException e) {
                sink.error(where + ".results[" + r + "]: " + e.getMessage());
            }
        }
    }

    /** A bucket's start_time: epoch seconds, UTC. */
    private static Instant bucketStart(JsonNode bucket) {
        JsonNode node = bucket.get("start_time");
        if (node == null || node.isNull() || (node.isTextual() && node.asText().isBlank())) {
            throw new InvalidFieldException("missing field 'start_time'");
        }
        Instant start;
        try {
            start = CanonicalFields.fromEpoch(Double.parseDouble(node.asText().trim()));
        } catch (NumberFormatException e) {
            throw new InvalidFieldException("field 'start_time' must be epoch seconds, got '"
                    + CanonicalFields.abbreviate(node.asText()) + "'");
        }
        CanonicalFields.inRange(start, "start_time");
        return start;
    }

    static UsageRecord toRecord(JsonNode result, Instant bucketStart) {
        if (!result.isObject()) {
            throw new InvalidFieldException("expected a result object");
        }
        String object = CanonicalFields.text(result, "object").orElse("");
        boolean completions = object.equals(COMPLETIONS);
        if (!completions && !object.equals(EMBEDDINGS)) {
            // Images, audio, moderations and the rest count other units than tokens: not read, but never dropped.
            throw new InvalidFieldException("result object '" + CanonicalFields.abbreviate(object)
                    + "' is not read by " + ID + " (only " + COMPLETIONS + " and " + EMBEDDINGS + ")");
        }
        long requests = CanonicalFields.optionalCount(result, "num_model_requests")
                .orElseThrow(() -> new InvalidFieldException("missing field 'num_model_requests'"));
        if (!result.has("input_tokens")) {
            throw new InvalidFieldException("missing field 'input_tokens'");
        }

        Map<String, String> tags = new LinkedHashMap<>();
        CanonicalFields.text(result, "project_id").ifPresent(v -> tags.put("project_id", v));
        CanonicalFields.text(result, "api_key_id").ifPresent(v -> tags.put("api_key_id", v));
        CanonicalFields.text(result, "batch").ifPresent(v -> tags.put("batch", v));
        CanonicalFields.text(result, "service_tier").ifPresent(v -> tags.put("service_tier", v));
        CanonicalFields.text(result, "api_source").ifPresent(v -> tags.put("api_source", v));
        if (!completions) {
            tags.put("usage_type", "embeddings");
        }

        // input_tokens already counts cached and cache-write tokens, and every modality (text, audio, image), so
        // it is the canonical prompt_tokens as it stands; the per-modality splits are not added again.
        return UsageRecord.builder(bucketStart,
                        // Without group_by=model the API leaves model null: the usage is real, its model unknown.
                        CanonicalFields.text(result, "model").orElse("unknown"))
                .userId(CanonicalFields.text(result, "user_id"))
                .tags(tags)
                .provider(Optional.of("openai"))
                .requests(requests)
                .promptTokens(CanonicalFields.count(result, "input_tokens"))
                .completionTokens(completions ? CanonicalFields.count(result, "output_tokens") : 0)
                .cacheReadTokens(completions ? CanonicalFields.count(result, "input_cached_tokens") : 0)
                .cacheWriteTokens(completions ? CanonicalFields.count(result, "input_cache_write_tokens") : 0)
                .build();
    }
}
