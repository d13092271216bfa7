package dev.tokenscope.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The lookup key of a model id: every step of it, the spellings of one model meeting on one key. */
class ModelIdsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // provider path, region, vendor and Bedrock version dropped
        "us.anthropic.claude-3-5-sonnet-20240620-v1:0 | claude-3-5-sonnet-20240620",
        "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0 | claude-3-5-sonnet-20240620",
        "anthropic/claude-3.5-sonnet | claude-3-5-sonnet",
        // Amazon's own ids keep their -v1, lose only the revision
        "amazon.nova-pro-v1:0 | nova-pro-v1",
        // OpenRouter's variant suffix and leading tilde dropped
        "~openai/gpt-4o:free | gpt-4o",
        // a family glued to its version split like the hyphenated spelling
        "meta-llama/llama3.1-8b | llama-3-1-8b",
        // runs of separators and hyphens become one hyphen; none at either end
        "  Mistral__Large--2 .. | mistral-large-2",
        "-qwen2-72b- | qwen-2-72b"})
    void key_shouldGiveTheLookupKey_whenGivenAnIdAsLogged(String logged, String key) {
        assertEquals(key, ModelIds.key(logged));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "claude-3-5-sonnet-20240620 | claude-3-5-sonnet",
        "gpt-4o-2024-08-06 | gpt-4o",
        "mistral-large-2411 | mistral-large",
        "gemini-1-5-pro-latest | gemini-1-5-pro",
        "gpt-4o | gpt-4o"})
    void undated_shouldDropTheDateOrRevision_whenTheKeyEndsInOne(String key, String undated) {
        assertEquals(undated, ModelIds.undated(key));
    }
}
