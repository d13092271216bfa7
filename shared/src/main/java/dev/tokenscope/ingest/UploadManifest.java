package dev.tokenscope.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenscope.aggregate.RollupKey;
import dev.tokenscope.aggregate.Totals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the rollups and the warehouse hold of one source object: each upload of it whose deltas may be in the
 * rollups, with those deltas and its warehouse objects. A new version reads it to retract what the old one added
 * and delete what it wrote; it is written before any delta is applied, so a crash never leaves deltas unrecorded.
 */
public record UploadManifest(String sourceId, String bucket, String key, List<Upload> uploads) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public UploadManifest {
        uploads = List.copyOf(uploads);
    }

    public record Upload(String uploadId, String etag, String sequencer, boolean complete,
                         List<String> warehouseKeys, List<Delta> deltas) {
        public Upload {
            warehouseKeys = List.copyOf(warehouseKeys);
            deltas = List.copyOf(deltas);
        }

        public Map<RollupKey, Totals> deltaMap() {
            Map<RollupKey, Totals> result = new TreeMap<>();
            for (Delta d : deltas) {
                result.put(new RollupKey(d.dimension(), LocalDate.parse(d.day()), d.value()), d.totals());
            }
            return result;
        }
    }

    /** A delta in plain fields, so the manifest is readable JSON. */
    public record Delta(String dimension, String day, String value, long requests, long promptTokens,
                        long completionTokens, long reasoningTokens, long cacheReadTokens, long cacheWriteTokens,
                        BigDecimal costUsd, long pricedRequests, long toolCallRequests, long pricedTokens,
                        long longPromptRequests, Map<String, Long> shape) {

        static Delta of(RollupKey key, Totals t) {
            return new Delta(key.dimension(), key.day().toString(), key.value(), t.requests(), t.promptTokens(),
                    t.completionTokens(), t.reasoningTokens(), t.cacheReadTokens(), t.cacheWriteTokens(),
                    t.costUsd(), t.pricedRequests(), t.toolCallRequests(), t.pricedTokens(), t.longPromptRequests(),
                    t.shape());
        }

        Totals totals() {
            return new Totals(requests, promptTokens, completionTokens, reasoningTokens, cacheReadTokens,
                    cacheWriteTokens, costUsd, pricedRequests, toolCallRequests, pricedTokens, longPromptRequests,
                    new TreeMap<>(shape == null ? Map.of() : shape));
        }
    }

    public static List<Delta> deltas(Map<RollupKey, Totals> deltas) {
        List<Delta> result = new ArrayList<>();
        deltas.forEach((k, t) -> result.add(Delta.of(k, t)));
        return result;
    }

    public byte[] toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static UploadManifest fromJson(byte[] json) {
        try {
            return JSON.readValue(json, UploadManifest.class);
        } catch (IOException e) {
            throw new UncheckedIOException("the upload manifest is not readable", e);
        }
    }
}
