package dev.tokenscope.catalog;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the catalog knows about one model. Unknown facts are empty, or "unknown" for the
 * categorical ones (author, origin, size bucket), so rollups can count them as such.
 *
 * @param id        canonical id: the model's normalised name without provider, region or date
 * @param author    the lab that made the model, one spelling per lab (e.g. "alibaba" for Qwen)
 * @param origin    "china", "rest_of_world" or "unknown", from the author's country
 * @param country   ISO 3166 alpha-2 country of the author, when known
 * @param aliases   ids under which the model appears in logs (as written by providers, lower case)
 * @param prices    price schedules, oldest first
 */
public record ModelFacts(String id, String author, String origin, Optional<String> country,
        Optional<Boolean> openWeights, OptionalLong parametersTotal, OptionalLong parametersActive,
        String sizeBucket, Optional<Boolean> reasoning, Optional<Boolean> toolSupport, List<String> aliases,
        List<PriceSchedule> prices) {

    public static final String UNKNOWN = "unknown";
    public static final String CHINA = "china";
    public static final String REST_OF_WORLD = "rest_of_world";

    public ModelFacts {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(country, "country");
        Objects.requireNonNull(openWeights, "openWeights");
        Objects.requireNonNull(parametersTotal, "parametersTotal");
        Objects.requireNonNull(parametersActive, "parametersActive");
        Objects.requireNonNull(sizeBucket, "sizeBucket");
        Objects.requireNonNull(reasoning, "reasoning");
        Objects.requireNonNull(toolSupport, "toolSupport");
        aliases = List.copyOf(aliases);
        prices = List.copyOf(prices);
    }

    /** The size bucket of a parameter count: small below 15B, medium 15-70B, large from 70B. */
    public static String sizeBucketOf(long parameters) {
        if (parameters < 15_000_000_000L) {
            return "small";
        }
        return parameters < 70_000_000_000L ? "medium" : "large";
    }

    /** The origin of an ISO country code: China or the rest of the world. */
    public static String originOf(Optional<String> country) {
        return country.map(c -> c.equals("CN") ? CHINA : REST_OF_WORLD).orElse(UNKNOWN);
    }
}
