package dev.tokenscope.catalog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Reads and writes the catalog file: {"models": [...]}, one model per line, keys sorted, absent fields
 * unknown. The built-in resource and a user's override file share this shape.
 */
public final class CatalogJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private CatalogJson() {
    }

    /** Reads a catalog file; {@code source} names it in errors. */
    public static List<ModelFacts> read(InputStream in, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": not a JSON catalog file: " + e.getMessage(), e);
        }
        JsonNode models = root == null ? null : root.get("models");
        if (models == null || !models.isArray()) {
            throw new IllegalArgumentException(source + ": expected an object with a \"models\" array");
        }
        List<ModelFacts> out = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            out.add(model(models.get(i), source + " models[" + i + "]"));
        }
        return out;
    }

    private static ModelFacts model(JsonNode m, String where) {
        String id = text(m, "id").filter(s -> !s.isBlank())
                .orElseThrow(() -> new IllegalArgumentException(where + ": \"id\" is required"));
        Optional<String> country = text(m, "country");
        List<String> aliases = new ArrayList<>();
        m.path("aliases").forEach(a -> aliases.add(a.asText()));
        List<PriceSchedule> prices = new ArrayList<>();
        for (JsonNode p : m.path("prices")) {
            String from = text(p, "effective_from").orElse("1970-01-01");
            LocalDate date;
            try {
                date = LocalDate.parse(from);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(where + " (" + id + "): effective_from must be YYYY-MM-DD, got "
                        + from, e);
            }
            prices.add(new PriceSchedule(date, decimal(p, "input"), decimal(p, "output"), decimal(p, "reasoning"),
                    decimal(p, "cache_read"), decimal(p, "cache_write")));
        }
        prices.sort(Comparator.comparing(PriceSchedule::effectiveFrom));
        OptionalLong total = number(m, "parameters_total");
        String bucket = text(m, "size_bucket")
                .orElse(total.isPresent() ? ModelFacts.sizeBucketOf(total.getAsLong()) : ModelFacts.UNKNOWN);
        return new ModelFacts(id, text(m, "author").orElse(ModelFacts.UNKNOWN),
                text(m, "origin").orElse(ModelFacts.originOf(country)), country, bool(m, "open_weights"),
                total, number(m, "parameters_active"), bucket, bool(m, "reasoning"), bool(m, "tool_support"),
                aliases, prices);
    }

    /** Writes models sorted by id, one per line, keys sorted: the same models give the same bytes. */
    public static String write(List<ModelFacts> models) {
        StringBuilder out = new StringBuilder("{\"models\": [\n");
        List<ModelFacts> sorted = models.stream().sorted(Comparator.comparing(ModelFacts::id)).toList();
        for (int i = 0; i < sorted.size(); i++) {
            try {
                out.append(MAPPER.writeValueAsString(toMap(sorted.get(i))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.append(i + 1 < sorted.size() ? ",\n" : "\n");
        }
        return out.append("]}\n").toString();
    }

    private static Map<String, Object> toMap(ModelFacts m) {
        Map<String, Object> map = new TreeMap<>();
        map.put("id", m.id());
        map.put("author", m.author());
        map.put("origin", m.origin());
        m.country().ifPresent(c -> map.put("country", c));
        m.openWeights().ifPresent(b -> map.put("open_weights", b));
        m.parametersTotal().ifPresent(n -> map.put("parameters_total", n));
        m.parametersActive().ifPresent(n -> map.put("parameters_active", n));
        map.put("size_bucket", m.sizeBucket());
        m.reasoning().ifPresent(b -> map.put("reasoning", b));
        m.toolSupport().ifPresent(b -> map.put("tool_support", b));
        map.put("aliases", m.aliases().stream().sorted().distinct().toList());
        List<Map<String, Object>> prices = new ArrayList<>();
        for (PriceSchedule p : m.prices()) {
            Map<String, Object> pm = new TreeMap<>();
            pm.put("effective_from", p.effectiveFrom().toString());
            p.input().ifPresent(v -> pm.put("input", plain(v)));
            p.output().ifPresent(v -> pm.put("output", plain(v)));
            p.reasoning().ifPresent(v -> pm.put("reasoning", plain(v)));
            p.cacheRead().ifPresent(v -> pm.put("cache_read", plain(v)));
            p.cacheWrite().ifPresent(v -> pm.put("cache_write", plain(v)));
            prices.add(pm);
        }
        if (!prices.isEmpty()) {
            map.put("prices", prices);
        }
        return map;
    }

    /** Prices as plain decimal strings: no float rounding, no exponent, stable across rebuilds. */
    private static String plain(BigDecimal v) {
        return v.signum() == 0 ? "0" : v.stripTrailingZeros().toPlainString();
    }

    private static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    private static Optional<Boolean> bool(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asBoolean());
    }

    private static OptionalLong number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? OptionalLong.empty() : OptionalLong.of(v.asLong());
    }

    private static Optional<BigDecimal> decimal(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        return Optional.of(v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText()));
    }
}
