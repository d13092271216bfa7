package dev.tokenscope.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

class S3ObjectStoreTest {

    private static final byte[] LOG = "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n".getBytes(StandardCharsets.UTF_8);

    /**
     * Regression: a GetObject whose connection ended mid-body read as a shorter object (the url-connection client
     * ends the stream without an error), so the ingest counted a cut file as whole, and an attempt that had applied
     * part of the cut file's deltas left them for good (a retry's deltas are refused where the upload is applied).
     */
    @Test
    void open_shouldThrow_whenTheBodyEndsBeforeItsContentLength() {
        // given an object of LOG's length whose connection delivers only its first line
        S3ObjectStore store = new S3ObjectStore(serving(LOG.length, new ByteArrayInputStream(LOG, 0, 8)));

        // when
        IOException e = assertThrows(IOException.class, () -> {
            try (InputStream in = store.open("bucket", "logs/a.jsonl").orElseThrow().stream()) {
                in.readAllBytes();
            }
        });

        // then
        assertTrue(e.getMessage().contains("s3://bucket/logs/a.jsonl") && e.getMessage().contains("8 of 24"),
                e.getMessage());
        assertTrue(!(e instanceof java.io.EOFException), "an EOFException would be taken for a damaged gzip file");
    }

    @Test
    void open_shouldReadTheWholeBody_whenItHasItsContentLength() throws IOException {
        // given
        S3ObjectStore store = new S3ObjectStore(serving(LOG.length, new ByteArrayInputStream(LOG)));

        // when
        byte[] read;
        try (InputStream in = store.open("bucket", "logs/a.jsonl").orElseThrow().stream()) {
            read = in.readAllBytes();
        }

        // then
        assertArrayEquals(LOG, read);
    }

    /** An S3 client whose every GetObject answers with this Content-Length and body. */
    private static S3Client serving(long contentLength, InputStream body) {
        return new S3Client() {
            @Override
            public ResponseInputStream<GetObjectResponse> getObject(GetObjectRequest request) {
                return new ResponseInputStream<>(GetObjectResponse.builder().contentLength(contentLength)
                        .eTag("\"e1\"").build(), AbortableInputStream.create(body));
            }

            @Override
            public String serviceName() {
                return "s3";
            }

            @Override
            public void close() {
            }
        };
    }
}
