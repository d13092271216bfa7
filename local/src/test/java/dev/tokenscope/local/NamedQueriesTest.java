package dev.tokenscope.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.ingest.IngestService;
import dev.tokenscope.recompute.QueryEngine;
import dev.tokenscope.testing.InMemoryObjectStore;
import dev.tokenscope.testing.InMemoryRollupStore;
import dev.tokenscope.testing.InMemoryStatusStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every figure's Athena named query in template.yaml runs unchanged on DuckDB (through the same view and shim as
 * the recompute) over ingested demo traffic of two months, and gives rows that make sense.
 */
class NamedQueriesTest {

    private static final String BUCKET = "tokenscope-test";
    private static final LocalDate FROM = LocalDate.of(2026, 9, 20);
    private static final LocalDate TO = LocalDate.of(2026, 10, 10);

    @TempDir
    static Path work;

    private static DuckDbQueryEngine engine;

    @BeforeAll
    static void ingestTwoMonthsOfDemoTraffic() throws Exception {
        InMemoryObjectStore objects = new InMemoryObjectStore();
        IngestService ingest = new IngestService(objects, new InMemoryRollupStore(), new InMemoryStatusStore(),
                BUCKET, java.nio.file.Files.createDirectories(work.resolve("scratch")), Clock.systemUTC());
        for (LocalDate day = FROM; !day.isAfter(TO); day = day.plusDays(1)) {
            String key = "logs/demo/" + day + ".jsonl.gz";
            objects.put(BUCKET, key, DemoLogs.day(day, 60, 7), "application/gzip");
            ingest.ingest(new IngestService.Upload(BUCKET, key, Optional.empty(), Optional.empty()));
        }
        engine = new DuckDbQueryEngine(new WarehouseMirror(objects, BUCKET, work.resolve("mirror")));
    }

    /** Each AWS::Athena::NamedQuery of the template: resource name -> SQL. */
    static Stream<String> namedQueries() {
        return queries().keySet().stream();
    }

    private static Map<String, String> queries() {
        return CloudFormationYaml.namedQueries(TestStack.projectRoot().resolve("template.yaml"));
    }

    private static List<Map<String, String>> run(String name) {
        return engine.query(queries().get(name), List.of(), new QueryEngine.Window(FROM, TO));
    }

    @Test
    void template_shouldHaveANamedQueryForEveryFigure_whenRead() {
        assertEquals(12, queries().size(), queries().keySet().toString());
    }

    @ParameterizedTest
    @MethodSource("namedQueries")
    void namedQuery_shouldRunOnDuckDbAndGiveRows_whenTheWarehouseHasTraffic(String name) {
        // when
        List<Map<String, String>> rows = run(name);

        // then
        assertFalse(rows.isEmpty(), name + " gave no rows");
    }

    @Test
    void shares_shouldAddUpToOnePerMonth_whenCategoriesOpennessAndSizesAreSplit() {
        for (String name : List.of("FigureCategoryShare", "FigureOpenByOrigin", "FigureSizeBuckets")) {
            Map<String, Double> byMonth = new HashMap<>();
            for (Map<String, String> row : run(name)) {
                byMonth.merge(row.get("month"), Double.parseDouble(row.get("share")), Double::sum);
            }
            assertEquals(2, byMonth.size(), name);
            byMonth.values().forEach(sum -> assertEquals(1.0, sum, 1e-9, name));
        }
    }

    @Test
    void concentrationAndCohorts_shouldStayInRange_whenComputed() {
        for (Map<String, String> row : run("FigureOpenConcentration")) {
            double top = Double.parseDouble(row.get("top_model_share"));
            double top5 = Double.parseDouble(row.get("top5_share"));
            double hhi = Double.parseDouble(row.get("hhi"));
            assertTrue(top > 0 && top <= top5 && top5 <= 1 + 1e-9, row.toString());
            // the HHI lies between the top share squared and the top share
            assertTrue(hhi >= top * top - 1e-9 && hhi <= top + 1e-9, row.toString());
        }
        List<Map<String, String>> cohorts = run("FigureRetentionCohorts");
        List<String> problems = new ArrayList<>();
        for (Map<String, String> row : cohorts) {
            double retained = Double.parseDouble(row.get("retained"));
            if (row.get("k").equals("0") ? retained != 1.0 : retained < 0 || retained > 1) {
                problems.add(row.toString());
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(cohorts.stream().anyMatch(r -> r.get("k").equals("1")), "no month-1 retention in two months");
    }
}
