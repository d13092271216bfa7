package dev.tokenscope.ingest;

import java.util.Optional;

/**
 * Fetches a body a log refers to instead of inlining it (Bedrock writes large bodies as separate objects and logs
 * their s3:// path). Empty when the object is missing, unreadable or larger than the limit.
 */
@FunctionalInterface
public interface BodyResolver {

    BodyResolver NONE = uri -> Optional.empty();

    Optional<String> text(String s3Uri);
}
