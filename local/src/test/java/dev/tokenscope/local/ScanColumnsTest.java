package dev.tokenscope.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ScanColumnsTest {

    private static final Set<String> TABLE = Set.of("model", "category", "prompt_tokens", "completion_tokens",
            "cost_usd", "requests", "open_weights", "user_id");

    /** DuckDB's EXPLAIN (FORMAT JSON) of an aggregate over a Parquet view with a pushed-down filter. */
    private static final String PLAN = """
            [{"name": "PARTITIONED_AGGREGATE", "children": [
              {"name": "PROJECTION", "children": [
                {"name": "READ_PARQUET", "children": [], "extra_info": {
                  "Function": "READ_PARQUET",
                  "Projections": ["day", "category", "prompt_tokens", "completion_tokens"],
                  "Filters": ["cost_usd>0.0", "open_weights"],
                  "File Filters": "(day BETWEEN '2025-11-01' AND '2025-11-07')",
                  "Estimated Cardinality": "857"}}],
                "extra_info": {"Projections": ["model"]}}],
              "extra_info": {"Groups": "#0", "Aggregates": "sum(#1)"}}]
            """;

    @Test
    void fromPlan_shouldGiveProjectionsAndFilterColumnsOfTheParquetScan_whenThePlanHasOne() {
        // when
        Set<String> read = ScanColumns.fromPlan(PLAN, TABLE);

        // then the filter's columns count, the partition column and other operators' projections do not
        assertEquals(Set.of("category", "prompt_tokens", "completion_tokens", "cost_usd", "open_weights"), read);
    }

    @Test
    void fromPlan_shouldReadASingleProjectionAsText_whenDuckDbPrintsItUnwrapped() {
        String plan = """
                [{"name": "READ_PARQUET", "children": [], "extra_info": {"Projections": "requests"}}]
                """;

        assertEquals(Set.of("requests"), ScanColumns.fromPlan(plan, TABLE));
    }

    @Test
    void fromPlan_shouldUniteEveryScan_whenTheQueryReadsTheTableTwice() {
        // given a UNION ALL: two scans, each with its own columns
        String plan = """
                [{"name": "UNION", "children": [
                  {"name": "READ_PARQUET", "children": [], "extra_info": {"Projections": ["model", "requests"]}},
                  {"name": "READ_PARQUET", "children": [], "extra_info": {"Projections": ["user_id"]}}]}]
                """;

        assertEquals(Set.of("model", "requests", "user_id"), ScanColumns.fromPlan(plan, TABLE));
    }

    @Test
    void fromPlan_shouldNotTakeAStringConstantForAColumn_whenAFilterComparesWithIt() {
        String plan = """
                [{"name": "READ_PARQUET", "children": [], "extra_info": {
                  "Projections": ["requests"], "Filters": ["category!='model'"]}}]
                """;

        assertEquals(Set.of("requests", "category"), ScanColumns.fromPlan(plan, TABLE));
    }

    @Test
    void mentionedIn_shouldFindEveryColumnNamed_whenCommentsAndLiteralsNameOthers() {
        // given SQL whose comment and string literal name columns it does not read
        String sql = """
                -- the user_id is not read here
                SELECT substr(day, 1, 7) AS month, Category, sum(prompt_tokens + completion_tokens) AS tokens
                FROM records /* cost_usd neither */
                WHERE model <> 'open_weights' AND requests = 1
                GROUP BY 1, 2
                """;

        // when
        Set<String> mentioned = ScanColumns.mentionedIn(sql, TABLE);

        // then names are matched whole and without case; comments and literals are left out
        assertEquals(Set.of("category", "prompt_tokens", "completion_tokens", "model", "requests"), mentioned);
    }
}
