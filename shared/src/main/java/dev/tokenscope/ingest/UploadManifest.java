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
 *
 * <p>An upload's entry holds its first segment (docs/storage.md, "A file too big for one invocation"); each later
 * segment has a {@link Segment} object of its own under state/segments/, written once before its deltas are applied
 * and never rewritten with other content, so two invocations working on the same upload at once cannot lose one
 * another's segments as they could by rewriting one shared list.
 */
public record UploadManifest(String sourceId, String bucket, String key, List<Upload> uploads) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public UploadManifest {
        uploads = List.copyOf(uploads);
    }

    /**
     * One upload and its first segment: the segment's warehouse objects and deltas. {@code segmentItems} is the
     * number of records per segment the upload was cut with, kept so that every delivery of it cuts the same
     * segments; 0 in manifests written before segments existed, whose uploads were read whole as one segment.
     */
    public record Upload(String uploadId, String etag, String sequencer, boolean complete,
                         List<String> warehouseKeys, List<Delta> deltas, long segmentItems) {
        public Upload {
            warehouseKeys = List.copyOf(warehouseKeys);
            deltas = List.copyOf(deltas);
        }

        /** An upload as manifests before segments recorded it: read whole. */
        public Upload(String uploadId, String etag, String sequencer, boolean complete, List<String> warehouseKeys,
                      List<Delta> deltas) {
            this(uploadId, etag, sequencer, complete, warehouseKeys, deltas, 0);
        }

        public Map<RollupKey, Totals> deltaMap() {
            return UploadManifest.deltaMap(deltas);
        }
    }

    /**
     * A segment after the first of an upload: its id (the upload id and the segment's number, Ids.segmentId), every
     * object it wrote (its days' warehouse objects and its quarantine object, if any) and its deltas.
     */
    public record Segment(String segmentId, List<String> keys, List<Delta> deltas) {
        public Segment {
            keys = List.copyOf(keys);
            deltas = List.copyOf(deltas);
        }

        public Map<RollupKey, Totals> deltaMap() {
            return UploadManifest.deltaMap(deltas);
        }

        public byte[] toJson() {
            return write(this);
        }

        public static Segment fromJson(byte[] json) {
            try {
                return JSON.readValue(json, Segment.class);
            } catch (IOException e) {
                throw new UncheckedIOException("a segment record is not readable", e);
            }
        }
    }

    private static Map<RollupKey, Totals> deltaMap(List<Delta> deltas) {
        Map<RollupKey, Totals> result = new TreeMap<>();
        for (Delta d : deltas) {
            result.put(new RollupKey(d.dimension(), LocalDate.parse(d.day()), d.value()), d.totals());
        }
        return result;
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
        return write(this);
    }

    private static byte[] write(Object value) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
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
