package dev.tokenscope.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.testing.Fixtures;
import dev.tokenscope.testing.InMemoryObjectStore;
import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegionMappingTest {

    private static final String BUCKET = "tokenscope-test";
    private static final String FILE = "{\"users\": {\"key-eu-1\": \"de\"}, \"accounts\": {\"123456789012\": \"US\"},"
            + " \"apps\": {\"support-bot\": \"GB\"}, \"tags\": {\"team=emea\": \"FR\", \"team=apac\": \"JP\"}}";

    private static RegionMapping mapping(String json) {
        return RegionMapping.read(new ByteArrayInputStream(Fixtures.utf8(json)), "regions.json");
    }

    private static Optional<String> opt(String s) {
        return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    @ParameterizedTest
    @CsvSource({
        // user, account, app, team tag -> country (most specific first)
        "key-eu-1, 123456789012, support-bot, apac, DE",
        ", 123456789012, support-bot, apac, US",
        "other, , support-bot, apac, GB",
        ", , , emea, FR",
        ", , other-app, apac, JP",
        "other, 999, other-app, other-team, ''"})
    void countryOf_shouldUseTheMostSpecificRule_whenSeveralMatch(String user, String account, String app, String team,
                                                                String expected) {
        // given
        RegionMapping regions = mapping(FILE);
        Map<String, String> tags = team == null ? Map.of() : Map.of("Team", team);

        // when
        Optional<String> country = regions.countryOf(opt(user), opt(account), opt(app), tags);

        // then
        assertEquals(opt(expected), country);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"users\": {\"k\": \"XX\"}} | users[\"k\"]: \"XX\" is not an ISO 3166-1 alpha-2 country code",
        "{\"teams\": {}} | unknown section \"teams\"",
        "{\"tags\": {\"emea\": \"FR\"}} | tags[\"emea\"]: a tag rule is name=value",
        "{\"apps\": {\"a\": 1}} | apps[\"a\"]: the country must be a string",
        "{\"users\": [ | not valid JSON"})
    void read_shouldFailNamingTheFileAndEntry_whenTheFileIsBroken(String json, String problem) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mapping(json));

        assertTrue(e.getMessage().startsWith("regions.json: "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void load_shouldBeNone_whenTheBucketHasNoMapping() {
        assertSame(RegionMapping.NONE, RegionMapping.load(new InMemoryObjectStore(), BUCKET));
    }

    @Test
    void load_shouldReadTheBucketsFile_whenThereIsOne() {
        // given
        InMemoryObjectStore objects = new InMemoryObjectStore();
        objects.put(BUCKET, RegionMapping.KEY, Fixtures.utf8(FILE), "application/json");

        // when
        RegionMapping regions = RegionMapping.load(objects, BUCKET);

        // then
        assertEquals(Optional.of("US"), regions.countryOf(Optional.empty(), Optional.of("123456789012"),
                Optional.empty(), Map.of()));
    }
}
