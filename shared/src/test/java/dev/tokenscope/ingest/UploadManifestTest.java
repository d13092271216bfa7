package dev.tokenscope.ingest;

import static dev.tokenscope.testing.Fixtures.totals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenscope.aggregate.RollupKey;
import dev.tokenscope.aggregate.Totals;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class UploadManifestTest {

    private static final RollupKey CLAUDE = new RollupKey(RollupKey.MODEL, LocalDate.of(2026, 11, 2),
            "anthropic.claude-sonnet-4-20250514-v1:0");
    private static final RollupKey MINI = new RollupKey(RollupKey.MODEL, LocalDate.of(2026, 11, 3),
            "openai/gpt-4o-mini");

    private static UploadManifest sample() {
        Map<RollupKey, Totals> deltas = new TreeMap<>();
        deltas.put(CLAUDE, totals(2, 2710, 405, 0, 2000, 0, "0.0142500000", 2, 1));
        deltas.put(MINI, totals(2, 1340, 210, 0, 0, 0, "0.0000000001", 1, 0, 760, 1));
        UploadManifest.Upload old = new UploadManifest.Upload("u-old", "etag-old", "0055AED6DCD90281E5", true,
                List.of("warehouse/records/day=2026-11-01/src.json.gz"), List.of());
        UploadManifest.Upload current = new UploadManifest.Upload("u-new", "etag-new", "0055AED6DCD90281F0",
                false, List.of("warehouse/records/day=2026-11-02/src.json.gz",
                "warehouse/records/day=2026-11-03/src.json.gz"), UploadManifest.deltas(deltas));
        return new UploadManifest("src", "bucket", "logs/a.jsonl", List.of(old, current));
    }

    @Test
    void fromJson_shouldGiveBackTheSameManifest_whenReadingWhatToJsonWrote() {
        // given
        UploadManifest manifest = sample();

        // when
        UploadManifest read = UploadManifest.fromJson(manifest.toJson());

        // then
        assertEquals(manifest, read);
    }

    @Test
    void deltaMap_shouldKeepExactCosts_whenManifestIsReadBack() {
        // given
        UploadManifest manifest = sample();

        // when
        Map<RollupKey, Totals> deltas = UploadManifest.fromJson(manifest.toJson()).uploads().get(1).deltaMap();

        // then
        assertEquals(List.of(CLAUDE, MINI), List.copyOf(deltas.keySet()));
        assertEquals(0, new BigDecimal("0.01425").compareTo(deltas.get(CLAUDE).costUsd()));
        assertEquals(0, new BigDecimal("1E-10").compareTo(deltas.get(MINI).costUsd()));
        assertEquals(totals(2, 2710, 405, 0, 2000, 0, "0.0142500000", 2, 1), deltas.get(CLAUDE));
    }

    @Test
    void toJson_shouldWriteReadableFieldNames_whenSerialising() throws Exception {
        // given
        UploadManifest manifest = sample();

        // when
        JsonNode json = new ObjectMapper().readTree(new String(manifest.toJson(), StandardCharsets.UTF_8));

        // then
        assertEquals("src", json.get("sourceId").asText());
        assertEquals(2, json.get("uploads").size());
        JsonNode delta = json.get("uploads").get(1).get("deltas").get(0);
        assertEquals("model", delta.get("dimension").asText());
        assertEquals("2026-11-02", delta.get("day").asText());
        assertEquals(2710, delta.get("promptTokens").asLong());
        assertTrue(json.get("uploads").get(0).get("complete").asBoolean());
    }

    @Test
    void fromJson_shouldThrowUnchecked_whenBytesAreNotAManifest() {
        // given
        byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);

        // when
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> UploadManifest.fromJson(garbage));

        // then
        assertEquals("the upload manifest is not readable", e.getMessage());
    }

    @Test
    void fromJson_shouldKeepTheSegmentSize_whenTheUploadWasCutIntoSegments() {
        // given
        UploadManifest manifest = new UploadManifest("src", "bucket", "logs/a.jsonl", List.of(
                new UploadManifest.Upload("u-new", "etag", "0055AED6DCD90281F0", false, List.of(), List.of(), 500_000)));

        // when
        UploadManifest read = UploadManifest.fromJson(manifest.toJson());

        // then
        assertEquals(manifest, read);
        assertEquals(500_000, read.uploads().get(0).segmentItems());
    }

    @Test
    void fromJson_shouldReadNoSegmentSize_whenTheManifestWasWrittenBeforeSegments() {
        // given a manifest as written before segments existed
        String json = """
                {"sourceId": "src", "bucket": "bucket", "key": "logs/a.jsonl", "uploads": [
                  {"uploadId": "u-old", "etag": "etag-old", "sequencer": "0055AED6DCD90281E5", "complete": true,
                   "warehouseKeys": ["warehouse/records/day=2026-11-01/src.json.gz"], "deltas": []}]}
                """;

        // when
        UploadManifest.Upload upload = UploadManifest.fromJson(json.getBytes(StandardCharsets.UTF_8)).uploads().get(0);

        // then: 0, which the ingest reads as one segment of the whole file
        assertEquals(0, upload.segmentItems());
        assertEquals(List.of("warehouse/records/day=2026-11-01/src.json.gz"), upload.warehouseKeys());
    }

    @Test
    void segmentFromJson_shouldGiveBackTheSameSegment_whenReadingWhatToJsonWrote() {
        // given
        Map<RollupKey, Totals> deltas = new TreeMap<>(Map.of(CLAUDE, totals(2, 2710, 405, 0, 2000, 0, "0.01425", 2, 1)));
        UploadManifest.Segment segment = new UploadManifest.Segment("u-new.3",
                List.of("warehouse/records/day=2026-11-02/src.3.json.gz", "quarantine/src.3.jsonl"),
                UploadManifest.deltas(deltas));

        // when
        UploadManifest.Segment read = UploadManifest.Segment.fromJson(segment.toJson());

        // then
        assertEquals(segment, read);
        assertEquals(deltas, read.deltaMap());
    }
}
