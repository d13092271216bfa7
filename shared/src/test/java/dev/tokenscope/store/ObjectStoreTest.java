package dev.tokenscope.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ObjectStoreTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "\"abc123\"|abc123",
        "abc123|abc123",
        "' \"abc-2\" '|abc-2",
        "\"|\"",
        "''|''"})
    void bareEtag_shouldDropSurroundingQuotes_whenS3QuotesTheEtag(String etag, String expected) {
        // given: an ETag as S3 or an event spells it

        // when
        String bare = ObjectStore.bareEtag(etag);

        // then
        assertEquals(expected, bare);
    }

    @org.junit.jupiter.api.Test
    void bareEtag_shouldBeEmpty_whenEtagIsNull() {
        // given
        String etag = null;

        // when
        String bare = ObjectStore.bareEtag(etag);

        // then
        assertEquals("", bare);
    }
}
