package dev.tokenscope.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import dev.tokenscope.store.WarehouseLayout;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * S3Mock sends no event notifications, so the local runner watches the upload prefix and delivers an S3
 * ObjectCreated event to the ingest handler for every new or changed object, with the same prefix and suffix
 * filters as template.yaml. The sequencer comes from the object's last-modified time, so a restart re-delivers
 * events the handler already counted (and skips them) rather than new ones. It watches the ingest's continuations
 * (state/continuations/) the same way, as the template's second notification does: a file handed over to a new
 * invocation goes on at the next poll.
 */
final class UploadWatcher {

    static final List<String> SUFFIXES = List.of(".jsonl", ".csv", ".gz", ".json");
    static final String CONTINUATIONS_PREFIX = WarehouseLayout.CONTINUATIONS_PREFIX;
    static final List<String> CONTINUATION_SUFFIXES = List.of(WarehouseLayout.CONTINUATION_SUFFIX);
    private static final int MAX_ATTEMPTS = 3;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final RequestHandler<S3Event, String> ingest;
    private final PrintStream log;
    private final Map<String, String> delivered = new HashMap<>();
    private final Map<String, Integer> failures = new HashMap<>();

    UploadWatcher(S3Client s3, String bucket, String prefix, RequestHandler<S3Event, String> ingest, PrintStream log) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.ingest = ingest;
        this.log = log;
    }

    /** One pass over the upload prefix, then the continuations; returns how many objects were delivered. */
    synchronized int poll() {
        return poll(prefix, SUFFIXES) + poll(CONTINUATIONS_PREFIX, CONTINUATION_SUFFIXES);
    }

    private int poll(String watched, List<String> suffixes) {
        int count = 0;
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(watched)).contents()) {
            if (suffixes.stream().noneMatch(object.key()::endsWith)) {
                continue;
            }
            String version = object.eTag() + "@" + object.lastModified().toEpochMilli();
            if (version.equals(delivered.get(object.key()))) {
                continue;
            }
            String attemptKey = object.key() + "#" + version;
            if (failures.getOrDefault(attemptKey, 0) >= MAX_ATTEMPTS) {
                continue;
            }
            String sequencer = String.format("%016X", object.lastModified().toEpochMilli());
            S3Event event = LocalEvents.objectCreated(bucket, object.key(), object.size(), object.eTag()
                    .replace("\"", ""), sequencer);
            try {
                String outcome = ingest.handleRequest(event, null);
                log.println("ingest: " + outcome);
                delivered.put(object.key(), version);
                count++;
            } catch (RuntimeException e) {
                int attempts = failures.merge(attemptKey, 1, Integer::sum);
                log.println("ingest of s3://" + bucket + "/" + object.key() + " failed (attempt " + attempts + " of "
                        + MAX_ATTEMPTS + "): " + e.getMessage());
            }
        }
        return count;
    }
}
