package dev.tokenscope.local;

import dev.tokenscope.recompute.QueryEngine;
import dev.tokenscope.store.WarehouseLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * QueryEngine on DuckDB over local copies of the warehouse: the Athena SQL files run unchanged, through a view
 * named like the Glue table and a few macros for the functions whose names differ (the dialect shim):
 * <ul>
 *   <li>{@code array_join(list, sep)} is DuckDB's {@code array_to_string}.</li>
 *   <li>{@code approx_percentile(x, p)} is DuckDB's {@code approx_quantile} (both approximate; the figure queries
 *   use it for request-shape percentiles and medians).</li>
 * </ul>
 */
public final class DuckDbQueryEngine implements QueryEngine {

    private static final List<String> SHIM = List.of(
            "CREATE OR REPLACE MACRO array_join(l, sep) AS array_to_string(l, sep)",
            "CREATE OR REPLACE MACRO approx_percentile(x, p) AS approx_quantile(x, p)");

    private final WarehouseMirror mirror;

    DuckDbQueryEngine(WarehouseMirror mirror) {
        this.mirror = mirror;
    }

    @Override
    public List<Map<String, String>> query(String sql, List<String> parameters, Window window) {
        Path records = mirror.sync(window.from(), window.to());
        Properties properties = new Properties();
        // No network here: never try to download an extension; json and parquet are built in.
        properties.setProperty("autoinstall_known_extensions", "false");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:", properties)) {
            for (String statement : SHIM) {
                execute(connection, statement);
            }
            execute(connection, recordsView(records));
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.size(); i++) {
                    statement.setString(i + 1, parameters.get(i));
                }
                try (ResultSet rs = statement.executeQuery()) {
                    return rows(rs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB query failed: " + e.getMessage(), e);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        // One statement object per statement: DuckDB's JDBC closes a statement that failed.
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The warehouse table as the Glue table declares it: JSON Lines, gzip, partitioned by day. */
    static String recordsView(Path records) throws SQLException {
        String columns = WarehouseLayout.COLUMNS.stream()
                .map(c -> "'" + c.name() + "': '" + duckType(c.type()) + "'")
                .collect(Collectors.joining(", "));
        if (!hasFiles(records)) {
            String empty = WarehouseLayout.COLUMNS.stream()
                    .map(c -> c.name() + " " + duckType(c.type()))
                    .collect(Collectors.joining(", "));
            return "CREATE OR REPLACE TABLE records (" + empty + ", " + WarehouseLayout.PARTITION_COLUMN
                    + " VARCHAR)";
        }
        String glob = records.toAbsolutePath().toString().replace("'", "''") + "/*/*.json.gz";
        return "CREATE OR REPLACE VIEW records AS SELECT * FROM read_json('" + glob + "', "
                + "format = 'newline_delimited', compression = 'gzip', hive_partitioning = true, "
                + "hive_types = {'" + WarehouseLayout.PARTITION_COLUMN + "': 'VARCHAR'}, "
                + "columns = {" + columns + "})";
    }

    private static boolean hasFiles(Path records) {
        try (Stream<Path> files = Files.walk(records)) {
            return files.anyMatch(p -> p.toString().endsWith(".json.gz"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Hive/Athena column types to DuckDB's. */
    static String duckType(String hiveType) {
        String t = hiveType.toLowerCase(Locale.ROOT).replace(" ", "");
        if (t.equals("string")) {
            return "VARCHAR";
        }
        if (t.startsWith("map<")) {
            String[] kv = t.substring(4, t.length() - 1).split(",", 2);
            return "MAP(" + duckType(kv[0]) + ", " + duckType(kv[1]) + ")";
        }
        return t.toUpperCase(Locale.ROOT);
    }

    private static List<Map<String, String>> rows(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        List<Map<String, String>> rows = new ArrayList<>();
        while (rs.next()) {
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                row.put(meta.getColumnLabel(i), rs.getString(i));
            }
            rows.add(row);
        }
        return rows;
    }
}
