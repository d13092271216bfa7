package dev.tokenscope.testing;

import dev.tokenscope.store.ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * ObjectStore in memory, for tests. Like S3 for a single-part PUT, an object's ETag is the MD5 hex of its bytes;
 * {@link #putWithEtag} stands in for an object whose ETag an event file fixes.
 */
public final class InMemoryObjectStore implements ObjectStore {

    /** One stored object. */
    public record StoredObject(byte[] bytes, String etag, String contentType) {
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private final TreeMap<String, StoredObject> objects = new TreeMap<>();

    private static String id(String bucket, String key) {
        return bucket + "/" + key;
    }

    @Override
    public synchronized Optional<ObjectBody> open(String bucket, String key) {
        StoredObject object = objects.get(id(bucket, key));
        if (object == null) {
            return Optional.empty();
        }
        return Optional.of(new ObjectBody(new ByteArrayInputStream(object.bytes()), object.etag(),
                object.bytes().length));
    }

    @Override
    public void put(String bucket, String key, Path file, String contentType) {
        try {
            put(bucket, key, Files.readAllBytes(file), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void put(String bucket, String key, byte[] bytes, String contentType) {
        objects.put(id(bucket, key), new StoredObject(bytes.clone(), md5Hex(bytes), contentType));
    }

    /** Stores an object under a given ETag (bare), e.g. the one an event file names. */
    public synchronized void putWithEtag(String bucket, String key, byte[] bytes, String etag) {
        objects.put(id(bucket, key), new StoredObject(bytes.clone(), etag, "application/octet-stream"));
    }

    @Override
    public synchronized void delete(String bucket, String key) {
        objects.remove(id(bucket, key));
    }

    @Override
    public synchronized List<ObjectSummary> list(String bucket, String prefix) {
        List<ObjectSummary> result = new ArrayList<>();
        String start = id(bucket, prefix);
        for (Map.Entry<String, StoredObject> e : objects.tailMap(start).entrySet()) {
            if (!e.getKey().startsWith(start)) {
                break;
            }
            result.add(new ObjectSummary(e.getKey().substring(bucket.length() + 1), e.getValue().etag(),
                    e.getValue().bytes().length));
        }
        return result;
    }

    /** The object's bytes and metadata, if present. */
    public synchronized Optional<StoredObject> get(String bucket, String key) {
        return Optional.ofNullable(objects.get(id(bucket, key)));
    }

    /** Every key under a prefix, in order. */
    public List<String> keys(String bucket, String prefix) {
        return list(bucket, prefix).stream().map(ObjectSummary::key).toList();
    }

    public static String md5Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
