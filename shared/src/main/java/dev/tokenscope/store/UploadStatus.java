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
        Map<String, Long> timingsMs) {

    public enum State { PROCESSING, COMPLETE, SUPERSEDED, FAILED }

    public UploadStatus {
        errors = List.copyOf(errors);
        timingsMs = Map.copyOf(timingsMs);
    }
}
