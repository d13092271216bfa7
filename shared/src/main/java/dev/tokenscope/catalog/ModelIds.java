package dev.tokenscope.catalog;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns a model id as logged into a lookup key, so that the spellings of one model by different
 * providers meet: "us.anthropic.claude-3-5-sonnet-20240620-v1:0", "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0"
 * and "anthropic/claude-3.5-sonnet" all reach "claude-3-5-sonnet". The build and the lookup use the same
 * functions, so the committed catalog and the runtime agree by construction.
 */
public final class ModelIds {

    /** OpenRouter variant suffixes that do not change the model. */
    private static final Pattern VARIANT = Pattern.compile(":(free|beta|extended|nitro|floor|online|exacto)$");
    /** A Bedrock id: optional inference-profile region, then the vendor, a dot and the model. */
    private static final Pattern BEDROCK = Pattern.compile(
            "^(?:(?:us|eu|apac|global|jp|au|us-gov|ca|sa|ap)\\.)?"
                    + "(anthropic|meta|amazon|mistral|cohere|ai21|deepseek|qwen|openai|writer|moonshot|"
                    + "moonshotai|minimax|google|nvidia|zai|twelvelabs)\\.(.+)$");
    private static final Pattern BEDROCK_VERSION = Pattern.compile("-v\\d+(?::\\d+)?$|:\\d+$");
    /** A family name glued to its version ("llama3", "qwen2") is split like the hyphenated spelling. */
    private static final Pattern GLUED_VERSION = Pattern.compile("(^|-)([a-z]{3,})(\\d)");
    private static final Pattern SEPARATORS = Pattern.compile("[._:\\s]+");
    /** Date or revision suffixes: -20240620, -2024-08-06, -08-2024, -0324 / -2411, -001, -latest. */
    private static final Pattern DATED = Pattern.compile(
            "-(?:\\d{8}|\\d{4}-\\d{2}-\\d{2}|\\d{2}-\\d{4}|\\d{4}|\\d{3}|latest)$");
    // Compiled once: String.replaceAll compiles its pattern on every call, and a function start keys every id and
    // alias of the catalog (about 4,000).
    private static final Pattern REVISION = Pattern.compile(":\\d+$");
    private static final Pattern HYPHENS = Pattern.compile("-+");
    private static final Pattern EDGE_HYPHENS = Pattern.compile("^-|-$");

    private ModelIds() {
    }

    /** The lookup key of an id: lower case, without provider path, region, vendor, version or variant. */
    public static String key(String modelId) {
        String id = modelId.trim().toLowerCase(Locale.ROOT);
        if (id.startsWith("~")) {
            id = id.substring(1);
        }
        id = VARIANT.matcher(id).replaceAll("");
        int slash = id.lastIndexOf('/');
        if (slash >= 0) {
            id = id.substring(slash + 1);
        }
        var bedrock = BEDROCK.matcher(id);
        if (bedrock.matches()) {
            // Amazon's own ids keep their "-v1" (OpenRouter writes "nova-pro-v1" too); the others drop it.
            id = bedrock.group(1).equals("amazon") ? REVISION.matcher(bedrock.group(2)).replaceAll("")
                    : BEDROCK_VERSION.matcher(bedrock.group(2)).replaceAll("");
        } else if (id.indexOf(':') >= 0) {
            id = BEDROCK_VERSION.matcher(id).replaceAll("");
        }
        id = SEPARATORS.matcher(id).replaceAll("-");
        id = GLUED_VERSION.matcher(id).replaceAll("$1$2-$3");
        return EDGE_HYPHENS.matcher(HYPHENS.matcher(id).replaceAll("-")).replaceAll("");
    }

    /** The key without a trailing date or revision, so that a dated snapshot reaches its model. */
    public static String undated(String key) {
        return DATED.matcher(key).replaceAll("");
    }
}
