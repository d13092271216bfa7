package dev.tokenscope.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hand-over of an upload too long for one invocation: which version of which object, the segment to start at,
 * and what the segments before it counted. Written as an object under state/continuations/, whose S3 event invokes
 * the ingest function again; that invocation deletes it when its own part is done.
 *
 * @param segmentItems the records per segment the upload was cut with (every invocation must cut the same)
 * @param segment      the first segment the next invocation does; 0..segment-1 are applied
 * @param invocation   the number of the next invocation of this upload, from 2
 * @param startedAt    when the upload's first invocation started: its status keeps that, so it stays one upload
 * @param longestSegmentMillis the longest any segment took so far: how much time the next must have left to start one
 */
record Continuation(String bucket, String key, String etag, String sequencer, String uploadId, long segmentItems,
                    int segment, int invocation, String startedAt, long longestSegmentMillis, Progress progress) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The same point of the upload for its next invocation, after this one waited in vain for the lease. */
    Continuation waited() {
        return new Continuation(bucket, key, etag, sequencer, uploadId, segmentItems, segment, invocation + 1,
                startedAt, longestSegmentMillis, progress);
    }

    IngestService.Upload upload() {
        return new IngestService.Upload(bucket, key, etag.isEmpty() ? Optional.empty() : Optional.of(etag),
                sequencer.isEmpty() ? Optional.empty() : Optional.of(sequencer));
    }

    Instant started() {
        return Instant.parse(startedAt);
    }

    byte[] toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Continuation fromJson(byte[] json) {
        try {
            return JSON.readValue(json, Continuation.class);
        } catch (IOException e) {
            throw new UncheckedIOException("a continuation is not readable", e);
        }
    }

    /**
     * What an upload's segments counted, summed over the segments done so far; the status reports it.
     * {@code quarantineKey} is the first segment's quarantine object that has bad lines, "" while none has.
     */
    record Progress(long recordsRead, long recordsKept, long recordsQuarantined, List<String> errors,
                    String quarantineKey, long rollupItems, long rollupWrites, Map<String, Long> timingsMs) {

        static final Progress NONE = new Progress(0, 0, 0, List.of(), "", 0, 0, Map.of());

        Progress {
            errors = List.copyOf(errors);
            timingsMs = Map.copyOf(timingsMs);
        }

        /** This and the next segment's counts: errors up to the status's limit, timings added up by name. */
        Progress plus(Progress next) {
            List<String> allErrors = new ArrayList<>(errors);
            next.errors.stream().limit(Math.max(0, IngestService.ERRORS_IN_STATUS - allErrors.size()))
                    .forEach(allErrors::add);
            Map<String, Long> timings = new LinkedHashMap<>(timingsMs);
            next.timingsMs.forEach((name, ms) -> timings.merge(name, ms, Long::sum));
            return new Progress(recordsRead + next.recordsRead, recordsKept + next.recordsKept,
                    recordsQuarantined + next.recordsQuarantined, allErrors,
                    quarantineKey.isEmpty() ? next.quarantineKey : quarantineKey, rollupItems + next.rollupItems,
                    rollupWrites + next.rollupWrites, timings);
        }

        Optional<String> quarantine() {
            return quarantineKey.isEmpty() ? Optional.empty() : Optional.of(quarantineKey);
        }
    }
}
