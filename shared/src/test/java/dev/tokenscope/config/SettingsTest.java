package dev.tokenscope.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsTest {

    private static Map<String, String> recomputeEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("TABLE_NAME", "tokenscope-dev-usage");
        env.put("DATA_BUCKET", "tokenscope-dev-123456789012-us-east-1");
        env.put("ATHENA_WORKGROUP", "tokenscope-dev");
        env.put("GLUE_DATABASE", "tokenscope_dev");
        env.put("RECOMPUTE_DAYS", "14");
        return env;
    }

    @Test
    void from_shouldReadEveryVariable_whenAllAreSet() {
        // given
        Map<String, String> env = recomputeEnv();

        // when
        Settings settings = Settings.from(env, Settings.Role.RECOMPUTE);

        // then
        assertEquals(new Settings("tokenscope-dev-usage", "tokenscope-dev-123456789012-us-east-1",
                Optional.of("tokenscope-dev"), Optional.of("tokenscope_dev"), 14, "", "", false, "", 0.01, 3000), settings);
    }

    @Test
    void from_shouldDefaultToSevenDaysAndNoAthena_whenTheIngestFunctionReadsIt() {
        // given
        Map<String, String> env = Map.of("TABLE_NAME", "t", "DATA_BUCKET", "b");

        // when
        Settings settings = Settings.from(env, Settings.Role.INGEST);

        // then
        assertEquals(new Settings("t", "b", Optional.empty(), Optional.empty(), 7, "", "", false, "", 0.01, 3000), settings);
    }

    @Test
    void from_shouldReadTheFormatOverrides_whenTheIngestFunctionHasThem() {
        // given: FORMAT_BY_PREFIX is optional for the ingest function
        Map<String, String> env = Map.of("TABLE_NAME", "t", "DATA_BUCKET", "b",
                "FORMAT_BY_PREFIX", "logs/bedrock/=bedrock");

        // when
        Settings settings = Settings.from(env, Settings.Role.INGEST);

        // then
        assertEquals("logs/bedrock/=bedrock", settings.formatByPrefix());
        assertEquals(List.of("TABLE_NAME", "DATA_BUCKET", "FORMAT_BY_PREFIX", "PROMPT_HASH_KEY", "STORE_PROMPT_TEXT",
                "USECASE_LLM_MODEL_ID", "USECASE_LLM_SAMPLE", "USECASE_LLM_TIMEOUT_MS"), Settings.Role.INGEST.variables());
    }

    @Test
    void from_shouldReadThePromptSettingsAndNeverPrintTheKey_whenTheIngestFunctionHasThem() {
        // given
        Map<String, String> env = Map.of("TABLE_NAME", "t", "DATA_BUCKET", "b",
                "PROMPT_HASH_KEY", "s3cr3t-key-0123456789", "STORE_PROMPT_TEXT", "TRUE");

        // when
        Settings settings = Settings.from(env, Settings.Role.INGEST);

        // then
        assertEquals("s3cr3t-key-0123456789", settings.promptHashKey());
        assertTrue(settings.storePromptText());
        assertFalse(settings.toString().contains("s3cr3t"), settings.toString());
    }

    @Test
    void from_shouldReadTheLlmClassifierSettings_whenTheIngestFunctionHasThem() {
        // given
        Map<String, String> env = Map.of("TABLE_NAME", "t", "DATA_BUCKET", "b",
                "USECASE_LLM_MODEL_ID", " amazon.nova-micro-v1:0 ", "USECASE_LLM_SAMPLE", "0.25",
                "USECASE_LLM_TIMEOUT_MS", "1500");

        // when
        Settings settings = Settings.from(env, Settings.Role.INGEST);

        // then
        assertEquals("amazon.nova-micro-v1:0", settings.useCaseLlmModelId());
        assertEquals(0.25, settings.useCaseLlmSample());
        assertEquals(1500, settings.useCaseLlmTimeoutMs());
    }

    @ParameterizedTest
    @ValueSource(strings = {"PROMPT_HASH_KEY=short", "STORE_PROMPT_TEXT=yes", "USECASE_LLM_SAMPLE=1.5",
        "USECASE_LLM_SAMPLE=half", "USECASE_LLM_TIMEOUT_MS=5"})
    void from_shouldRefuseWithoutEchoingTheValue_whenAPromptSettingIsBad(String setting) {
        // given
        String[] nameValue = setting.split("=");
        Map<String, String> env = Map.of("TABLE_NAME", "t", "DATA_BUCKET", "b", nameValue[0], nameValue[1]);

        // when
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Settings.from(env, Settings.Role.INGEST));

        // then
        assertTrue(e.getMessage().startsWith(nameValue[0]), e.getMessage());
        assertFalse(nameValue[0].equals("PROMPT_HASH_KEY") && e.getMessage().contains("short"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TABLE_NAME", "DATA_BUCKET", "ATHENA_WORKGROUP", "GLUE_DATABASE", "RECOMPUTE_DAYS"})
    void from_shouldThrowNamingTheVariable_whenARequiredOneIsMissing(String name) {
        // given
        Map<String, String> env = recomputeEnv();
        env.remove(name);

        // when
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Settings.from(env, Settings.Role.RECOMPUTE));

        // then
        assertEquals("environment variable " + name + " is not set (needed by the recompute function)",
                e.getMessage());
    }

    @Test
    void from_shouldThrowNamingTheVariable_whenItIsBlank() {
        // given
        Map<String, String> env = Map.of("TABLE_NAME", "  ", "DATA_BUCKET", "b");

        // when
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Settings.from(env, Settings.Role.API));

        // then
        assertEquals("environment variable TABLE_NAME is not set (needed by the api function)", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "366", " 30 "})
    void from_shouldAcceptRecomputeDays_whenWithinOneTo366(String days) {
        // given
        Map<String, String> env = recomputeEnv();
        env.put("RECOMPUTE_DAYS", days);

        // when
        Settings settings = Settings.from(env, Settings.Role.RECOMPUTE);

        // then
        assertEquals(Integer.parseInt(days.trim()), settings.recomputeDays());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "367", "-1"})
    void from_shouldThrow_whenRecomputeDaysIsOutOfBounds(String days) {
        // given
        Map<String, String> env = recomputeEnv();
        env.put("RECOMPUTE_DAYS", days);

        // when
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Settings.from(env, Settings.Role.RECOMPUTE));

        // then
        assertEquals("RECOMPUTE_DAYS must be between 1 and 366, got " + days, e.getMessage());
    }

    @Test
    void from_shouldThrow_whenRecomputeDaysIsNotANumber() {
        // given
        Map<String, String> env = recomputeEnv();
        env.put("RECOMPUTE_DAYS", "a week");

        // when
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Settings.from(env, Settings.Role.RECOMPUTE));

        // then
        assertEquals("RECOMPUTE_DAYS must be a whole number of days, got 'a week'", e.getMessage());
    }

    @Test
    void variables_shouldListWhatEachFunctionReads_whenAskedPerRole() {
        // given
        Settings.Role[] roles = Settings.Role.values();

        // when
        List<List<String>> variables = java.util.Arrays.stream(roles).map(Settings.Role::variables).toList();

        // then
        assertEquals(List.of(
                List.of("TABLE_NAME", "DATA_BUCKET", "FORMAT_BY_PREFIX", "PROMPT_HASH_KEY", "STORE_PROMPT_TEXT",
                        "USECASE_LLM_MODEL_ID", "USECASE_LLM_SAMPLE", "USECASE_LLM_TIMEOUT_MS"),
                List.of("TABLE_NAME", "DATA_BUCKET"),
                List.of("TABLE_NAME", "DATA_BUCKET", "ATHENA_WORKGROUP", "GLUE_DATABASE", "RECOMPUTE_DAYS")),
                variables);
    }
}
