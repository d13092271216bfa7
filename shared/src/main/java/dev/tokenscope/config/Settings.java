package dev.tokenscope.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration every function reads from its environment: the only place in the code that reads
 * environment variables, so a test can check that template.yaml sets each one for the functions that read it.
 */
public record Settings(
        String tableName,
        String dataBucket,
        Optional<String> athenaWorkgroup,
        Optional<String> glueDatabase,
        int recomputeDays,
        String formatByPrefix,
        String promptHashKey,
        boolean storePromptText,
        String useCaseLlmModelId,
        double useCaseLlmSample,
        int useCaseLlmTimeoutMs) {

    public static final String TABLE_NAME = "TABLE_NAME";
    public static final String DATA_BUCKET = "DATA_BUCKET";
    public static final String ATHENA_WORKGROUP = "ATHENA_WORKGROUP";
    public static final String GLUE_DATABASE = "GLUE_DATABASE";
    public static final String RECOMPUTE_DAYS = "RECOMPUTE_DAYS";
    public static final String FORMAT_BY_PREFIX = "FORMAT_BY_PREFIX";
    /** Optional: a secret; when set, the warehouse keeps an HMAC-SHA256 of each prompt under it. */
    public static final String PROMPT_HASH_KEY = "PROMPT_HASH_KEY";
    /** Optional: "true" keeps prompt text in the warehouse; off by default. */
    public static final String STORE_PROMPT_TEXT = "STORE_PROMPT_TEXT";
    /** Optional: a Bedrock model id; when set, a sample of requests is classified by it (docs/bedrock-classifier.md). */
    public static final String USECASE_LLM_MODEL_ID = "USECASE_LLM_MODEL_ID";
    /** Optional: the share of requests with text sent to the LLM classifier, 0..1 (default 0.01). */
    public static final String USECASE_LLM_SAMPLE = "USECASE_LLM_SAMPLE";
    /** Optional: the timeout of one LLM classifier call, in milliseconds (default 3000). */
    public static final String USECASE_LLM_TIMEOUT_MS = "USECASE_LLM_TIMEOUT_MS";

    /**
     * Which function reads which variables: the template must set all of them for that function; the required
     * ones must not be blank.
     */
    public enum Role {
        INGEST(List.of(TABLE_NAME, DATA_BUCKET), List.of(FORMAT_BY_PREFIX, PROMPT_HASH_KEY, STORE_PROMPT_TEXT,
                USECASE_LLM_MODEL_ID, USECASE_LLM_SAMPLE, USECASE_LLM_TIMEOUT_MS)),
        API(List.of(TABLE_NAME, DATA_BUCKET), List.of()),
        RECOMPUTE(List.of(TABLE_NAME, DATA_BUCKET, ATHENA_WORKGROUP, GLUE_DATABASE, RECOMPUTE_DAYS), List.of());

        private final List<String> required;
        private final List<String> optional;

        Role(List<String> required, List<String> optional) {
            this.required = required;
            this.optional = optional;
        }

        public List<String> required() {
            return required;
        }

        /** Every variable the role reads, required or optional. */
        public List<String> variables() {
            List<String> all = new java.util.ArrayList<>(required);
            all.addAll(optional);
            return all;
        }
    }

    public static Settings fromEnvironment(Role role) {
        return from(System.getenv(), role);
    }

    public static Settings from(Map<String, String> env, Role role) {
        for (String name : role.required()) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("environment variable " + name + " is not set (needed by the "
                        + role.name().toLowerCase() + " function)");
            }
        }
        String days = env.getOrDefault(RECOMPUTE_DAYS, "7");
        int recomputeDays;
        try {
            recomputeDays = Integer.parseInt(days.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(RECOMPUTE_DAYS + " must be a whole number of days, got '" + days + "'");
        }
        if (recomputeDays < 1 || recomputeDays > 366) {
            throw new IllegalStateException(RECOMPUTE_DAYS + " must be between 1 and 366, got " + recomputeDays);
        }
        String storeText = env.getOrDefault(STORE_PROMPT_TEXT, "").trim().toLowerCase(java.util.Locale.ROOT);
        if (!List.of("", "true", "false").contains(storeText)) {
            throw new IllegalStateException(STORE_PROMPT_TEXT + " must be true or false, got '" + storeText + "'");
        }
        String hashKey = env.getOrDefault(PROMPT_HASH_KEY, "");
        if (!hashKey.isEmpty() && hashKey.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 16) {
            // The key itself is never echoed.
            throw new IllegalStateException(PROMPT_HASH_KEY + " must be at least 16 bytes (or empty to turn hashing off)");
        }
        double llmSample = number(env, USECASE_LLM_SAMPLE, "0.01", 0, 1);
        int llmTimeout = (int) number(env, USECASE_LLM_TIMEOUT_MS, "3000", 100, 60_000);
        return new Settings(
                env.getOrDefault(TABLE_NAME, ""),
                env.getOrDefault(DATA_BUCKET, ""),
                Optional.ofNullable(env.get(ATHENA_WORKGROUP)).filter(s -> !s.isBlank()),
                Optional.ofNullable(env.get(GLUE_DATABASE)).filter(s -> !s.isBlank()),
                recomputeDays,
                env.getOrDefault(FORMAT_BY_PREFIX, ""),
                hashKey,
                storeText.equals("true"),
                env.getOrDefault(USECASE_LLM_MODEL_ID, "").trim(),
                llmSample,
                llmTimeout);
    }

    /** An optional number within bounds; blank means the default. */
    private static double number(Map<String, String> env, String name, String fallback, double min, double max) {
        String text = env.getOrDefault(name, "").trim();
        if (text.isEmpty()) {
            text = fallback;
        }
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + " must be a number, got '" + text + "'");
        }
        if (!(value >= min && value <= max)) {
            throw new IllegalStateException(name + " must be between " + fmt(min) + " and " + fmt(max) + ", got "
                    + text);
        }
        return value;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    @Override
    public String toString() {
        // A record would print every field: never the hash key.
        return "Settings[table=" + tableName + ", bucket=" + dataBucket + ", athenaWorkgroup=" + athenaWorkgroup
                + ", glueDatabase=" + glueDatabase + ", recomputeDays=" + recomputeDays + ", formatByPrefix="
                + formatByPrefix + ", promptHash=" + !promptHashKey.isEmpty() + ", storePromptText=" + storePromptText
                + ", useCaseLlmModelId=" + useCaseLlmModelId + ", useCaseLlmSample=" + useCaseLlmSample
                + ", useCaseLlmTimeoutMs=" + useCaseLlmTimeoutMs + "]";
    }

    /**
     * The endpoint the standard AWS variables point a service at (AWS_ENDPOINT_URL_<SERVICE>, then
     * AWS_ENDPOINT_URL), if any. The SDK honours them itself; we only need to know so that S3 uses path-style
     * addressing against LocalStack or a local S3. These are the SDK's variables, not the template's.
     */
    public static Optional<String> standardEndpointOverride(String service) {
        String specific = System.getenv("AWS_ENDPOINT_URL_" + service.toUpperCase());
        if (specific != null && !specific.isBlank()) {
            return Optional.of(specific);
        }
        return Optional.ofNullable(System.getenv("AWS_ENDPOINT_URL")).filter(s -> !s.isBlank());
    }

    /** The region Lambda sets (AWS_REGION), else the CLI's default variable, else us-east-1 for local use. */
    public static String region() {
        for (String name : List.of("AWS_REGION", "AWS_DEFAULT_REGION")) {
            String value = System.getenv(name);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return "us-east-1";
    }
}
