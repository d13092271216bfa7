package dev.tokenscope.store;

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

    @Override
    public Optional<ObjectBody> open(String bucket, String key) {
        try {
            ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key));
            GetObjectResponse response = in.response();
            long size = response.contentLength() == null ? -1 : response.contentLength();
            return Optional.of(new ObjectBody(in, ObjectStore.bareEtag(response.eTag()), size,
                    response.hasMetadata() ? response.metadata() : java.util.Map.of()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
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
