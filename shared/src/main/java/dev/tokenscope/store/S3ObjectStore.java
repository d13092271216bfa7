package dev.tokenscope.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** ObjectStore over the S3 API. */
public final class S3ObjectStore implements ObjectStore {

    private final S3Client s3;

    public S3ObjectStore(S3Client s3) {
        this.s3 = s3;
    }

    /**
     * The body is checked against its Content-Length: a connection that drops mid-body can look like the end of the
     * object (the url-connection HTTP client ends the stream without an error), and a reader would take a cut file
     * for a whole one. A short body throws instead, so the ingest fails and is retried.
     */
    @Override
    public Optional<ObjectBody> open(String bucket, String key) {
        try {
            ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key));
            GetObjectResponse response = in.response();
            long size = response.contentLength() == null ? -1 : response.contentLength();
            InputStream body = size < 0 ? in : new WholeBody(in, size, "s3://" + bucket + "/" + key);
            return Optional.of(new ObjectBody(body, ObjectStore.bareEtag(response.eTag()), size,
                    response.hasMetadata() ? response.metadata() : java.util.Map.of()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    /** A body that throws, rather than ends, when the stream ends before the object's length. */
    static final class WholeBody extends FilterInputStream {
        private final long size;
        private final String object;
        private long read;

        WholeBody(InputStream in, long size, String object) {
            super(in);
            this.size = size;
            this.object = object;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? -1 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count(n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            read += skipped;
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private void count(int n) throws IOException {
            if (n > 0) {
                read += n;
            } else if (n < 0 && read < size) {
                // Not an EOFException: that is what a gzip stream cut short in the file itself throws, which the
                // readers report as a damaged file; this is the network, and the upload must be read again.
                throw new IOException(object + ": the connection ended after " + read + " of " + size + " bytes");
            }
        }
    }

    @Override
    public void put(String bucket, String key, Path file, String contentType) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromFile(file));
    }

    @Override
    public void put(String bucket, String key, byte[] bytes, String contentType) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(bytes));
    }

    @Override
    public void delete(String bucket, String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    @Override
    public List<ObjectSummary> list(String bucket, String prefix) {
        List<ObjectSummary> result = new ArrayList<>();
        ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build();
        for (S3Object object : s3.listObjectsV2Paginator(request).contents()) {
            result.add(new ObjectSummary(object.key(), ObjectStore.bareEtag(object.eTag()), object.size()));
        }
        return result;
    }
}
