package dev.tokenscope.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class IdsTest {

    /** The documented recipe, written out independently: the first 8 bytes of SHA-256, in hex. */
    private static String sha256Prefix(String text) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            hex.append(String.format("%02x", digest[i]));
        }
        return hex.toString();
    }

    @Test
    void sourceId_shouldBeSixteenHexDigitsOfSha256_whenGivenBucketAndKey() throws Exception {
        // given
        String bucket = "tokenscope-local";
        String key = "logs/2026/11/sample-usage.jsonl";

        // when
        String id = Ids.sourceId(bucket, key);

        // then
        assertEquals(16, id.length());
        assertEquals(sha256Prefix("tokenscope-local\nlogs/2026/11/sample-usage.jsonl"), id);
        assertEquals(id, Ids.sourceId(bucket, key));
    }

    @Test
    void sourceId_shouldDiffer_whenBucketOrKeyDiffers() {
        // given
        String a = Ids.sourceId("b", "logs/a.jsonl");

        // when
        String otherKey = Ids.sourceId("b", "logs/b.jsonl");
        String otherBucket = Ids.sourceId("c", "logs/a.jsonl");

        // then
        assertNotEquals(a, otherKey);
        assertNotEquals(a, otherBucket);
        assertEquals(8, HexFormat.of().parseHex(a).length);
    }

    @Test
    void uploadId_shouldBeStableForTheSameDelivery_whenEtagAndSequencerAreTheSame() throws Exception {
        // given
        String first = Ids.uploadId("b", "k", "etag1", "0055AED6DCD90281E5");

        // when
        String again = Ids.uploadId("b", "k", "etag1", "0055AED6DCD90281E5");

        // then
        assertEquals(first, again);
        assertEquals(sha256Prefix("b\nk\netag1\n0055AED6DCD90281E5"), first);
    }

    @Test
    void uploadId_shouldDiffer_whenSequencerOrEtagDiffers() {
        // given
        String first = Ids.uploadId("b", "k", "etag1", "0055AED6DCD90281E5");

        // when
        String newPutSameBytes = Ids.uploadId("b", "k", "etag1", "0055AED6DCD90281F0");
        String newContent = Ids.uploadId("b", "k", "etag2", "0055AED6DCD90281E5");

        // then
        assertNotEquals(first, newPutSameBytes);
        assertNotEquals(first, newContent);
        assertNotEquals(Ids.sourceId("b", "k"), first);
    }

    @Test
    void segmentId_shouldBeTheUploadIdForTheFirstSegment_whenNumbered() {
        // given
        String upload = Ids.uploadId("b", "k", "etag1", "0055AED6DCD90281E5");

        // when
        String first = Ids.segmentId(upload, 0);
        String fourth = Ids.segmentId(upload, 3);

        // then: a file of one segment is applied under its upload id, as before segments existed
        assertEquals(upload, first);
        assertEquals(upload + ".3", fourth);
        assertThrows(IllegalArgumentException.class, () -> Ids.segmentId(upload, -1));
    }
}
