package dev.tokenscope.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WarehouseBenchTest {

    @Test
    void onParquet_shouldReadTheParquetTable_whenTheQueryReadsRecords() {
        // given a query that reads records twice, and names records_parquet and records in a comment
        String sql = """
                -- every records row
                SELECT a FROM records WHERE x IN (SELECT x FROM   records_parquet)
                UNION ALL SELECT b FROM Records JOIN records ON true
                """;

        // when
        String parquet = WarehouseBench.onParquet(sql);

        // then each read of records is a read of records_parquet; the rest is as it was
        assertEquals("""
                -- every records row
                SELECT a FROM records_parquet WHERE x IN (SELECT x FROM   records_parquet)
                UNION ALL SELECT b FROM records_parquet JOIN records_parquet ON true
                """, parquet);
    }

    @Test
    void onParquet_shouldRefuse_whenTheQueryReadsNoRecords() {
        assertThrows(IllegalArgumentException.class, () -> WarehouseBench.onParquet("SELECT 1 FROM other"));
    }

    @Test
    void difference_shouldBeZero_whenOnlyTheLastBitsOfASumDiffer() {
        List<Map<String, String>> json = List.of(Map.of("model", "a", "share", "0.30000000000000004", "n", "3"));
        List<Map<String, String>> parquet = List.of(Map.of("model", "a", "share", "0.3", "n", "3"));

        assertEquals(0, WarehouseBench.difference(json, parquet));
    }

    @Test
    void difference_shouldBeTheLargestRelativeGap_whenNumbersDiffer() {
        // given percentiles 1317 / 1318 and 5514 / 5539
        List<Map<String, String>> json = List.of(Map.of("p50", "1317", "p99", "5514"));
        List<Map<String, String>> parquet = List.of(Map.of("p50", "1318", "p99", "5539"));

        assertEquals(25.0 / 5539, WarehouseBench.difference(json, parquet), 1e-12);
    }

    @Test
    void difference_shouldBeInfinite_whenTextOrTheRowsDiffer() {
        List<Map<String, String>> json = List.of(Map.of("model", "a", "n", "3"));

        assertEquals(Double.POSITIVE_INFINITY, WarehouseBench.difference(json, List.of(Map.of("model", "b", "n", "3"))));
        assertEquals(Double.POSITIVE_INFINITY, WarehouseBench.difference(json, List.of()));
        assertTrue(WarehouseBench.difference(json, List.of(Map.of("model", "a", "n", "4"))) > 0.2);
    }

    @Test
    void topLevel_shouldNameTheColumn_whenTheChunkIsALeafOfAMap() {
        assertEquals("tags", WarehouseBench.topLevel("tags, key_value, key"));
        assertEquals("model", WarehouseBench.topLevel("model"));
    }
}
