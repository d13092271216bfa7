package dev.tokenscope.region;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenscope.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The user's mapping from who made a request to the country it counts for, for logs that carry no country:
 * a file in the data bucket, {@value #KEY}:
 *
 * <pre>{"users": {"key-eu-1": "DE"}, "accounts": {"123456789012": "US"}, "apps": {"support-bot": "GB"},
 *  "tags": {"team=emea": "FR"}}</pre>
 *
 * The most specific match wins: user (user id, API key or end user) before account, app, then tags (in the
 * order the file lists them). A country the log itself gives always wins over the mapping. Codes are ISO 3166-1
 * alpha-2 and checked when the file is read; a broken file fails naming itself and the entry.
 */
public final class RegionMapping {

    public static final String KEY = "config/regions.json";
    public static final RegionMapping NONE = new RegionMapping(Map.of(), Map.of(), Map.of(), List.of());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SECTIONS = Set.of("users", "accounts", "apps", "tags");

    /** One tag rule: the tag's name and value (matched exactly, names case-insensitively), and its country. */
    private record TagRule(String name, String value, String country) {
    }

    private final Map<String, String> users;
    private final Map<String, String> accounts;
    private final Map<String, String> apps;
    private final List<TagRule> tags;

    private RegionMapping(Map<String, String> users, Map<String, String> accounts, Map<String, String> apps,
                          List<TagRule> tags) {
        this.users = users;
        this.accounts = accounts;
        this.apps = apps;
        this.tags = tags;
    }

    /** The bucket's mapping file, or {@link #NONE} when there is none. */
    public static RegionMapping load(ObjectStore objects, String bucket) {
        Optional<ObjectStore.ObjectBody> file = objects.open(bucket, KEY);
        if (file.isEmpty()) {
            return NONE;
        }
        String source = "s3://" + bucket + "/" + KEY;
        try (ObjectStore.ObjectBody body = file.get()) {
            return read(body.stream(), source);
        } catch (IOException e) {
            throw new IllegalStateException("could not read the region mapping " + source + ": " + e.getMessage(), e);
        }
    }

    /** Reads a mapping file; {@code source} names it in errors. */
    public static RegionMapping read(InputStream in, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": could not be read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + ": expected a JSON object with users, accounts, apps, tags");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!SECTIONS.contains(name)) {
                throw new IllegalArgumentException(source + ": unknown section \"" + name
                        + "\"; the sections are users, accounts, apps, tags");
            }
        }
        Map<String, String> tagMap = section(root, "tags", source);
        List<TagRule> tagRules = new java.util.ArrayList<>();
        tagMap.forEach((tag, country) -> {
            int eq = tag.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(source + ": tags[\"" + tag + "\"]: a tag rule is name=value");
            }
            tagRules.add(new TagRule(tag.substring(0, eq).trim().toLowerCase(Locale.ROOT),
                    tag.substring(eq + 1).trim(), country));
        });
        return new RegionMapping(section(root, "users", source), section(root, "accounts", source),
                section(root, "apps", source), List.copyOf(tagRules));
    }

    private static Map<String, String> section(JsonNode root, String name, String source) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(source + ": \"" + name + "\" must be an object of name -> country");
        }
        Map<String, String> result = new java.util.LinkedHashMap<>();
        node.fields().forEachRemaining(entry -> {
            String where = source + ": " + name + "[\"" + entry.getKey() + "\"]";
            if (!entry.getValue().isTextual()) {
                throw new IllegalArgumentException(where + ": the country must be a string such as \"DE\"");
            }
            String country = entry.getValue().asText().trim().toUpperCase(Locale.ROOT);
            if (Continents.of(country).isEmpty()) {
                throw new IllegalArgumentException(where + ": \"" + entry.getValue().asText()
                        + "\" is not an ISO 3166-1 alpha-2 country code");
            }
            result.put(entry.getKey().trim(), country);
        });
        // In file order: tag rules are tried in the order the file lists them.
        return java.util.Collections.unmodifiableMap(result);
    }

    /** The country the mapping gives a request, most specific rule first; empty when no rule matches. */
    public Optional<String> countryOf(Optional<String> userId, Optional<String> accountId, Optional<String> app,
                                      Map<String, String> requestTags) {
        if (isEmpty()) {
            return Optional.empty();
        }
        Optional<String> found = userId.map(u -> users.get(u.trim()))
                .or(() -> accountId.map(a -> accounts.get(a.trim())))
                .or(() -> app.map(a -> apps.get(a.trim())));
        if (found.isPresent() || tags.isEmpty() || requestTags.isEmpty()) {
            return found;
        }
        Map<String, String> byName = new HashMap<>();
        requestTags.forEach((k, v) -> byName.put(k.trim().toLowerCase(Locale.ROOT), v == null ? "" : v.trim()));
        for (TagRule rule : tags) {
            if (rule.value().equals(byName.get(rule.name()))) {
                return Optional.of(rule.country());
            }
        }
        return Optional.empty();
    }

    public boolean isEmpty() {
        return users.isEmpty() && accounts.isEmpty() && apps.isEmpty() && tags.isEmpty();
    }
}
