package dev.tokenscope.testing;

import dev.tokenscope.recompute.QueryEngine;
import dev.tokenscope.recompute.SqlFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A QueryEngine that answers the rollup query with rows given by the test (text values, as Athena returns them),
 * the request-shape and retention queries with their own rows (none unless given), and records calls.
 */
public final class FakeQueryEngine implements QueryEngine {

    /** One query as the engine received it. */
    public record Call(String sql, List<String> parameters, Window window) {
    }

    private static final String SHAPE_SQL = SqlFiles.load("request_shape_day.sql");
    private static final String RETENTION_SQL = SqlFiles.load("retention_cohorts.sql");
    private static final String IDENTITY_SQL = SqlFiles.load("retention_identity.sql");

    private final Function<Window, List<Map<String, String>>> answer;
    private List<Map<String, String>> shapeRows = List.of();
    private List<Map<String, String>> retentionRows = List.of();
    private List<Map<String, String>> identityRows = List.of();
    private final List<Call> calls = new ArrayList<>();

    public FakeQueryEngine(List<Map<String, String>> rows) {
        this(window -> rows);
    }

    public FakeQueryEngine(Function<Window, List<Map<String, String>>> answer) {
        this.answer = answer;
    }

    @Override
    public List<Map<String, String>> query(String sql, List<String> parameters, Window window) {
        calls.add(new Call(sql, List.copyOf(parameters), window));
        if (sql.equals(SHAPE_SQL)) {
            return shapeRows;
        }
        if (sql.equals(RETENTION_SQL)) {
            return retentionRows;
        }
        if (sql.equals(IDENTITY_SQL)) {
            return identityRows;
        }
        return answer.apply(window);
    }

    /** Rows the request-shape query answers with: day, category, bucket ("p17"), requests. */
    public FakeQueryEngine withShapeRows(List<Map<String, String>> rows) {
        this.shapeRows = List.copyOf(rows);
        return this;
    }

    /** Rows the retention queries answer with: cohort rows (model, cohort, k, users) and the identity row. */
    public FakeQueryEngine withRetentionRows(List<Map<String, String>> cohorts, Map<String, String> identity) {
        this.retentionRows = List.copyOf(cohorts);
        this.identityRows = List.of(identity);
        return this;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }
}
