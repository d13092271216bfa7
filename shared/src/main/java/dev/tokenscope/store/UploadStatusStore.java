package dev.tokenscope.store;

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
}
