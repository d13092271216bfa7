package dev.tokenscope.store;

import java.util.Optional;

/** Where upload statuses live, one per source object (the latest version read wins). */
public interface UploadStatusStore {

    Optional<UploadStatus> status(String sourceId);

    void save(UploadStatus status);
}
