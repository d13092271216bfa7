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

    /**
     * One segment of an upload (a run of a fixed number of its records, docs/storage.md): segment 0 is the upload
     * itself, so a file of one segment is counted under its upload id as before segments existed; segment k after it
     * is {@code <uploadId>.<k>}. Rollup items record it in their applied set like an upload id (and {@code -<id>}
     * once retracted); warehouse rows carry it as their upload_id, so a rebuilt item refuses the segment too.
     */
    public static String segmentId(String uploadId, int segment) {
        if (segment < 0) {
            throw new IllegalArgumentException("a segment is 0 or more, got " + segment);
        }
        return segment == 0 ? uploadId : uploadId + "." + segment;
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
