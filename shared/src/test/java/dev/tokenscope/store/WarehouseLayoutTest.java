package dev.tokenscope.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    @Test
    void columns_shouldMatchTheGlueTableInTheTemplate_whenBothAreRead() throws IOException {
        // given: template.yaml at the project root declares the same columns
        String template = Files.readString(Path.of("..", "template.yaml"));
        Matcher m = Pattern.compile("- \\{ Name: ([a-z_]+), Type: (?:\"([^\"]+)\"|([^,}\\s]+))").matcher(template);
        List<WarehouseLayout.Column> declared = new ArrayList<>();
        while (m.find()) {
            declared.add(new WarehouseLayout.Column(m.group(1), m.group(2) != null ? m.group(2) : m.group(3)));
        }

        // when
        List<WarehouseLayout.Column> columns = WarehouseLayout.COLUMNS;

        // then
        assertEquals(columns, declared);
        assertTrue(template.contains("/" + WarehouseLayout.RECORDS_PREFIX + WarehouseLayout.PARTITION_COLUMN
                + "=${!day}/"), "the partition template names the records prefix");
    }
}
