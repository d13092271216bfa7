package dev.tokenscope.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Facts about models, found by any id a log may carry (see {@link ModelIds}). The built-in catalog is a
 * resource made by `tokenscope catalog build`; a user's catalog file is merged over it.
 */
public final class ModelCatalog {

    static final String RESOURCE = "/catalog/models.json";

    private static volatile ModelCatalog builtIn;

    private final Map<String, ModelFacts> byId;
    private final Map<String, ModelFacts> byKey;

    private ModelCatalog(Collection<ModelFacts> models) {
        Map<String, ModelFacts> ids = new LinkedHashMap<>();
        for (ModelFacts m : models) {
            ids.put(m.id(), m);
        }
        this.byId = ids;
        this.byKey = new HashMap<>();
        // Ids first, then aliases: an alias never hides another model's own id.
        for (ModelFacts m : ids.values()) {
            byKey.put(ModelIds.key(m.id()), m);
        }
        for (ModelFacts m : ids.values()) {
            for (String alias : m.aliases()) {
                byKey.putIfAbsent(ModelIds.key(alias), m);
            }
        }
    }

    /** A catalog of the given models; a later model with the same id replaces an earlier one. */
    public static ModelCatalog of(Collection<ModelFacts> models) {
        return new ModelCatalog(models);
    }

    /** Reads a catalog file (the shape of the built-in resource); {@code source} names it in errors. */
    public static ModelCatalog read(InputStream in, String source) {
        return new ModelCatalog(CatalogJson.read(in, source));
    }

    /** The catalog committed with tokenscope, loaded once per process. */
    public static ModelCatalog builtIn() {
        ModelCatalog catalog = builtIn;
        if (catalog == null) {
            synchronized (ModelCatalog.class) {
                if (builtIn == null) {
                    try (InputStream in = ModelCatalog.class.getResourceAsStream(RESOURCE)) {
                        if (in == null) {
                            throw new IllegalStateException("the catalog resource " + RESOURCE + " is missing");
                        }
                        builtIn = read(in, RESOURCE);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                catalog = builtIn;
            }
        }
        return catalog;
    }

    /**
     * This catalog with {@code overrides} on top: an override entry replaces the entry with the same id
     * as a whole (its aliases included), and its aliases win over any built-in alias.
     */
    public ModelCatalog merge(ModelCatalog overrides) {
        Map<String, ModelFacts> merged = new LinkedHashMap<>(byId);
        merged.putAll(overrides.byId);
        ModelCatalog result = new ModelCatalog(merged.values());
        for (ModelFacts m : overrides.byId.values()) {
            result.byKey.put(ModelIds.key(m.id()), m);
            for (String alias : m.aliases()) {
                result.byKey.put(ModelIds.key(alias), m);
            }
        }
        return result;
    }

    /** The model logged under this id, trying the exact spelling first and then without its date. */
    public Optional<ModelFacts> lookup(String modelIdAsLogged) {
        if (modelIdAsLogged == null || modelIdAsLogged.isBlank()) {
            return Optional.empty();
        }
        String key = ModelIds.key(modelIdAsLogged);
        ModelFacts found = byKey.get(key);
        if (found == null) {
            found = byKey.get(ModelIds.undated(key));
        }
        return Optional.ofNullable(found);
    }

    /** All models, in no particular order. */
    public Collection<ModelFacts> models() {
        return List.copyOf(byId.values());
    }

    /**
     * The price schedule in force at {@code at} (UTC date): the latest one starting on or before it. Before
     * the first schedule the first applies, since a release date in the sources is often approximate.
     */
    public static Optional<PriceSchedule> priceAt(ModelFacts model, Instant at) {
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        PriceSchedule inForce = null;
        for (PriceSchedule p : model.prices()) {
            if (!p.effectiveFrom().isAfter(day)
                    && (inForce == null || p.effectiveFrom().isAfter(inForce.effectiveFrom()))) {
                inForce = p;
            }
        }
        if (inForce == null) {
            return model.prices().stream().min((a, b) -> a.effectiveFrom().compareTo(b.effectiveFrom()));
        }
        return Optional.of(inForce);
    }
}
