package dev.tokenscope.recompute;

import java.time.Duration;
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
 * backoff, then every page of GetQueryResults.
 */
public final class AthenaQueryEngine implements QueryEngine {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);

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
        List<String> literals = parameters.stream().map(AthenaQueryEngine::literal).toList();
        String id = athena.startQueryExecution(b -> b
                .queryString(sql)
                .workGroup(workgroup)
                .queryExecutionContext(c -> c.database(database))
                .executionParameters(literals.isEmpty() ? null : literals)).queryExecutionId();
        waitFor(id);
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

    /** Athena execution parameters are SQL literals: strings are quoted, quotes doubled. */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
