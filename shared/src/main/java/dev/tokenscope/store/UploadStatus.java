package dev.tokenscope.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What happened to one uploaded object: which version was read, how many records were read, kept and
 * quarantined, the first errors, and how long each step took.
 */
public record UploadStatus(
        String sourceId,
        String bucket,
        String key,
        String etag,
        String uploadId,
        State state,
        long recordsRead,
        long recordsKept,
        long recordsQuarantined,
        List<String> errors,
        Optional<String> quarantineKey,
        long rollupItems,
        long rollupWrites,
        Instant startedAt,
        Optional<Instant> finishedAt,
        Map<String, Long> timingsMs,
        String format) {

    /**
     * PROCESSING while read; COMPLETE when counted; SUPERSEDED when a newer version replaced it first; FAILED when
     * reading failed (retried); REJECTED when no format recognises the file (not retried); SKIPPED for objects that
     * are not logs of their own (Bedrock's /data/ bodies).
     */
    public enum State { PROCESSING, COMPLETE, SUPERSEDED, FAILED, REJECTED, SKIPPED }

    public UploadStatus {
        errors = List.copyOf(errors);
        timingsMs = Map.copyOf(timingsMs);
    }
}
