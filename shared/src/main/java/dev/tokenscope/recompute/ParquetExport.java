package dev.tokenscope.recompute;

import dev.tokenscope.store.WarehouseLayout;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The engine port that writes the records of some days as Parquet: Athena's UNLOAD on AWS, DuckDB's COPY locally.
 * Both read the `records` table with {@link #SELECT_SQL} and write Hive-style folders, so a day's files end up
 * under {@code <prefix>day=YYYY-MM-DD/} either way.
 */
public interface ParquetExport {

    /**
     * The Parquet codec of both engines. Athena bills the compressed bytes of the column chunks a query reads:
     * ZSTD (level 3, both engines' default) writes this table's columns about 40% smaller than Snappy, and
     * Athena engine 3 reads and UNLOADs it.
     */
    String COMPRESSION = "ZSTD";

    /**
     * Writes the rows of these days of `records` under {@code s3://<bucket>/<prefix>day=<day>/}. A day without
     * rows gets no folder. The prefix must be new: files already under it would be read as part of the day.
     */
    void exportParquet(List<LocalDate> days, String bucket, String prefix);

    /** The rows to export, every column in table order and the partition column last, days bound as parameters. */
    static String selectSql(int days) {
        String columns = WarehouseLayout.COLUMNS.stream().map(WarehouseLayout.Column::name)
                .collect(Collectors.joining(", "));
        return "SELECT " + columns + ", " + WarehouseLayout.PARTITION_COLUMN + " FROM records WHERE "
                + WarehouseLayout.PARTITION_COLUMN + " IN (" + String.join(", ", Collections.nCopies(days, "?")) + ")";
    }
}
