package dev.tokenscope.testing;

import dev.tokenscope.store.UploadStatus;
import dev.tokenscope.store.UploadStatusStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** UploadStatusStore in memory: one status per source object, the last save wins; keeps every save for tests. */
public final class InMemoryStatusStore implements UploadStatusStore {

    private final Map<String, UploadStatus> statuses = new HashMap<>();
    private final List<UploadStatus> saved = new ArrayList<>();
    private final Map<String, Lease> leases = new HashMap<>();
    private final List<String> claims = new ArrayList<>();

    private record Lease(String token, Instant until) {
    }

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

    @Override
    public synchronized boolean claimSource(String sourceId, String token, Instant now, Instant until) {
        Lease held = leases.get(sourceId);
        if (held != null && !held.token().equals(token) && !held.until().isBefore(now)) {
            return false;
        }
        leases.put(sourceId, new Lease(token, until));
        claims.add(sourceId + " " + token);
        return true;
    }

    @Override
    public synchronized void releaseSource(String sourceId, String token) {
        leases.computeIfPresent(sourceId, (id, held) -> held.token().equals(token) ? null : held);
    }

    /** The source objects whose lease is held now (released ones are gone). */
    public synchronized java.util.Set<String> leasedSources() {
        return java.util.Set.copyOf(leases.keySet());
    }

    /** Every lease taken or renewed, as "sourceId token", in order. */
    public synchronized List<String> claims() {
        return List.copyOf(claims);
    }

    /** Every status saved, in order. */
    public synchronized List<UploadStatus> history() {
        return List.copyOf(saved);
    }
}
