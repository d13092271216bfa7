package dev.tokenscope.local;

import dev.tokenscope.recompute.ParquetExport;
import dev.tokenscope.recompute.QueryEngine;
import dev.tokenscope.store.WarehouseLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * QueryEngine on DuckDB over local copies of the warehouse: the Athena SQL files run unchanged, through views
 * named like the Glue tables ({@code records}, {@code records_parquet}) and a few macros for the functions whose
 * names differ (the dialect shim):
 * <ul>
 *   <li>{@code array_join(list, sep)} is DuckDB's {@code array_to_string}.</li>
 *   <li>{@code approx_percentile(x, p)} is DuckDB's {@code approx_quantile} (both approximate; the figure queries
 *   use it for request-shape percentiles and medians).</li>
 * </ul>
 * Also the local ParquetExport, through COPY.
 */
public final class DuckDbQueryEngine implements QueryEngine, ParquetExport {

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
        Path parquet = mirror.syncParquet(window.from(), window.to());
        try (Connection connection = connect()) {
            for (String statement : SHIM) {
                execute(connection, statement);
            }
            execute(connection, recordsView(records));
            execute(connection, parquetView(parquet));
            try (PreparedStatement statement = prepare(connection, sql, parameters);
                 ResultSet rs = statement.executeQuery()) {
                return rows(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB query failed: " + e.getMessage(), e);
        }
    }

    /**
     * As Athena's UNLOAD: COPY the days' rows into Hive-style day= folders of Parquet (ZSTD) in a staging folder,
     * then upload them under the prefix, so the bucket holds the same layout as on AWS.
     */
    @Override
    public void exportParquet(List<LocalDate> days, String bucket, String prefix) {
        LocalDate first = days.stream().min(LocalDate::compareTo).orElseThrow();
        LocalDate last = days.stream().max(LocalDate::compareTo).orElseThrow();
        Path records = mirror.sync(first, last);
        Path staging = null;
        try (Connection connection = connect()) {
            staging = Files.createTempDirectory("tokenscope-parquet");
            execute(connection, recordsView(records));
            String copy = "COPY (" + ParquetExport.selectSql(days.size()) + ") TO '"
                    + staging.resolve("out").toString().replace("'", "''") + "' (FORMAT PARQUET, COMPRESSION "
                    + ParquetExport.COMPRESSION + ", "
                    + "PARTITION_BY (" + WarehouseLayout.PARTITION_COLUMN + "))";
            try (PreparedStatement statement = prepare(connection, copy,
                    days.stream().map(LocalDate::toString).toList())) {
                statement.execute();
            }
            if (Files.isDirectory(staging.resolve("out"))) {
                mirror.publish(staging.resolve("out"), bucket, prefix);
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("DuckDB could not write Parquet for " + days + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(staging);
        }
    }

    private static Connection connect() throws SQLException {
        Properties properties = new Properties();
        // No network here: never try to download an extension; json and parquet are built in.
        properties.setProperty("autoinstall_known_extensions", "false");
        return DriverManager.getConnection("jdbc:duckdb:", properties);
    }

    private static PreparedStatement prepare(Connection connection, String sql, List<String> parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.size(); i++) {
            statement.setString(i + 1, parameters.get(i));
        }
        return statement;
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
        if (!hasFiles(records, ".json.gz")) {
            return emptyTable("records");
        }
        String glob = records.toAbsolutePath().toString().replace("'", "''") + "/*/*.json.gz";
        return "CREATE OR REPLACE VIEW records AS SELECT * FROM read_json('" + glob + "', "
                + "format = 'newline_delimited', compression = 'gzip', hive_partitioning = true, "
                + "hive_types = {'" + WarehouseLayout.PARTITION_COLUMN + "': 'VARCHAR'}, "
                + "columns = {" + columns + "})";
    }

    /**
     * The Parquet table as Glue declares it: the files its day partitions point at (the mirror follows the
     * pointers), every column by name in table order; a column missing from older files reads as NULL, as in
     * Athena.
     */
    static String parquetView(Path parquet) {
        if (!hasFiles(parquet, ".parquet")) {
            return emptyTable(WarehouseLayout.PARQUET_TABLE);
        }
        String columns = WarehouseLayout.COLUMNS.stream().map(WarehouseLayout.Column::name)
                .collect(Collectors.joining(", "));
        String glob = parquet.toAbsolutePath().toString().replace("'", "''") + "/*/*.parquet";
        return "CREATE OR REPLACE VIEW " + WarehouseLayout.PARQUET_TABLE + " AS SELECT " + columns + ", "
                + WarehouseLayout.PARTITION_COLUMN + " FROM read_parquet('" + glob + "', hive_partitioning = true, "
                + "union_by_name = true, hive_types = {'" + WarehouseLayout.PARTITION_COLUMN + "': 'VARCHAR'})";
    }

    /** A table with the warehouse columns and no rows, for a view with no files to read yet. */
    private static String emptyTable(String name) {
        String columns = WarehouseLayout.COLUMNS.stream()
                .map(c -> c.name() + " " + duckType(c.type()))
                .collect(Collectors.joining(", "));
        return "CREATE OR REPLACE TABLE " + name + " (" + columns + ", " + WarehouseLayout.PARTITION_COLUMN
                + " VARCHAR)";
    }

    private static boolean hasFiles(Path folder, String suffix) {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.anyMatch(p -> p.toString().endsWith(suffix));
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteQuietly(Path folder) {
        if (folder == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A staging folder left in the temporary directory is harmless.
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
