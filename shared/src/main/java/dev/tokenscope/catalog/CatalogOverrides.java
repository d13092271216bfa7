package dev.tokenscope.catalog;

import dev.tokenscope.store.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The user's additions to the model catalog: a file in the data bucket, in the shape of the built-in catalog,
 * merged over it when a function starts (on its first event). A broken file fails loudly, naming itself: silently ignoring it would
 * price and label the user's models wrongly.
 */
public final class CatalogOverrides {

    /** Where the override file lives in the data bucket. */
    public static final String KEY = "config/catalog.json";

    private CatalogOverrides() {
    }

    /** The built-in catalog with the bucket's override file on top, when there is one. */
    public static ModelCatalog load(ObjectStore objects, String bucket) {
        Optional<ObjectStore.ObjectBody> file = objects.open(bucket, KEY);
        if (file.isEmpty()) {
            return ModelCatalog.builtIn();
        }
        String source = "s3://" + bucket + "/" + KEY;
        try (ObjectStore.ObjectBody body = file.get()) {
            return ModelCatalog.builtIn().merge(ModelCatalog.read(body.stream(), source));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the catalog override " + source, e);
        }
    }
}
