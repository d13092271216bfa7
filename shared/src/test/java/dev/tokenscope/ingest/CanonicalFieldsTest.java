package dev.tokenscope.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalFieldsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "\"timestamp\":\"2026-11-02T09:15:02Z\",\"model\":\"m\"";

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** A record from the required fields plus the given JSON members. */
    private static UsageRecord with(String members) {
        return CanonicalFields.toRecord(json("{" + BASE + (members.isEmpty() ? "" : "," + members) + "}"));
    }

    private static String errorOf(String object) {
        return assertThrows(InvalidFieldException.class, () -> CanonicalFields.toRecord(json(object))).getMessage();
    }

    private static String errorWith(String members) {
        return errorOf("{" + BASE + "," + members + "}");
    }

    private static Instant timestampOf(String value) {
        return CanonicalFields.toRecord(json("{\"model\":\"m\",\"timestamp\":" + value + "}")).timestamp();
    }

    // ---- the whole record

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "\"tools\":[\"read_file\",\" bash \",\"\"]", "\"tools\":\"read_file; bash;\"",
        "\"tools\":\"[\\\"read_file\\\",\\\"bash\\\"]\""})
    void toRecord_shouldReadToolNamesAndOfferTools_whenToolsAreAListOrText(String tools) {
        // when
        UsageRecord record = with(tools + ",\"system_prompt\":\"You are a coding agent.\"");

        // then: names trimmed, blanks dropped; a list of tools means tools were offered
        assertEquals(java.util.List.of("read_file", "bash"), record.tools());
        assertTrue(record.toolsOffered());
        assertEquals(java.util.Optional.of("You are a coding agent."), record.systemPrompt());
    }

    @Test
    void toRecord_shouldRefuseNamingTheField_whenToolsHoldSomethingElse() {
        assertEquals("field 'tools' must hold names (strings), got object", errorWith("\"tools\":[{\"a\":1}]"));
        assertEquals("field 'tools' must be a list of names, got number", errorWith("\"tools\":3"));
    }

    @Test
    void toRecord_shouldMapEveryField_whenAllArePresent() {
        // given
        String row = "{\"request_id\":\" req-1 \",\"timestamp\":\"2026-11-02T09:15:02Z\",\"account_id\":\"123\","
                + "\"user_id\":\"alice\",\"app\":\"bot\",\"tags\":{\"team\":\"support\"},\"provider\":\"bedrock\","
                + "\"model\":\"Model-X\",\"prompt_tokens\":1,\"completion_tokens\":2,\"reasoning_tokens\":3,"
                + "\"cache_read_tokens\":4,\"cache_write_tokens\":5,\"cost_usd\":0.5,\"finish_reason\":\"end_turn\","
                + "\"tools_offered\":true,\"tool_called\":false,\"streamed\":true,\"latency_ms\":2310,"
                + "\"country\":\"us\",\"region\":\"us-east-1\",\"error_code\":\"E1\",\"prompt\":\"hello\","
                + "\"some_future_field\":{\"nested\":true}}";

        // when
        UsageRecord r = CanonicalFields.toRecord(json(row));

        // then
        assertEquals(Optional.of("req-1"), r.requestId());
        assertEquals(Instant.parse("2026-11-02T09:15:02Z"), r.timestamp());
        assertEquals(Optional.of("123"), r.accountId());
        assertEquals(Optional.of("alice"), r.userId());
        assertEquals(Optional.of("bot"), r.app());
        assertEquals(Map.of("team", "support"), r.tags());
        assertEquals(Optional.of("bedrock"), r.provider());
        assertEquals("Model-X", r.model());
        assertEquals(1, r.promptTokens());
        assertEquals(2, r.completionTokens());
        assertEquals(3, r.reasoningTokens());
        assertEquals(4, r.cacheReadTokens());
        assertEquals(5, r.cacheWriteTokens());
        assertEquals(Optional.of(new BigDecimal("0.5000000000")), r.costUsd());
        assertEquals(Optional.of("end_turn"), r.finishReason());
        assertTrue(r.toolsOffered());
        assertEquals(Optional.of(false), r.toolCalled());
        assertTrue(r.streamed());
        assertEquals(OptionalLong.of(2310), r.latencyMs());
        assertEquals(Optional.of("US"), r.country());
        assertEquals(Optional.of("us-east-1"), r.region());
        assertEquals(Optional.of("E1"), r.errorCode());
        assertEquals(Optional.of("hello"), r.prompt());
    }

    @Test
    void toRecord_shouldUseDefaults_whenOptionalFieldsAreAbsent() {
        // given
        String row = "{" + BASE + "}";

        // when
        UsageRecord r = CanonicalFields.toRecord(json(row));

        // then
        assertEquals(Optional.empty(), r.requestId());
        assertEquals(Map.of(), r.tags());
        assertEquals(0, r.promptTokens() + r.completionTokens() + r.reasoningTokens() + r.cacheReadTokens()
                + r.cacheWriteTokens());
        assertEquals(Optional.empty(), r.costUsd());
        assertEquals(Optional.empty(), r.finishReason());
        assertFalse(r.toolsOffered());
        assertEquals(Optional.empty(), r.toolCalled());
        assertFalse(r.streamed());
        assertEquals(OptionalLong.empty(), r.latencyMs());
        assertEquals(Optional.empty(), r.country());
        assertEquals(Optional.empty(), r.prompt());
    }

    @Test
    void toRecord_shouldThrowNamingModel_whenModelIsMissingOrBlank() {
        // given
        String missing = "{\"timestamp\":\"2026-11-02T09:15:02Z\"}";
        String blank = "{\"timestamp\":\"2026-11-02T09:15:02Z\",\"model\":\"   \"}";
        String nul = "{\"timestamp\":\"2026-11-02T09:15:02Z\",\"model\":null}";

        // when
        String a = errorOf(missing);
        String b = errorOf(blank);
        String c = errorOf(nul);

        // then
        assertEquals("missing field 'model'", a);
        assertEquals("missing field 'model'", b);
        assertEquals("missing field 'model'", c);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"model\":\"m\"}", "{\"model\":\"m\",\"timestamp\":null}",
        "{\"model\":\"m\",\"timestamp\":\"  \"}"})
    void toRecord_shouldThrowNamingTimestamp_whenTimestampIsMissing(String row) {
        // given: a row without a usable timestamp

        // when
        String message = errorOf(row);

        // then
        assertEquals("missing field 'timestamp'", message);
    }

    @Test
    void toRecord_shouldThrow_whenRowIsNotAnObject() {
        // given
        String row = "[1]";

        // when
        String message = errorOf(row);

        // then
        assertEquals("expected a JSON object, got array", message);
    }

    @Test
    void toRecord_shouldThrowNamingTheField_whenTextFieldIsAnObject() {
        // given
        String members = "\"user_id\":{\"id\":1}";

        // when
        String message = errorWith(members);

        // then
        assertEquals("field 'user_id' must be a string, got object", message);
    }

    @Test
    void toRecord_shouldReadANumberAsText_whenModelIsANumber() {
        // given
        String row = "{\"timestamp\":\"2026-11-02T09:15:02Z\",\"model\":42}";

        // when
        UsageRecord r = CanonicalFields.toRecord(json(row));

        // then
        assertEquals("42", r.model());
    }

    // ---- timestamps

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"2026-11-02T09:15:02Z\"|2026-11-02T09:15:02Z",
        "\"2026-11-02T09:15:02.123456Z\"|2026-11-02T09:15:02.123456Z",
        "\"2026-11-03T08:30:00+01:00\"|2026-11-03T07:30:00Z",
        "\"2026-11-02T23:30:00-05:00\"|2026-11-03T04:30:00Z",
        "\"2026-11-02T09:15:02\"|2026-11-02T09:15:02Z",
        "\"2026-11-02 09:15:02\"|2026-11-02T09:15:02Z",
        "1793700000|2026-11-03T10:00:00Z",
        "1793700000.5|2026-11-03T10:00:00.500Z",
        "\"1793700000\"|2026-11-03T10:00:00Z",
        "1793700000123|2026-11-03T10:00:00.123Z",
        "\"1793700000123\"|2026-11-03T10:00:00.123Z",
        "946684800|2000-01-01T00:00:00Z",
        "\"2099-12-31T23:59:59.999Z\"|2099-12-31T23:59:59.999Z"})
    void toRecord_shouldReadTheInstant_whenTimestampIsIsoOrEpoch(String value, String expected) {
        // given: the JSON value of the timestamp field; epoch 1793700000 s is 2026-11-03T10:00:00Z

        // when
        Instant instant = timestampOf(value);

        // then
        assertEquals(Instant.parse(expected), instant);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"1999-12-31T23:59:59Z\"|1999-12-31T23:59:59Z",
        "\"2100-01-01T00:00:00Z\"|2100-01-01T00:00:00Z",
        "946684799|1999-12-31T23:59:59Z",
        "0|1970-01-01T00:00:00Z"})
    void toRecord_shouldThrowOutOfRange_whenTimestampIsBefore2000OrFrom2100(String value, String instant) {
        // given: a timestamp outside 2000..2099

        // when
        String message = errorOf("{\"model\":\"m\",\"timestamp\":" + value + "}");

        // then
        assertEquals("field 'timestamp' is out of range (2000..2099): " + instant, message);
    }

    @Test
    void toRecord_shouldThrowOutOfRange_whenEpochSecondsAreJustBelowTheMillisecondThreshold() {
        // given: 99,999,999,999 is read as seconds (values from 1e11 up are milliseconds): the year 5138
        String row = "{\"model\":\"m\",\"timestamp\":99999999999}";

        // when
        String message = errorOf(row);

        // then
        assertTrue(message.startsWith("field 'timestamp' is out of range (2000..2099): 5138-11-16T09:46:39Z"), message);
    }

    @Test
    void toRecord_shouldThrowQuotingTheValue_whenTimestampIsNotADate() {
        // given
        String row = "{\"model\":\"m\",\"timestamp\":\"yesterday\"}";

        // when
        String message = errorOf(row);

        // then
        assertEquals("field 'timestamp' is not an ISO-8601 date-time or epoch number: 'yesterday'", message);
    }

    @Test
    void toRecord_shouldThrow_whenTimestampIsABoolean() {
        // given
        String row = "{\"model\":\"m\",\"timestamp\":true}";

        // when
        String message = errorOf(row);

        // then
        assertEquals("field 'timestamp' must be an ISO-8601 string or epoch number, got boolean", message);
    }

    @Test
    void toRecord_shouldThrowNotFinite_whenTimestampTextIsNaN() {
        // given
        String row = "{\"model\":\"m\",\"timestamp\":\"NaN\"}";

        // when
        String message = errorOf(row);

        // then
        assertEquals("field 'timestamp' is not a finite number", message);
    }

    // ---- token counts

    @Test
    void toRecord_shouldReadCounts_whenTheyAreNumbersOrText() {
        // given
        String members = "\"prompt_tokens\":1200,\"completion_tokens\":\" 310 \",\"reasoning_tokens\":\"0\","
                + "\"cache_read_tokens\":800,\"cache_write_tokens\":\"\",\"latency_ms\":\"2310\"";

        // when
        UsageRecord r = with(members);

        // then
        assertEquals(1200, r.promptTokens());
        assertEquals(310, r.completionTokens());
        assertEquals(0, r.reasoningTokens());
        assertEquals(800, r.cacheReadTokens());
        assertEquals(0, r.cacheWriteTokens());
        assertEquals(OptionalLong.of(2310), r.latencyMs());
    }

    @Test
    void toRecord_shouldReadZero_whenCountIsNull() {
        // given
        String members = "\"prompt_tokens\":null,\"latency_ms\":null";

        // when
        UsageRecord r = with(members);

        // then
        assertEquals(0, r.promptTokens());
        assertEquals(OptionalLong.empty(), r.latencyMs());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"prompt_tokens\":-1|field 'prompt_tokens' must not be negative, got -1",
        "\"cache_read_tokens\":\"-20\"|field 'cache_read_tokens' must not be negative, got -20",
        "\"completion_tokens\":12.5|field 'completion_tokens' must be a whole number, got '12.5'",
        "\"completion_tokens\":\"12.5\"|field 'completion_tokens' must be a whole number, got '12.5'",
        "\"reasoning_tokens\":\"lots\"|field 'reasoning_tokens' must be a whole number, got 'lots'",
        "\"cache_write_tokens\":true|field 'cache_write_tokens' must be a whole number, got boolean",
        "\"prompt_tokens\":100000000000000000000|field 'prompt_tokens' must be a whole number, got '100000000000000000000'",
        "\"latency_ms\":-3|field 'latency_ms' must not be negative, got -3"})
    void toRecord_shouldThrowNamingTheField_whenCountIsNegativeFractionalOrNotANumber(String members,
                                                                                      String expected) {
        // given: one malformed count

        // when
        String message = errorWith(members);

        // then
        assertEquals(expected, message);
    }

    @Test
    void toRecord_shouldAcceptWholeNumbersWrittenAsFloats_whenAnExportWritesThemSo() {
        // given: counts as 1200.0 (a number) and "310.0" (a string)

        // when
        UsageRecord r = with("\"prompt_tokens\":1200.0,\"completion_tokens\":\"310.0\"");

        // then
        assertEquals(1200, r.promptTokens());
        assertEquals(310, r.completionTokens());
    }

    @Test
    void toRecord_shouldReadAnSqlStyleTimestampWithOffset_whenSeparatedBySpace() {
        // given / when / then: "2026-11-02 09:15:02+02:00" is 07:15:02Z
        assertEquals(Instant.parse("2026-11-02T07:15:02Z"), timestampOf("\"2026-11-02 09:15:02+02:00\""));
    }

    @Test
    void toRecord_shouldAbbreviateTheValue_whenBadValueIsLong() {
        // given: 100 characters
        String value = "x".repeat(100);

        // when
        String message = errorWith("\"prompt_tokens\":\"" + value + "\"");

        // then
        assertEquals("field 'prompt_tokens' must be a whole number, got '" + "x".repeat(57) + "...'", message);
    }

    // ---- cost

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0.00825|0.0082500000",
        "\"0.006\"|0.0060000000",
        "\" 0.000090 \"|0.0000900000",
        "0|0E-10",
        "1000000|1000000.0000000000",
        "\"1e-3\"|0.0010000000",
        "\"0.00000000015\"|0.0000000002",
        "\"0.00000000025\"|0.0000000002",
        "\"0.000000000251\"|0.0000000003",
        "\"0.00000000035\"|0.0000000004",
        "0.123456789049|0.1234567890"})
    void toRecord_shouldKeepCostToTenPlacesRoundingHalfEven_whenCostIsANumberOrText(String value,
                                                                                    String expected) {
        // given: a cost

        // when
        BigDecimal cost = with("\"cost_usd\":" + value).costUsd().orElseThrow();

        // then: equal including the scale of 10
        assertEquals(new BigDecimal(expected), cost);
        assertEquals(CanonicalFields.COST_SCALE, cost.scale());
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "\"\"", "\"  \""})
    void toRecord_shouldHaveNoCost_whenCostIsNullOrBlank(String value) {
        // given: an unpriced request

        // when
        Optional<BigDecimal> cost = with("\"cost_usd\":" + value).costUsd();

        // then
        assertEquals(Optional.empty(), cost);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-0.01|field 'cost_usd' must not be negative, got -0.01",
        "\"-5\"|field 'cost_usd' must not be negative, got -5",
        "1000000.01|field 'cost_usd' is over 1,000,000 USD for one request: 1000000.01",
        "\"free\"|field 'cost_usd' must be a number, got 'free'",
        "true|field 'cost_usd' must be a number, got boolean",
        "[1]|field 'cost_usd' must be a number, got array"})
    void toRecord_shouldThrowNamingCost_whenCostIsNegativeTooLargeOrNotANumber(String value, String expected) {
        // given: a malformed cost

        // when
        String message = errorWith("\"cost_usd\":" + value);

        // then
        assertEquals(expected, message);
    }

    // ---- booleans

    @ParameterizedTest
    @CsvSource({"true, true", "false, false", "'\"true\"', true", "'\"TRUE\"', true", "'\"yes\"', true",
        "'\"Y\"', true", "'\"1\"', true", "1, true", "'\"false\"', false", "'\"No\"', false", "'\"n\"', false",
        "'\"0\"', false", "0, false"})
    void toRecord_shouldReadTheFlag_whenBooleanIsSpelledAnyCommonWay(String value, boolean expected) {
        // given: the same spelling for the three flags

        // when
        UsageRecord r = with("\"tools_offered\":" + value + ",\"tool_called\":" + value + ",\"streamed\":" + value);

        // then
        assertEquals(expected, r.toolsOffered());
        assertEquals(Optional.of(expected), r.toolCalled());
        assertEquals(expected, r.streamed());
    }

    @Test
    void toRecord_shouldLeaveToolCalledUnknown_whenItIsBlankOrNull() {
        // given
        String blank = "\"tool_called\":\"\",\"tools_offered\":\"\"";
        String nul = "\"tool_called\":null";

        // when
        UsageRecord a = with(blank);
        UsageRecord b = with(nul);

        // then
        assertEquals(Optional.empty(), a.toolCalled());
        assertFalse(a.toolsOffered());
        assertEquals(Optional.empty(), b.toolCalled());
    }

    @Test
    void toRecord_shouldThrowNamingTheFlag_whenBooleanIsNotRecognised() {
        // given
        String members = "\"streamed\":\"maybe\"";

        // when
        String message = errorWith(members);

        // then
        assertEquals("field 'streamed' must be true or false, got 'maybe'", message);
    }

    // ---- tags

    @Test
    void toRecord_shouldReadTags_whenTagsAreAnObject() {
        // given: a null tag is dropped, a number is kept as text
        String members = "\"tags\":{\"team\":\"support\",\"env\":\"prod\",\"gone\":null,\"tier\":3}";

        // when
        Map<String, String> tags = with(members).tags();

        // then
        assertEquals(Map.of("team", "support", "env", "prod", "tier", "3"), tags);
    }

    @Test
    void toRecord_shouldReadTags_whenTagsAreJsonText() {
        // given: the spelling a CSV cell uses for a JSON object
        String members = "\"tags\":\"{\\\"team\\\":\\\"search\\\",\\\"env\\\":\\\"dev\\\"}\"";

        // when
        Map<String, String> tags = with(members).tags();

        // then
        assertEquals(Map.of("team", "search", "env", "dev"), tags);
    }

    @Test
    void toRecord_shouldReadTags_whenTagsAreKeyValuePairs() {
        // given: spaces around keys and values, an empty pair and a value holding '='
        String members = "\"tags\":\" team = search ;env=prod;;expr=a=b;\"";

        // when
        Map<String, String> tags = with(members).tags();

        // then
        assertEquals(Map.of("team", "search", "env", "prod", "expr", "a=b"), tags);
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "\"\"", "\"   \"", "{}"})
    void toRecord_shouldHaveNoTags_whenTagsAreEmpty(String value) {
        // given: an empty spelling of tags

        // when
        Map<String, String> tags = with("\"tags\":" + value).tags();

        // then
        assertEquals(Map.of(), tags);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"novalue\"|field 'tags' must be key=value pairs separated by ';', got 'novalue'",
        "\"a=1;=2\"|field 'tags' must be key=value pairs separated by ';', got '=2'",
        "\"{oops\"|field 'tags' is not a JSON object: '{oops'",
        "[\"a\"]|field 'tags' must be an object of strings, got array",
        "42|field 'tags' must be an object of strings, got number",
        "{\"a\":{\"b\":1}}|tag 'a' must be a string, got object"})
    void toRecord_shouldThrowNamingTags_whenTagsAreMalformed(String value, String expected) {
        // given: malformed tags

        // when
        String message = errorWith("\"tags\":" + value);

        // then
        assertEquals(expected, message);
    }

    // ---- regressions found by the hostile-input tests

    @Test
    void toRecord_shouldQuarantineTheRecord_whenACostIsTooLargeForADouble() {
        // given: 1e400 reads as an infinite double. A regression: converting it threw NumberFormatException, which
        // escaped the reader and failed the whole upload (retried, and failing again)

        // when
        String message = errorWith("\"cost_usd\":1e400");

        // then
        assertEquals("field 'cost_usd' is not a finite number", message);
    }

    @Test
    void toRecord_shouldReadACostAtOnce_whenItIsWrittenWithAnExtremeExponent() {
        // given: costs as text with exponents of ten million. A regression: rounding 1e-10000000 to 10 places took
        // minutes (past Lambda's timeout, so the upload never finished), and the message for -1e999999999 wrote it
        // out in plain digits, a gigabyte of zeros
        long began = System.nanoTime();

        // when
        Optional<BigDecimal> tiny = with("\"cost_usd\":\"1e-10000000\"").costUsd();
        String negative = errorWith("\"cost_usd\":\"-1e999999999\"");
        String huge = errorWith("\"cost_usd\":\"1e999999999\"");

        // then
        assertEquals(Optional.of(new BigDecimal("0E-10")), tiny);
        assertEquals("field 'cost_usd' must not be negative, got -1E+999999999", negative);
        assertEquals("field 'cost_usd' is over 1,000,000 USD for one request: 1E+999999999", huge);
        assertTrue(System.nanoTime() - began < 2_000_000_000L, "read at once");
    }

    @Test
    void toRecord_shouldRefuseAtOnce_whenANumberIsWrittenWithMoreDigitsThanAnyCountHas() {
        // given: a count of a million digits. A regression: parsing it took most of a minute (quadratic), so a
        // 16 MiB record of digits held the reader past Lambda's timeout
        String digits = "1".repeat(1_000_000);
        long began = System.nanoTime();

        // when
        String count = errorWith("\"prompt_tokens\":\"" + digits + "\"");
        String cost = errorWith("\"cost_usd\":\"" + digits + "\"");

        // then
        assertEquals("field 'prompt_tokens' must be a whole number, got '" + "1".repeat(57) + "...'", count);
        assertEquals("field 'cost_usd' must be a number, got '" + "1".repeat(57) + "...'", cost);
        assertTrue(System.nanoTime() - began < 2_000_000_000L, "refused at once");
    }
}
