package dev.tokenscope.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where upload statuses live, one per source object (the latest version read wins). */
public interface UploadStatusStore {

    Optional<UploadStatus> status(String sourceId);

    void save(UploadStatus status);

    /**
     * The most recent uploads, newest first (by start), one entry per upload (its latest status), at most
     * {@code limit}, from the current and the previous calendar month.
     */
    List<UploadStatus> recent(int limit);

    /**
     * Takes the lease of one source object for {@code token} (an upload) and {@code holder} (one invocation), or
     * joins and renews it when {@code token} already holds it, until {@code until}; false while another token
     * holds one that has not run out at {@code now}. The ingest reads the object's manifest and commits an upload
     * only under it, so two versions of one key never commit at once (docs/storage.md).
     */
    boolean claimSource(String sourceId, String token, String holder, Instant now, Instant until);

    /** Leaves the lease; it is given back when {@code token} holds it and no other holder is left. */
    void releaseSource(String sourceId, String token, String holder);
}
