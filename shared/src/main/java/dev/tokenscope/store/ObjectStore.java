package dev.tokenscope.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The object storage port (S3 on AWS, S3Mock locally): just what tokenscope needs of it. */
public interface ObjectStore {

    /** Opens an object as a stream; the caller closes it. Empty when the object does not exist. */
    Optional<ObjectBody> open(String bucket, String key);

    void put(String bucket, String key, Path file, String contentType);

    void put(String bucket, String key, byte[] bytes, String contentType);

    void delete(String bucket, String key);

    /** Every object under a prefix, all pages. */
    List<ObjectSummary> list(String bucket, String prefix);

    /** An open object: its stream, ETag, size and user metadata (x-amz-meta-*, keys lower-case, no prefix). */
    record ObjectBody(InputStream stream, String etag, long size, java.util.Map<String, String> metadata)
            implements Closeable {
        public ObjectBody {
            metadata = java.util.Map.copyOf(metadata);
        }

        public ObjectBody(InputStream stream, String etag, long size) {
            this(stream, etag, size, java.util.Map.of());
        }

        @Override
        public void close() throws IOException {
            stream.close();
        }
    }

    record ObjectSummary(String key, String etag, long size) {
    }

    /** S3 returns ETags quoted; events carry them bare. Compare them bare. */
    static String bareEtag(String etag) {
        if (etag == null) {
            return "";
        }
        String e = etag.trim();
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return e;
    }
}
