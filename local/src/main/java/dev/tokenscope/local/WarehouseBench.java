package dev.tokenscope.local;

import dev.tokenscope.recompute.QueryEngine;
import dev.tokenscope.recompute.SqlFiles;
import dev.tokenscope.store.ObjectStore;
import dev.tokenscope.store.S3ObjectStore;
import dev.tokenscope.store.WarehouseLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the warehouse's queries would scan on the raw JSON table and on its Parquet copy, as Athena bills it: for
 * gzip JSON Lines every byte of every object in the partitions the query reads; for Parquet the compressed column
 * chunks of the columns the query reads (DuckDB's plan says which), in the partitions it reads. Every SQL the product
 * runs on the warehouse: the recompute's files (sql/*.sql) over the windows the recompute gives them, and the Athena
 * named queries of template.yaml over all days. Each also runs on both tables, and the answers must be equal.
 */
final class WarehouseBench {

    private static final Pattern FROM_RECORDS = Pattern.compile("(?i)\\b(FROM|JOIN)\\s+records\\b(?!_)");
    private static final Pattern DAY_FOLDER = Pattern.compile("/" + WarehouseLayout.PARTITION_COLUMN
            + "=(\\d{4}-\\d{2}-\\d{2})/");
    private static final Set<String> COLUMNS = WarehouseLayout.COLUMNS.stream().map(WarehouseLayout.Column::name)
            .collect(Collectors.toUnmodifiableSet());

    private WarehouseBench() {
    }

    /** A query as the product runs it: its SQL, its bound parameters and the days it reads. */
    record Query(String name, String sql, List<String> parameters, LocalDate from, LocalDate to) {
    }

    /** One query measured: bytes per table, the columns read, and whether both tables gave the same answer. */
    record Row(Query query, long jsonBytes, long parquetBytes, long parquetFileBytes, Set<String> columns,
               int rows, double difference) {

        double ratio() {
            return parquetBytes == 0 ? Double.POSITIVE_INFINITY : (double) jsonBytes / parquetBytes;
        }

        /**
         * Equal, or how close where the query takes an approximate percentile: the engine's sketch depends on the
         * order it reads rows in, which differs between the two tables.
         */
        String equality() {
            if (difference == 0) {
                return "yes";
            }
            boolean approximate = query.sql().toLowerCase(Locale.ROOT).contains("approx_percentile");
            return approximate && difference < 0.05
                    ? String.format(Locale.ROOT, "approx_percentile within %.1f%%", difference * 100) : "**no**";
        }
    }

    /** A column chunk of a Parquet file of one day. */
    record Chunk(LocalDate day, String column, long compressedBytes) {
    }

    /** The recompute's SQL over its scheduled window (the last days of the span), then each named query. */
    static List<Query> queries(Path projectRoot, LocalDate from, LocalDate to) {
        LocalDate windowStart = to.minusDays(LocalRunner.RECOMPUTE_DAYS - 1);
        List<String> window = List.of(windowStart.toString(), to.toString());
        List<Query> queries = new ArrayList<>();
        queries.add(new Query("rollup_day.sql", SqlFiles.load("rollup_day.sql"), window, windowStart, to));
        queries.add(new Query("request_shape_day.sql", SqlFiles.load("request_shape_day.sql"), window,
                windowStart, to));
        // Retention reads every day up to the window's end.
        for (String file : List.of("retention_cohorts.sql", "retention_identity.sql")) {
            queries.add(new Query(file, SqlFiles.load(file), List.of(to.toString()), from, to));
        }
        CloudFormationYaml.namedQueries(projectRoot.resolve("template.yaml")).forEach((name, sql) ->
                queries.add(new Query(name, sql, List.of(), from, to)));
        return queries;
    }

    static String section(BenchStack data, Path projectRoot, String provenance, PrintStream out)
            throws IOException {
        BenchStack.Load loaded = data.load();
        S3ObjectStore objects = new S3ObjectStore(data.stack().s3());
        WarehouseMirror mirror = new WarehouseMirror(objects, BenchStack.BUCKET, data.work().resolve("bench-mirror"));
        DuckDbQueryEngine engine = new DuckDbQueryEngine(mirror);
        Map<LocalDate, Long> jsonBytesByDay = rawBytesByDay(objects);
        Path parquet = mirror.syncParquet(loaded.from(), loaded.to());
        List<Chunk> chunks = chunks(engine, parquet, loaded);
        Map<LocalDate, Long> fileBytesByDay = fileBytesByDay(parquet);
        List<Row> rows = new ArrayList<>();
        for (Query query : queries(projectRoot, loaded.from(), loaded.to())) {
            Row row = measure(engine, query, jsonBytesByDay, chunks, fileBytesByDay);
            out.printf(Locale.ROOT, "warehouse bench: %-26s JSON %7.2f MB, Parquet %6.3f MB, %.1fx, equal: %s%n",
                    query.name(), row.jsonBytes() / 1e6, row.parquetBytes() / 1e6, row.ratio(), row.equality());
            rows.add(row);
        }
        return markdown(rows, loaded, chunks, provenance);
    }

    static Row measure(DuckDbQueryEngine engine, Query query, Map<LocalDate, Long> jsonBytesByDay, List<Chunk> chunks,
                       Map<LocalDate, Long> fileBytesByDay) {
        QueryEngine.Window window = new QueryEngine.Window(query.from(), query.to());
        String onParquet = onParquet(query.sql());
        String plan = engine.query("EXPLAIN (FORMAT JSON) " + onParquet, query.parameters(), window).get(0)
                .get("explain_value");
        Set<String> columns = ScanColumns.fromPlan(plan, COLUMNS);
        Set<String> mentioned = ScanColumns.mentionedIn(query.sql(), COLUMNS);
        if (columns.isEmpty() || !mentioned.containsAll(columns)) {
            throw new IllegalStateException(query.name() + ": the plan reads " + columns + ", the SQL names "
                    + mentioned);
        }
        long json = sumOfDays(jsonBytesByDay, query.from(), query.to());
        long parquet = chunks.stream().filter(c -> inRange(c.day(), query.from(), query.to()))
                .filter(c -> columns.contains(c.column())).mapToLong(Chunk::compressedBytes).sum();
        List<Map<String, String>> onJson = engine.query(query.sql(), query.parameters(), window);
        List<Map<String, String>> onColumns = engine.query(onParquet, query.parameters(), window);
        return new Row(query, json, parquet, sumOfDays(fileBytesByDay, query.from(), query.to()), columns,
                onJson.size(), difference(onJson, onColumns));
    }

    /** The query on the Parquet table: the same SQL with `records` read as `records_parquet`. */
    static String onParquet(String sql) {
        Matcher m = FROM_RECORDS.matcher(sql);
        if (!m.find()) {
            throw new IllegalArgumentException("the query reads no `records`");
        }
        return m.replaceAll("$1 " + WarehouseLayout.PARQUET_TABLE);
    }

    /**
     * How far apart two answers are: 0 when every value is equal (numbers to 1e-9 relative: a sum of doubles may
     * differ in its last bits with the order rows are read in), else the largest relative difference of a number,
     * or infinity when the rows, columns or any text differ.
     */
    static double difference(List<Map<String, String>> a, List<Map<String, String>> b) {
        if (a.size() != b.size()) {
            return Double.POSITIVE_INFINITY;
        }
        double largest = 0;
        for (int i = 0; i < a.size(); i++) {
            Map<String, String> x = a.get(i);
            Map<String, String> y = b.get(i);
            if (!x.keySet().equals(y.keySet())) {
                return Double.POSITIVE_INFINITY;
            }
            for (String column : x.keySet()) {
                largest = Math.max(largest, difference(x.get(column), y.get(column)));
            }
        }
        return largest;
    }

    private static double difference(String x, String y) {
        if (x == null || y == null) {
            return x == y ? 0 : Double.POSITIVE_INFINITY;
        }
        if (x.equals(y)) {
            return 0;
        }
        try {
            double a = new BigDecimal(x).doubleValue();
            double b = new BigDecimal(y).doubleValue();
            double relative = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
            return relative <= 1e-9 ? 0 : relative;
        } catch (NumberFormatException e) {
            return Double.POSITIVE_INFINITY;
        }
    }

    /** The sizes of the raw objects per day: what Athena reads of a gzip JSON partition, whatever the query. */
    private static Map<LocalDate, Long> rawBytesByDay(ObjectStore objects) {
        Map<LocalDate, Long> bytes = new LinkedHashMap<>();
        for (ObjectStore.ObjectSummary object : objects.list(BenchStack.BUCKET, WarehouseLayout.RECORDS_PREFIX)) {
            Matcher m = DAY_FOLDER.matcher("/" + object.key());
            if (m.find() && object.key().endsWith(".json.gz")) {
                bytes.merge(LocalDate.parse(m.group(1)), object.size(), Long::sum);
            }
        }
        return bytes;
    }

    /** Every column chunk of the Parquet table's current files, from their footers. */
    private static List<Chunk> chunks(DuckDbQueryEngine engine, Path parquet, BenchStack.Load loaded) {
        String glob = parquet.toAbsolutePath().toString().replace("'", "''") + "/*/*.parquet";
        List<Chunk> chunks = new ArrayList<>();
        for (Map<String, String> row : engine.query("SELECT file_name, path_in_schema, total_compressed_size "
                + "FROM parquet_metadata('" + glob + "')", List.of(), new QueryEngine.Window(loaded.from(),
                loaded.to()))) {
            Matcher m = DAY_FOLDER.matcher(row.get("file_name"));
            if (!m.find()) {
                throw new IllegalStateException("a Parquet file outside a day folder: " + row.get("file_name"));
            }
            chunks.add(new Chunk(LocalDate.parse(m.group(1)), topLevel(row.get("path_in_schema")),
                    Long.parseLong(row.get("total_compressed_size"))));
        }
        return chunks;
    }

    /** A map or list column's chunks are its leaves ("tags, key_value, key"): they belong to the column. */
    static String topLevel(String pathInSchema) {
        int comma = pathInSchema.indexOf(',');
        return (comma < 0 ? pathInSchema : pathInSchema.substring(0, comma)).trim();
    }

    private static Map<LocalDate, Long> fileBytesByDay(Path parquet) {
        Map<LocalDate, Long> bytes = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(parquet)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".parquet")).toList()) {
                Matcher m = DAY_FOLDER.matcher(file.toString().replace('\\', '/'));
                if (m.find()) {
                    bytes.merge(LocalDate.parse(m.group(1)), Files.size(file), Long::sum);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes;
    }

    private static long sumOfDays(Map<LocalDate, Long> bytesByDay, LocalDate from, LocalDate to) {
        return bytesByDay.entrySet().stream().filter(e -> inRange(e.getKey(), from, to))
                .mapToLong(Map.Entry::getValue).sum();
    }

    private static boolean inRange(LocalDate day, LocalDate from, LocalDate to) {
        return !day.isBefore(from) && !day.isAfter(to);
    }

    private static String markdown(List<Row> rows, BenchStack.Load loaded, List<Chunk> chunks,
                                   String provenance) {
        long days = loaded.from().datesUntil(loaded.to().plusDays(1)).count();
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, """

                ## Warehouse: bytes a query scans, Parquet vs raw JSON

                %s

                On the data of the API section (%,d records over %d days, about %,d a day): the \
                raw table `records` (gzip JSON Lines, one object per upload and day) and `records_parquet`, written \
                by that recompute's compaction (one folder per day). Bytes as Athena bills them after partition \
                pruning: for gzip JSON the whole compressed objects of the days read; for Parquet the compressed \
                column chunks (`parquet_metadata()`'s `total_compressed_size`) of the columns the query reads, \
                which DuckDB's plan of the query on `records_parquet` lists (projections and pushed-down filters). \
                *Whole files* is every byte of those days' Parquet files, all columns and footers: what a scan \
                without column pruning would read. The recompute's SQL runs over its scheduled window (the last %d \
                days; retention over every day up to its end), the named queries over all days. *Equal*: the query \
                gives the same rows on both tables. Athena bills at least 10 MB per query, which at this size \
                hides the difference; the ratio is what holds as data grows.

                | query | days | JSON MB | Parquet MB | ratio | Parquet whole files MB | columns read | rows | equal | target |
                |---|---:|---:|---:|---:|---:|---|---:|---|---|
                """, provenance, loaded.records(), days, loaded.records() / days, LocalRunner.RECOMPUTE_DAYS));
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.3f | **%.1f** | %.3f | %s | %,d | %s | >= 5 |%n",
                    r.query().name(), r.query().from().datesUntil(r.query().to().plusDays(1)).count(),
                    r.jsonBytes() / 1e6, r.parquetBytes() / 1e6, r.ratio(), r.parquetFileBytes() / 1e6,
                    r.columns().size(), r.rows(), r.equality()));
        }
        md.append("\nCompressed bytes per column over all days, largest first: ");
        Map<String, Long> perColumn = new LinkedHashMap<>();
        chunks.stream().collect(Collectors.groupingBy(Chunk::column, Collectors.summingLong(Chunk::compressedBytes)))
                .entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> perColumn.put(e.getKey(), e.getValue()));
        md.append(perColumn.entrySet().stream().limit(12).map(e -> String.format(Locale.ROOT, "%s %.2f MB",
                e.getKey(), e.getValue() / 1e6)).collect(Collectors.joining(", "))).append(".\n");
        Set<String> unread = new TreeSet<>(COLUMNS);
        rows.forEach(r -> unread.removeAll(r.columns()));
        md.append("\nColumns no query reads: ").append(String.join(", ", unread)).append(".\n");
        return md.toString();
    }
}
