package dev.tokenscope.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FormatRegistryTest {

    private static final String CANONICAL_HEAD = "{\"timestamp\":\"2026-11-02T10:00:00Z\",\"model\":\"m\"}\n";

    @Test
    void choose_shouldTakeTheDeclaredFormat_whenTheObjectMetadataNamesOne() {
        // given: canonical-looking content declared as LiteLLM
        FormatRegistry registry = FormatRegistry.standard(Map.of());

        // when
        LogFormat format = registry.choose("logs/a.jsonl", Optional.of("LiteLLM"), CANONICAL_HEAD);

        // then
        assertEquals("litellm", format.id());
    }

    @Test
    void choose_shouldRejectTheFile_whenTheDeclaredFormatIsUnknown() {
        FormatRegistry registry = FormatRegistry.standard(Map.of());

        UnrecognisedFormatException e = assertThrows(UnrecognisedFormatException.class,
                () -> registry.choose("logs/a.jsonl", Optional.of("splunk"), CANONICAL_HEAD));

        assertTrue(e.getMessage().startsWith("the object declares format 'splunk'"), e.getMessage());
    }

    @Test
    void choose_shouldTakeTheLongestMatchingPrefix_whenPrefixesAreConfigured() {
        // given
        Map<String, String> byPrefix = new LinkedHashMap<>();
        byPrefix.put("logs/", "litellm");
        byPrefix.put("logs/otel/", "otel");
        FormatRegistry registry = FormatRegistry.standard(byPrefix);

        // when / then
        assertEquals("otel", registry.choose("logs/otel/x.jsonl", Optional.empty(), CANONICAL_HEAD).id());
        assertEquals("litellm", registry.choose("logs/x.jsonl", Optional.empty(), CANONICAL_HEAD).id());
        assertEquals("canonical", registry.choose("other/x.jsonl", Optional.empty(), CANONICAL_HEAD).id());
    }

    @Test
    void parsePrefixMap_shouldReadPairs_whenWrittenAsTheTemplateParameter() {
        assertEquals(Map.of("logs/bedrock/", "bedrock", "logs/ll/", "litellm"),
                FormatRegistry.parsePrefixMap(" logs/bedrock/=bedrock, logs/ll/=LiteLLM ,"));
        assertEquals(Map.of(), FormatRegistry.parsePrefixMap(""));
        assertThrows(IllegalArgumentException.class, () -> FormatRegistry.parsePrefixMap("logs/"));
    }

    @Test
    void constructor_shouldRefuseAnUnknownFormat_whenAPrefixNamesOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FormatRegistry.standard(Map.of("logs/", "nope")));
        assertTrue(e.getMessage().contains("'nope', not one of:"), e.getMessage());
    }

    @Test
    void standardFormats_shouldHaveUniqueIdsWithCanonicalLast_whenListed() {
        List<String> ids = FormatRegistry.standardFormats().stream().map(LogFormat::id).toList();

        assertEquals(ids.size(), ids.stream().distinct().count(), ids.toString());
        assertEquals("canonical", ids.get(ids.size() - 1));
        assertEquals(List.of("bedrock", "otel", "openrouter", "openrouter-activity", "openai-usage", "openai-costs",
                "litellm", "helicone", "langfuse", "openai-response", "canonical").stream().sorted().toList(),
                ids.stream().sorted().toList());
    }

    @Test
    void isAuxiliary_shouldNameBedrockBodiesAndPermissionChecks_only() {
        assertTrue(FormatRegistry.isAuxiliary(
                "AWSLogs/1/BedrockModelInvocationLogs/us-east-1/2026/11/02/09/data/abc.json.gz"));
        assertTrue(FormatRegistry.isAuxiliary("logs/AWSLogs/1/BedrockModelInvocationLogs/amazon-bedrock-logs-permission-check"));
        assertFalse(FormatRegistry.isAuxiliary("AWSLogs/1/BedrockModelInvocationLogs/us-east-1/2026/11/02/09/x.json.gz"));
        assertFalse(FormatRegistry.isAuxiliary("logs/data/usage.jsonl"));
    }
}
