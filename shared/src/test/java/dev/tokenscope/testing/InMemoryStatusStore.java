package dev.tokenscope.testing;

import dev.tokenscope.store.UploadStatus;
import dev.tokenscope.store.UploadStatusStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
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

    private record Lease(String token, Set<String> holders, Instant until) {
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
    public synchronized boolean claimSource(String sourceId, String token, String holder, Instant now,
                                            Instant until) {
        Lease held = leases.get(sourceId);
        Set<String> holders = new HashSet<>();
        if (held != null && !held.until().isBefore(now)) {
            // Live: joined if it is this upload's (one that ran out is taken afresh, as DynamoUsageTable does).
            if (!held.token().equals(token)) {
                return false;
            }
            holders.addAll(held.holders());
        }
        holders.add(holder);
        leases.put(sourceId, new Lease(token, holders, until));
        claims.add(sourceId + " " + token);
        return true;
    }

    @Override
    public synchronized void releaseSource(String sourceId, String token, String holder) {
        Lease held = leases.get(sourceId);
        if (held == null || !held.token().equals(token)) {
            return;
        }
        Set<String> holders = new HashSet<>(held.holders());
        holders.remove(holder);
        if (holders.isEmpty()) {
            leases.remove(sourceId);
        } else {
            leases.put(sourceId, new Lease(token, holders, held.until()));
        }
    }

    /** The source objects whose lease is held now (released ones are gone). */
    public synchronized Set<String> leasedSources() {
        return Set.copyOf(leases.keySet());
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
