package dev.tokenscope.testing;

import dev.tokenscope.store.UploadStatus;
import dev.tokenscope.store.UploadStatusStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** UploadStatusStore in memory: one status per source object, the last save wins; keeps every save for tests. */
public final class InMemoryStatusStore implements UploadStatusStore {

    private final Map<String, UploadStatus> statuses = new HashMap<>();
    private final List<UploadStatus> saved = new ArrayList<>();

    @Override
    public synchronized Optional<UploadStatus> status(String sourceId) {
        return Optional.ofNullable(statuses.get(sourceId));
    }

    @Override
    public synchronized void save(UploadStatus status) {
        statuses.put(status.sourceId(), status);
        saved.add(status);
    }

    @Override
    public synchronized List<UploadStatus> recent(int limit) {
        Map<String, UploadStatus> latest = new java.util.LinkedHashMap<>();
        saved.forEach(status -> latest.put(status.uploadId(), status));
        return latest.values().stream()
                .sorted(java.util.Comparator.comparing(UploadStatus::startedAt).reversed())
                .limit(limit).toList();
    }

    /** Every status saved, in order. */
    public synchronized List<UploadStatus> history() {
        return List.copyOf(saved);
    }
}
