package dev.tokenscope.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short stable ids: one per source object, one per delivery-independent upload of a version of it. */
public final class Ids {

    private Ids() {
    }

    /** The source object: a new version of the same key keeps its id, so its outputs replace the old ones. */
    public static String sourceId(String bucket, String key) {
        return hash(bucket + "\n" + key);
    }

    /**
     * One upload: the same S3 event delivered again gives the same id; a new PUT of the key (a new sequencer,
     * even with identical bytes) gives a new one. Without a sequencer (a manual invocation) the ETag stands in.
     */
    public static String uploadId(String bucket, String key, String etag, String sequencer) {
        return hash(bucket + "\n" + key + "\n" + etag + "\n" + sequencer);
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
