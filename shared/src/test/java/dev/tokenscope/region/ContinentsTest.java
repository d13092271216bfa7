package dev.tokenscope.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ContinentsTest {

    @ParameterizedTest
    @CsvSource({"US, north_america", "us, north_america", "MX, north_america", "BR, south_america",
        "DE, europe", "GB, europe", "RU, europe", "TR, europe", "CN, asia", "IN, asia", "SG, asia", "CY, asia",
        "NG, africa", "EG, africa", "AU, oceania", "NZ, oceania", "AQ, antarctica"})
    void of_shouldNameTheContinent_whenGivenACountryCode(String country, String continent) {
        assertEquals(Optional.of(continent), Continents.of(country));
    }

    @Test
    void of_shouldBeEmpty_whenTheCodeIsNoCountry() {
        assertEquals(Optional.empty(), Continents.of("XX"));
        assertEquals(Optional.empty(), Continents.of("EU"));
        assertEquals(Optional.empty(), Continents.of(""));
    }

    @Test
    void table_shouldCoverEveryIsoCountry_whenCountedAgainstTheJdksList() {
        // given: the JDK's ISO 3166 list (249 codes)
        String[] iso = java.util.Locale.getISOCountries();

        // when / then: each has a continent (XK, Kosovo, is extra: in use, not yet in ISO)
        for (String code : iso) {
            assertTrue(Continents.of(code).isPresent(), "no continent for " + code);
        }
        assertEquals(iso.length + 1, Continents.size());
    }
}
