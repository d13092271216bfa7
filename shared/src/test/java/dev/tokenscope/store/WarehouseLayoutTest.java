package dev.tokenscope.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class WarehouseLayoutTest {

    @Test
    void recordsKey_shouldNameTheDayPartitionAndTheSource_whenGivenADay() {
        // given
        LocalDate day = LocalDate.of(2026, 11, 2);

        // when
        String key = WarehouseLayout.recordsKey(day, "0123456789abcdef");

        // then
        assertEquals("warehouse/records/day=2026-11-02/0123456789abcdef.json.gz", key);
        assertTrue(key.startsWith(WarehouseLayout.RECORDS_PREFIX));
    }

    @Test
    void quarantineAndManifestKeys_shouldBeKeyedBySource_whenGivenASourceId() {
        // given
        String sourceId = "0123456789abcdef";

        // when
        String quarantine = WarehouseLayout.quarantineKey(sourceId);
        String manifest = WarehouseLayout.manifestKey(sourceId);

        // then
        assertEquals("quarantine/0123456789abcdef.jsonl", quarantine);
        assertEquals("state/uploads/0123456789abcdef.json", manifest);
    }
}
