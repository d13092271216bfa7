package dev.tokenscope.recompute;

import dev.tokenscope.ingest.CanonicalFields;
import dev.tokenscope.store.WarehouseLayout;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.GetQueryResultsRequest;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.Row;

/**
 * QueryEngine on Amazon Athena: StartQueryExecution with execution parameters in the workgroup, polling with
 * backoff, then every page of GetQueryResults. Also the ParquetExport, through UNLOAD, and the runner of the
 * partition DDL (AthenaDdlPartitionCatalog).
 */
public final class AthenaQueryEngine implements QueryEngine, ParquetExport {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    static final int UNLOAD_PARTITIONS = 100;

    private final AthenaClient athena;
    private final String workgroup;
    private final String database;

    public AthenaQueryEngine(AthenaClient athena, String workgroup, String database) {
        this.athena = athena;
        this.workgroup = workgroup;
        this.database = database;
    }

    @Override
    public List<Map<String, String>> query(String sql, List<String> parameters, Window window) {
        String id = run(sql, parameters);
        List<Map<String, String>> rows = new ArrayList<>();
        List<String> columns = null;
        boolean header = true;
        for (GetQueryResultsResponse page : athena.getQueryResultsPaginator(
                GetQueryResultsRequest.builder().queryExecutionId(id).build())) {
            if (columns == null) {
                columns = page.resultSet().resultSetMetadata().columnInfo().stream().map(ColumnInfo::name).toList();
            }
            for (Row row : page.resultSet().rows()) {
                if (header) {
                    // The first row of a SELECT's results repeats the column names.
                    header = false;
                    continue;
                }
                Map<String, String> values = new LinkedHashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    values.put(columns.get(i), row.data().get(i).varCharValue());
                }
                rows.add(values);
            }
        }
        return rows;
    }

    /**
     * UNLOAD, at most {@link #UNLOAD_PARTITIONS} days per statement (Athena's limit of partitions an UNLOAD may
     * write). The days are execution parameters, which UNLOAD takes like a SELECT (it can be a prepared
     * statement); the TO location cannot be one, and is built from the bucket and our own prefix.
     */
    @Override
    public void exportParquet(List<LocalDate> days, String bucket, String prefix) {
        for (int from = 0; from < days.size(); from += UNLOAD_PARTITIONS) {
            List<LocalDate> chunk = days.subList(from, Math.min(days.size(), from + UNLOAD_PARTITIONS));
            // Each UNLOAD writes other days' folders under the same prefix, which Athena allows when it writes
            // partitions (otherwise it wants an empty location).
            run(unloadSql(chunk.size(), bucket, prefix), chunk.stream().map(LocalDate::toString).toList());
        }
    }

    /** Runs a statement that takes no parameters and whose results nobody reads (DDL); returns once it succeeded. */
    public void execute(String statement) {
        run(statement, List.of());
    }

    /**
     * The days are parameters; the bucket and prefix are text, so each must be what we write ourselves: a bucket
     * name as S3 allows it and one of our Parquet run folders. Anything else is refused before Athena sees it.
     */
    static String unloadSql(int days, String bucket, String prefix) {
        requireBucketName(bucket);
        if (!WarehouseLayout.PARQUET_RUN_FOLDER.matcher(prefix).matches()) {
            throw new IllegalArgumentException("not a Parquet run folder: " + shown(prefix));
        }
        return "UNLOAD (" + ParquetExport.selectSql(days) + ")\nTO " + literal("s3://" + bucket + "/" + prefix)
                + "\nWITH (format = 'PARQUET', compression = '" + ParquetExport.COMPRESSION + "', partitioned_by = ARRAY['"
                + WarehouseLayout.PARTITION_COLUMN + "'])";
    }

    /** Starts a statement with its parameters bound and waits until it succeeded; returns its execution id. */
    private String run(String sql, List<String> parameters) {
        List<String> literals = parameters.stream().map(AthenaQueryEngine::literal).toList();
        String id = athena.startQueryExecution(b -> b
                .queryString(sql)
                .workGroup(workgroup)
                .queryExecutionContext(c -> c.database(database))
                .executionParameters(literals.isEmpty() ? null : literals)).queryExecutionId();
        waitFor(id);
        return id;
    }

    private void waitFor(String id) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        long sleep = 200;
        while (true) {
            var status = athena.getQueryExecution(b -> b.queryExecutionId(id)).queryExecution().status();
            QueryExecutionState state = status.state();
            if (state == QueryExecutionState.SUCCEEDED) {
                return;
            }
            if (state == QueryExecutionState.FAILED || state == QueryExecutionState.CANCELLED) {
                throw new IllegalStateException("Athena query " + id + " " + state + ": "
                        + status.stateChangeReason());
            }
            if (System.nanoTime() > deadline) {
                athena.stopQueryExecution(b -> b.queryExecutionId(id));
                throw new IllegalStateException("Athena query " + id + " did not finish in " + TIMEOUT);
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Athena query " + id, e);
            }
            sleep = Math.min(sleep * 2, 2000);
        }
    }

    static void requireBucketName(String bucket) {
        if (!WarehouseLayout.BUCKET_NAME.matcher(bucket).matches()) {
            throw new IllegalArgumentException("not an S3 bucket name: " + shown(bucket));
        }
    }

    /** A refused value in a message: quoted, its control characters escaped (the message reaches the logs). */
    static String shown(String value) {
        return "'" + CanonicalFields.escapeControls(value.length() <= 200 ? value : value.substring(0, 197) + "...")
                + "'";
    }

    /** Athena execution parameters are SQL literals: strings are quoted, quotes doubled. */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
