package dev.tokenscope.local;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.aggregate.Dimension;
import dev.tokenscope.aggregate.Granularity;
import dev.tokenscope.aggregate.Totals;
import dev.tokenscope.catalog.ModelCatalog;
import dev.tokenscope.figures.Figure;
import dev.tokenscope.figures.FigureService;
import dev.tokenscope.figures.FigureTable;
import dev.tokenscope.figures.PriceElasticity;
import dev.tokenscope.local.generate.GenerateCommand;
import dev.tokenscope.local.generate.SyntheticRequest;
import dev.tokenscope.local.generate.Workload;
import dev.tokenscope.local.generate.WorkloadPlan;
import dev.tokenscope.recompute.QueryEngine;
import dev.tokenscope.region.Continents;
import dev.tokenscope.store.DynamoRetentionSnapshots;
import dev.tokenscope.store.StoredRollup;
import dev.tokenscope.store.UploadStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Issue 7: the pipeline run on a generated year (docs/generate.md) gives back the truths the generator planted, online
 * and recomputed alike. Each figure is compared with the plan's curve averaged over the month the way the generator
 * weights it (requests per week x the week's mean tokens, by the days of the week in the month), and printed next to
 * what the generated requests themselves hold, so a gap can be told apart: sampling (drawn vs planted) or the
 * pipeline (recovered vs drawn; for categories and languages that is the classifier reading the prompt text).
 *
 * <p>Not part of the default `mvn verify`: it takes about eight minutes here, most of it dynalite writing the year's
 * 112,659 rollup items twice, 8 at a time: the ingest's deltas and the rebuild's items. Run it with
 * `mvn verify -Dtokenscope.fidelity=true`.
 */
@EnabledIfSystemProperty(named = "tokenscope.fidelity", matches = "true",
        disabledReason = "about 8 minutes on a 2-core machine: mvn verify -Dtokenscope.fidelity=true runs it")
class FidelityIT {

    /**
     * 200,000 records: the whole test took 500-570 s on the loaded 2-core machine (ingest 233 s, recompute 300 s),
     * over the 3 minutes wished for; with the rebuild's writes 8 at a time, 480-650 s under a heavier load (load
     * average 9-13; ingest 175-222 s, rebuild 218-275 s of which the writes ~140 s, the figures read 64-100 s),
     * against 1,150 s for the sequential writes under that load. Fewer
     * does not help enough and breaks the truths: at 50,000 it took 360 s (ingest 95 s, the year's recompute 239 s,
     * which hardly depends on N), and the draw alone moved shares past a point (reasoning December 5.6% for 6.8%,
     * Chinese open November 30.2% for 29.1%), the pipeline still recovering the drawn values exactly. The phases'
     * times are printed with the table.
     */
    private static final long RECORDS = 200_000;
    private static final long SEED = 7;
    private static final double SHARE_POINT = 0.01;

    @TempDir
    Path work;

    private final List<String> report = new ArrayList<>();
    private final List<Executable> checks = new ArrayList<>();

    @Test
    void pipeline_shouldRecoverEveryPlantedFigure_onlineAndRecomputedAlike_whenAGeneratedYearIsIngested()
            throws IOException {
        // given a generated year in the canonical format, delivered file by file to the online ingest
        WorkloadPlan plan = WorkloadPlan.defaults(RECORDS, SEED);
        Workload workload = new Workload(plan, ModelCatalog.builtIn());
        Path logs = work.resolve("logs");
        long generating = System.nanoTime();
        assertEquals(0, GenerateCommand.run(List.of("--records", Long.toString(RECORDS), "--seed", Long.toString(SEED),
                "--format", "canonical", "--out", logs.toString()), new PrintStream(new ByteArrayOutputStream()),
                System.err));
        LocalStack stack = TestStack.get();
        long started = System.nanoTime();
        String name = TestStack.freshName("fidelity");
        LocalFunctions online = LocalFunctions.wire(stack, name, name, work.resolve("online"), 7, Clock.systemUTC());
        try (Stream<Path> files = Files.list(logs)) {
            for (Path file : files.sorted().toList()) {
                deliver(stack, online, name, "logs/generated/" + file.getFileName(), Files.readAllBytes(file));
            }
        }
        long ingested = System.nanoTime();
        LocalDate from = plan.start();
        LocalDate to = plan.end();
        Drawn drawn = Drawn.of(workload);

        // when the figures are read online, and the rollups are rebuilt from the warehouse into a second table
        FigureService onlineFigures = new FigureService(online.table(),
                new DynamoRetentionSnapshots(stack.dynamo(), name, Clock.systemUTC()));
        long reading = System.nanoTime();
        Map<String, FigureTable> onlineTables = everyFigure(onlineFigures, from, to);
        long read = System.nanoTime() - reading;
        String rebuiltTable = TestStack.freshName("fidelity-rebuilt");
        LocalFunctions rebuild = LocalFunctions.wire(stack, name, rebuiltTable, work.resolve("rebuild"), 7,
                Clock.systemUTC());
        long rebuildStarted = System.nanoTime();
        rebuild.recomputeService().recompute(new QueryEngine.Window(from, to));
        long rebuilt = System.nanoTime();
        FigureService rebuiltFigures = new FigureService(rebuild.table(),
                new DynamoRetentionSnapshots(stack.dynamo(), rebuiltTable, Clock.systemUTC()));
        Map<String, FigureTable> rebuiltTables = everyFigure(rebuiltFigures, from, to);
        read += System.nanoTime() - rebuilt;

        // then online and recomputed are the same tables
        for (String figure : onlineTables.keySet()) {
            if (!figure.startsWith("retention/")) {
                checks.add(() -> assertEquals(onlineTables.get(figure), rebuiltTables.get(figure), figure));
                checks.add(() -> assertFalse(onlineTables.get(figure).rows().isEmpty(), figure));
            }
        }
        // and each planted truth is recovered
        YearMonth first = YearMonth.from(from);
        YearMonth last = YearMonth.from(to);
        FigureTable categories = onlineTables.get("categories/month");
        FigureTable openShare = onlineTables.get("open-share/month");
        FigureTable reasoning = onlineTables.get("reasoning/month");
        FigureTable shape = onlineTables.get("request-shape/month");
        for (YearMonth month : List.of(first, last)) {
            String period = month.atDay(1).toString();
            share("programming share " + month, expectedTokenShare(workload, month, plan::programmingShare),
                    drawn.share(month, r -> r.category().equals("programming")),
                    value(categories, categories.row("period", period, "scope", "all", "category", "programming"),
                            "share"));
            share("chinese open share " + month, expectedTokenShare(workload, month, plan::chineseOpenShare),
                    drawn.share(month, r -> r.model().chineseOpen()),
                    value(openShare, openShare.row("period", period, "weights", "open", "origin", "china"), "share"));
            share("reasoning share " + month, expectedTokenShare(workload, month, plan::reasoningShare),
                    drawn.share(month, r -> r.model().reasoning()),
                    value(reasoning, reasoning.row("period", period), "reasoning_model_share"));
            double meanPrompt = expectedMeanPrompt(workload, month);
            double recoveredPrompt = value(shape, shape.row("period", period, "category", "all"), "prompt_mean");
            report("mean prompt tokens " + month, meanPrompt, drawn.meanPrompt(month), recoveredPrompt);
            checks.add(() -> assertEquals(meanPrompt, recoveredPrompt, meanPrompt * 0.05, "mean prompt " + month));
        }

        FigureTable toolCalls = onlineFigures.table(Figure.TOOL_CALLS, from, to, Granularity.MONTH);
        share("tool-call token share, year", plan.toolCallShare(), drawn.yearShare(SyntheticRequest::toolCalled),
                yearRatio(toolCalls, "tool_call_tokens", "tokens"));

        Map<String, Double> plantedLanguages = plantedLanguages();
        FigureTable languages = onlineTables.get("languages/month");
        plantedLanguages.forEach((language, planted) -> share("language " + language + ", year", planted,
                drawn.yearShare(r -> r.language().equals(language)),
                yearShare(languages.rows(), languages, "language", language)));

        FigureTable regions = onlineTables.get("regions/month");
        // Country is planted per user, and the year has only 12 cohorts of users, weighted by how long they stay:
        // the drawn continent mix is off the planted one by up to 2 points at 200,000 records (Asia 26.7% for
        // 28.6%, Europe 23.2% for 21.3%) and more with fewer users. That is the sample, not the pipeline, so the
        // pipeline is held to the drawn mix, and the planted one is only printed.
        plantedContinents().forEach((continent, planted) -> {
            String truth = "continent " + continent + ", year";
            double drawnShare = drawn.yearShare(r -> Continents.of(r.country()).orElse("?").equals(continent));
            double recovered = yearShare(regions.rowsWhere("level", "continent"), regions, "region", continent);
            report(truth, planted, drawnShare, recovered);
            checks.add(() -> assertEquals(drawnShare, recovered, 1e-9, truth + " (drawn)"));
        });

        PriceElasticity year = PriceElasticity.of(yearTotalsByModel(online, from, to));
        PriceElasticity.Estimate fit = year.estimate().orElseThrow();
        report.add(String.format(Locale.ROOT, "%-34s %10.4f %10s %10.4f  95%% CI [%.4f, %.4f], n = %d",
                "price elasticity, year (OLS)", plan.elasticity(), "", fit.slope(), fit.ciLow(), fit.ciHigh(),
                year.models()));
        checks.add(() -> assertTrue(fit.ciLow() <= plan.elasticity() && plan.elasticity() <= fit.ciHigh(),
                "elasticity " + plan.elasticity() + " outside [" + fit.ciLow() + ", " + fit.ciHigh() + "]"));

        retention(plan, rebuiltFigures, from, to);

        report.add(ingestPhases(online));
        report.add(String.format(Locale.ROOT,
                "N = %d; generate %.0f s, ingest %.0f s, rebuild %.0f s, figures read %.0f s, whole test %.0f s",
                RECORDS, (started - generating) / 1e9, (ingested - started) / 1e9, (rebuilt - rebuildStarted) / 1e9,
                read / 1e9, (System.nanoTime() - generating) / 1e9));
        System.out.println(String.format(Locale.ROOT, "%-34s %10s %10s %10s", "truth", "planted", "drawn",
                "recovered"));
        report.forEach(System.out::println);
        assertAll(checks);
    }

    // --- retention ---

    /** The most used model's loyal and boomerang cohorts, from the snapshot the recompute published. */
    private void retention(WorkloadPlan plan, FigureService figures, LocalDate from, LocalDate to) {
        FigureTable t = figures.table(Figure.RETENTION, from, to, Granularity.MONTH);
        YearMonth loyal = YearMonth.from(from).plusMonths(plan.loyalCohort());
        YearMonth boomerang = YearMonth.from(from).plusMonths(plan.boomerangCohort());
        // Users belong to a cohort per model: the model every active user of the month is most sure to use.
        String model = t.rowsWhere("cohort", loyal.toString(), "k", "0").stream()
                .max(java.util.Comparator.comparingLong(r -> (Long) t.value(r, "users")))
                .map(r -> (String) t.value(r, "model")).orElseThrow();
        List<Object> loyalMonth5 = t.row("model", model, "cohort", loyal.toString(), "k", "5");
        double recovered = (double) t.value(loyalMonth5, "retention");
        double planted = plan.retention(plan.loyalCohort(), 5);
        report("loyal cohort " + loyal + " at month 5", planted, Double.NaN, recovered);
        report.add("  (" + model + ", " + t.value(loyalMonth5, "users") + " users)");
        // Exactly round(0.40 x cohort) users are planted active; 2 points allows one or two who skip the model.
        checks.add(() -> assertEquals(planted, recovered, 0.02, "loyal retention at month 5"));
        boolean flagged = (boolean) t.value(t.row("model", model, "cohort", boomerang.toString(), "k", "0"),
                "boomerang");
        boolean loyalFlagged = (boolean) t.value(t.row("model", model, "cohort", loyal.toString(), "k", "0"),
                "boomerang");
        report.add("boomerang cohort " + boomerang + " flagged: " + flagged + "; loyal cohort flagged: " + loyalFlagged);
        checks.add(() -> assertTrue(flagged, "boomerang cohort " + boomerang + " not flagged"));
        checks.add(() -> assertFalse(loyalFlagged, "loyal cohort " + loyal + " flagged as a boomerang"));
    }

    // --- the plan's truths, weighted as the generator weights them ---

    /** The weekly curve averaged over the month's days, each week weighted by its tokens (requests x mean size). */
    private static double expectedTokenShare(Workload workload, YearMonth month, IntToDouble curve) {
        WorkloadPlan plan = workload.plan();
        return weightedOverMonth(workload, month, curve,
                w -> plan.meanPromptTokens(w) + plan.meanCompletionTokens(w));
    }

    /** The mean prompt of the month's requests: the weekly means weighted by the week's requests in the month. */
    private static double expectedMeanPrompt(Workload workload, YearMonth month) {
        return weightedOverMonth(workload, month, workload.plan()::meanPromptTokens, w -> 1);
    }

    private static double weightedOverMonth(Workload workload, YearMonth month, IntToDouble curve,
                                            IntToDouble sizePerRequest) {
        double sum = 0;
        double weights = 0;
        for (int w = 0; w < workload.plan().weeks(); w++) {
            LocalDate monday = workload.weekStart(w).atZone(ZoneOffset.UTC).toLocalDate();
            int daysInMonth = 0;
            for (int d = 0; d < 7; d++) {
                daysInMonth += YearMonth.from(monday.plusDays(d)).equals(month) ? 1 : 0;
            }
            // Timestamps are uniform over the week, so a week puts daysInMonth / 7 of its requests in the month.
            double weight = workload.recordsInWeek(w) * daysInMonth / 7.0 * sizePerRequest.at(w);
            sum += curve.at(w) * weight;
            weights += weight;
        }
        return sum / weights;
    }

    @FunctionalInterface
    private interface IntToDouble {
        double at(int week);
    }

    /** Workload's language mix, by share of tokens (docs/generate.md). */
    private static Map<String, Double> plantedLanguages() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("en", 0.829);
        m.put("zh", 0.05);
        m.put("ru", 0.025);
        m.put("es", 0.014);
        m.put("th", 0.01);
        m.put("de", 0.024);
        m.put("fr", 0.024);
        m.put("ja", 0.024);
        return m;
    }

    /** Workload's country mix summed by continent, as shares of users (docs/generate.md). */
    private static Map<String, Double> plantedContinents() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(Continents.NORTH_AMERICA, 0.472);
        m.put(Continents.ASIA, 0.286);
        m.put(Continents.EUROPE, 0.213);
        m.put(Continents.SOUTH_AMERICA, 0.012);
        m.put(Continents.OCEANIA, 0.012);
        m.put(Continents.AFRICA, 0.005);
        return m;
    }

    // --- what the generated requests hold (the generator's draw, before the pipeline) ---

    private record Drawn(List<SyntheticRequest> requests) {

        static Drawn of(Workload workload) {
            List<SyntheticRequest> all = new ArrayList<>();
            for (int w = 0; w < workload.plan().weeks(); w++) {
                for (Iterator<SyntheticRequest> it = workload.week(w); it.hasNext(); ) {
                    all.add(it.next());
                }
            }
            return new Drawn(all);
        }

        double share(YearMonth month, java.util.function.Predicate<SyntheticRequest> part) {
            return share(requests.stream().filter(r -> YearMonth.from(r.timestamp().atZone(ZoneOffset.UTC))
                    .equals(month)).toList(), part);
        }

        double yearShare(java.util.function.Predicate<SyntheticRequest> part) {
            return share(requests, part);
        }

        double meanPrompt(YearMonth month) {
            return requests.stream().filter(r -> YearMonth.from(r.timestamp().atZone(ZoneOffset.UTC)).equals(month))
                    .mapToLong(SyntheticRequest::promptTokens).average().orElseThrow();
        }

        private static double share(List<SyntheticRequest> rs, java.util.function.Predicate<SyntheticRequest> part) {
            long all = rs.stream().mapToLong(SyntheticRequest::tokens).sum();
            return (double) rs.stream().filter(part).mapToLong(SyntheticRequest::tokens).sum() / all;
        }
    }

    // --- helpers ---

    private void share(String truth, double planted, double drawn, double recovered) {
        report(truth, planted, drawn, recovered);
        checks.add(() -> assertEquals(planted, recovered, SHARE_POINT, truth));
    }

    private void report(String truth, double planted, double drawn, double recovered) {
        report.add(String.format(Locale.ROOT, "%-34s %10.4f %10.4f %10.4f", truth, planted, drawn, recovered));
    }

    private static double value(FigureTable t, List<Object> row, String column) {
        return ((Number) t.value(row, column)).doubleValue();
    }

    /** A per-period tokens column summed over the year over the summed denominator column. */
    private static double yearRatio(FigureTable t, String partColumn, String wholeColumn) {
        double part = t.rows().stream().mapToDouble(r -> value(t, r, partColumn)).sum();
        double whole = t.rows().stream().mapToDouble(r -> value(t, r, wholeColumn)).sum();
        return part / whole;
    }

    private static double yearShare(List<List<Object>> rows, FigureTable t, String column, String value) {
        // A language's share includes its variants (zh: zh-Hans and zh-Hant).
        double part = rows.stream().filter(r -> value.equals(t.value(r, column))
                        || String.valueOf(t.value(r, column)).startsWith(value + "-"))
                .mapToDouble(r -> value(t, r, "tokens")).sum();
        double whole = rows.stream().mapToDouble(r -> value(t, r, "tokens")).sum();
        return part / whole;
    }

    /** Each model's totals over the whole year, summed from the daily rollups, for one elasticity fit of the year. */
    private static Map<String, Totals> yearTotalsByModel(LocalFunctions functions, LocalDate from, LocalDate to) {
        Map<String, Totals> byModel = new TreeMap<>();
        for (StoredRollup rollup : functions.table().query(Dimension.MODEL.id(), from, to)) {
            byModel.merge(rollup.key().value(), rollup.totals(), Totals::plus);
        }
        return byModel;
    }

    /** Where the ingest's time went, summed over the uploads from their statuses. */
    private static String ingestPhases(LocalFunctions functions) {
        List<UploadStatus> uploads = functions.table().recent(Integer.MAX_VALUE);
        Map<String, Long> ms = new TreeMap<>();
        uploads.forEach(u -> u.timingsMs().forEach((phase, t) -> ms.merge(phase, t, Long::sum)));
        return String.format(Locale.ROOT, "ingest: %d uploads, %d rollup writes; %s", uploads.size(),
                uploads.stream().mapToLong(UploadStatus::rollupWrites).sum(), ms.entrySet().stream()
                        .map(e -> String.format(Locale.ROOT, "%s %.0f s", e.getKey(), e.getValue() / 1e3))
                        .collect(java.util.stream.Collectors.joining(", ")));
    }

    private static Map<String, FigureTable> everyFigure(FigureService figures, LocalDate from, LocalDate to) {
        Map<String, FigureTable> tables = new LinkedHashMap<>();
        for (Figure figure : Figure.values()) {
            for (Granularity granularity : List.of(Granularity.WEEK, Granularity.MONTH)) {
                tables.put(figure.id() + "/" + granularity.name().toLowerCase(Locale.ROOT),
                        figures.table(figure, from, to, granularity));
            }
        }
        return tables;
    }

    private static void deliver(LocalStack stack, LocalFunctions functions, String bucket, String key, byte[] body) {
        String etag = stack.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body)).eTag()
                .replace("\"", "");
        functions.ingest().handleRequest(LocalEvents.objectCreated(bucket, key, body.length, etag, "0001"), null);
    }
}
