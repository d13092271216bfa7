package dev.tokenscope.ingest;

import dev.tokenscope.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Fetches bodies a log refers to by s3:// URI from the object store, up to a size limit. */
public final class ObjectBodies implements BodyResolver {

    private final ObjectStore objects;
    private final int maxBytes;

    public ObjectBodies(ObjectStore objects, int maxBytes) {
        this.objects = objects;
        this.maxBytes = maxBytes;
    }

    @Override
    public Optional<String> text(String s3Uri) {
        if (s3Uri == null || !s3Uri.startsWith("s3://")) {
            return Optional.empty();
        }
        String rest = s3Uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            return Optional.empty();
        }
        Optional<ObjectStore.ObjectBody> body = objects.open(rest.substring(0, slash), rest.substring(slash + 1));
        if (body.isEmpty()) {
            return Optional.empty();
        }
        try (ObjectStore.ObjectBody b = body.get(); InputStream in = b.stream()) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                return Optional.empty();
            }
            return Optional.of(new String(LogReaders.maybeGunzip(bytes), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + s3Uri + ": " + e.getMessage(), e);
        }
    }
}
