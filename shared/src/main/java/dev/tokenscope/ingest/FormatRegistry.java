package dev.tokenscope.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tokenscope.ingest.formats.CanonicalFormat;
import dev.tokenscope.ingest.formats.Heads;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which format a file is in. In order: the format its uploader declared (object metadata
 * {@code tokenscope-format}), the configured prefix map (FORMAT_BY_PREFIX, longest prefix wins), then each
 * format's own detection from the key and the first text; the most certain wins, ties in list order. A file
 * nobody claims is rejected whole.
 */
public final class FormatRegistry {

    /** How much decompressed text detection sees. */
    public static final int HEAD_CHARS = 64 * 1024;

    /** The object metadata key (x-amz-meta-tokenscope-format) that declares a file's format. */
    public static final String METADATA_KEY = "tokenscope-format";

    private static final JsonFactory KEYS = new JsonFactory();

    private final List<LogFormat> formats;
    private final Map<String, String> byPrefix;

    public FormatRegistry(List<LogFormat> formats, Map<String, String> byPrefix) {
        this.formats = List.copyOf(formats);
        this.byPrefix = new LinkedHashMap<>(byPrefix);
        for (Map.Entry<String, String> entry : byPrefix.entrySet()) {
            if (byId(entry.getValue()).isEmpty()) {
                throw new IllegalArgumentException("format for prefix '" + entry.getKey() + "' is '" + entry.getValue()
                        + "', not one of: " + ids());
            }
        }
    }

    /** Every format tokenscope reads, most specific first. */
    public static List<LogFormat> standardFormats() {
        List<LogFormat> formats = new ArrayList<>();
        // Formats: one line each (the most specific first; canonical last as the most general).
        formats.add(new dev.tokenscope.ingest.formats.BedrockFormat());
        formats.add(new dev.tokenscope.ingest.formats.OtelGenAiFormat());
        formats.add(new dev.tokenscope.ingest.formats.OpenRouterGenerationFormat());
        formats.add(new dev.tokenscope.ingest.formats.OpenRouterActivityFormat());
        formats.add(new dev.tokenscope.ingest.formats.OpenAiUsageFormat());
        formats.add(new dev.tokenscope.ingest.formats.OpenAiCostsFormat());
        formats.add(new dev.tokenscope.ingest.formats.LiteLlmFormat());
        formats.add(new dev.tokenscope.ingest.formats.HeliconeFormat());
        formats.add(new dev.tokenscope.ingest.formats.LangfuseFormat());
        formats.add(new dev.tokenscope.ingest.formats.OpenAiResponsesFormat());
        formats.add(new CanonicalFormat());
        return formats;
    }

    public static FormatRegistry standard(Map<String, String> byPrefix) {
        return new FormatRegistry(standardFormats(), byPrefix);
    }

    /**
     * Parses FORMAT_BY_PREFIX: {@code logs/bedrock/=bedrock,logs/litellm/=litellm}. Blank means none.
     */
    public static Map<String, String> parsePrefixMap(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return map;
        }
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.lastIndexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new IllegalArgumentException("FORMAT_BY_PREFIX entries are prefix=format, got '" + pair.trim() + "'");
            }
            map.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim().toLowerCase(Locale.ROOT));
        }
        return map;
    }

    public Optional<LogFormat> byId(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        return formats.stream().filter(f -> f.id().equals(wanted)).findFirst();
    }

    public String ids() {
        return formats.stream().map(LogFormat::id).collect(Collectors.joining(", "));
    }

    public LogFormat choose(String key, Optional<String> declared, String head) {
        if (head.isBlank()) {
            // An empty log (a quiet hour) is complete with nothing in it, whatever its format would have been.
            return byId(CanonicalFormat.ID).orElseThrow();
        }
        if (declared.isPresent() && !declared.get().isBlank()) {
            return byId(declared.get()).orElseThrow(() -> new UnrecognisedFormatException(
                    "the object declares format '" + declared.get() + "' (metadata " + METADATA_KEY
                            + "), which is not one of: " + ids()));
        }
        Optional<String> prefixed = byPrefix.entrySet().stream()
                .filter(e -> key.startsWith(e.getKey()))
                .max(Comparator.comparingInt(e -> e.getKey().length()))
                .map(Map.Entry::getValue);
        if (prefixed.isPresent()) {
            return byId(prefixed.get()).orElseThrow();
        }
        LogFormat best = null;
        int bestScore = 0;
        for (LogFormat format : formats) {
            int score = format.detect(key, head);
            if (score > bestScore) {
                best = format;
                bestScore = score;
            }
        }
        if (best == null) {
            throw new UnrecognisedFormatException("no known format recognises this file (tried: " + ids()
                    + "); " + describe(head));
        }
        return best;
    }

    /** A CSV column or JSON key as formats name them: one word, no spaces (so a line of prose never passes). */
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.:-]{0,63}");

    /**
     * What the start of a rejected file looks like, for the user to tell which format it was meant to be: the
     * field names of its first JSON record or its CSV header, never its text (a file nobody recognises may be
     * anything, prompts included, and this message is kept in the upload's status and printed in logs).
     */
    static String describe(String head) {
        String start = Heads.firstRecordText(head);
        if (Heads.isJson(head)) {
            List<String> keys = firstKeys(start);
            return keys.isEmpty() ? "it starts as JSON, but no field names could be read from its first record"
                    : "it is JSON whose first record has the fields: " + String.join(", ", keys);
        }
        List<String> header = Heads.csvHeader(head);
        if (header.size() >= 2 && header.stream().allMatch(name -> FIELD_NAME.matcher(name).matches())) {
            return "it is CSV with the columns: " + String.join(", ", header.subList(0, Math.min(20, header.size())))
                    + (header.size() > 20 ? ", ..." : "");
        }
        long unreadable = start.chars().filter(c -> c == '\uFFFD' || (Character.isISOControl(c)
                && c != '\n' && c != '\r' && c != '\t')).count();
        return unreadable > start.length() / 10 ? "it is not text (only gzip is decompressed; other archives are not"
                + " read)" : "it is neither JSON nor CSV with a header of field names";
    }

    /** The top-level field names of the first JSON object (or of an array's first element), as far as they parse. */
    private static List<String> firstKeys(String text) {
        List<String> keys = new ArrayList<>();
        try (JsonParser parser = KEYS.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null || !first.isStructStart()) {
                return keys;
            }
            int objectDepth = first == JsonToken.START_ARRAY ? 2 : 1;
            int depth = 1;
            for (JsonToken token = parser.nextToken(); token != null && keys.size() < 20; token = parser.nextToken()) {
                if (token.isStructStart()) {
                    depth++;
                } else if (token.isStructEnd()) {
                    if (--depth < objectDepth) {
                        break;
                    }
                } else if (token == JsonToken.FIELD_NAME && depth == objectDepth) {
                    String name = parser.currentName();
                    keys.add(FIELD_NAME.matcher(name).matches() ? name : "(a name with spaces or symbols)");
                }
            }
        } catch (IOException e) {
            // The head ends mid-record, or the record is broken there: the names read so far are enough.
        }
        return keys.stream().distinct().toList();
    }

    /**
     * Objects that share the upload prefix but are not usage logs of their own: Bedrock's large bodies (under
     * /data/, read through the log that refers to them) and its permission-check object.
     */
    public static boolean isAuxiliary(String key) {
        return (key.contains("/BedrockModelInvocationLogs/") && key.contains("/data/"))
                || key.endsWith("amazon-bedrock-logs-permission-check");
    }
}
