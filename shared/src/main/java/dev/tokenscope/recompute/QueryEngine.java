package dev.tokenscope.recompute;

import java.util.List;
import java.util.Map;

/**
 * The query engine port over the warehouse tables: Amazon Athena on AWS, DuckDB locally. Both run the same SQL
 * files (resources/sql); parameters are bound, never concatenated.
 */
public interface QueryEngine {

    /**
     * Runs a query and returns every row as column name to value (text, as Athena returns it; null for SQL
     * NULL). The window of days is given so that an engine that reads local copies can fetch what it needs.
     */
    List<Map<String, String>> query(String sql, List<String> parameters, Window window);

    /** A range of UTC days, inclusive. */
    record Window(java.time.LocalDate from, java.time.LocalDate to) {
        public Window {
            if (from.isAfter(to)) {
                throw new IllegalArgumentException("window starts after it ends: " + from + " > " + to);
            }
        }
    }
}
