package dev.tokenscope.ingest;

import dev.tokenscope.ingest.formats.CanonicalFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
            String start = head.strip();
            start = start.length() > 80 ? start.substring(0, 77) + "..." : start;
            throw new UnrecognisedFormatException("no known format recognises this file (tried: " + ids()
                    + "); it starts with: " + start.replaceAll("\\p{Cntrl}", " "));
        }
        return best;
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
