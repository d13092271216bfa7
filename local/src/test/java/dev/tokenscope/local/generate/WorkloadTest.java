package dev.tokenscope.local.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.catalog.ModelCatalog;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each planted truth is recovered from the generated requests by a simple computation over a modest sample. */
class WorkloadTest {

    private static final int RECORDS = 200_000;
    private static Workload workload;
    private static List<SyntheticRequest> requests;

    @BeforeAll
    static void generate() {
        workload = new Workload(WorkloadPlan.defaults(RECORDS, 42), ModelCatalog.builtIn());
        requests = new ArrayList<>();
        for (int w = 0; w < workload.plan().weeks(); w++) {
            workload.week(w).forEachRemaining(requests::add);
        }
    }

    private static double tokenShare(int fromWeek, int toWeek, Predicate<SyntheticRequest> part) {
        long all = 0;
        long matching = 0;
        for (SyntheticRequest r : requests) {
            if (r.week() >= fromWeek && r.week() < toWeek) {
                all += r.tokens();
                matching += part.test(r) ? r.tokens() : 0;
            }
        }
        return (double) matching / all;
    }

    private static double plannedMean(int fromWeek, int toWeek, java.util.function.IntToDoubleFunction truth) {
        double sum = 0;
        for (int w = fromWeek; w < toWeek; w++) {
            sum += truth.applyAsDouble(w);
        }
        return sum / (toWeek - fromWeek);
    }

    @Test
    void week_should_sumToTheRecordsAsked_when_splitByVolume() {
        long total = 0;
        for (int w = 0; w < workload.plan().weeks(); w++) {
            total += workload.recordsInWeek(w);
        }
        assertEquals(RECORDS, total);
        assertEquals(RECORDS, requests.size());
        assertTrue(workload.recordsInWeek(51) > 1.8 * workload.recordsInWeek(0), "traffic grows through the year");
    }

    @Test
    void programmingShare_should_followThePlan_when_firstAndLastFourWeeks() {
        WorkloadPlan plan = workload.plan();
        assertEquals(plannedMean(0, 4, plan::programmingShare),
                tokenShare(0, 4, r -> r.category().equals("programming")), 0.015);
        assertEquals(plannedMean(48, 52, plan::programmingShare),
                tokenShare(48, 52, r -> r.category().equals("programming")), 0.015);
    }

    @Test
    void chineseOpenShare_should_followThePlan_when_firstAndLastFourWeeks() {
        WorkloadPlan plan = workload.plan();
        assertEquals(plannedMean(0, 4, plan::chineseOpenShare), tokenShare(0, 4, r -> r.model().chineseOpen()),
                0.015);
        assertEquals(plannedMean(48, 52, plan::chineseOpenShare), tokenShare(48, 52, r -> r.model().chineseOpen()),
                0.015);
    }

    @Test
    void meanPromptLength_should_growFourfold_when_lastWeeksComparedWithFirst() {
        double first = requests.stream().filter(r -> r.week() < 4).mapToLong(SyntheticRequest::promptTokens)
                .average().orElseThrow();
        double last = requests.stream().filter(r -> r.week() >= 48).mapToLong(SyntheticRequest::promptTokens)
                .average().orElseThrow();
        double planned = plannedMean(48, 52, workload.plan()::meanPromptTokens)
                / plannedMean(0, 4, workload.plan()::meanPromptTokens);
        assertEquals(planned, last / first, planned * 0.10);
        assertTrue(last / first > 3.3, "about 4x: " + last / first);
    }

    @Test
    void reasoningShare_should_exceedHalf_when_lastFourWeeks() {
        double last = tokenShare(48, 52, r -> r.model().reasoning());
        assertTrue(last > 0.5, "reasoning share at the end " + last);
        assertTrue(tokenShare(0, 4, r -> r.model().reasoning()) < 0.15, "and small at the start");
    }

    @Test
    void toolCallShare_should_beFifteenPercent_when_wholeYear() {
        assertEquals(0.15, tokenShare(0, 52, SyntheticRequest::toolCalled), 0.015);
        assertTrue(requests.stream().allMatch(r -> !r.toolCalled() || r.toolsOffered() && !r.tools().isEmpty()));
        assertTrue(requests.stream().allMatch(r -> r.toolCalled() == r.finishReason().equals("tool_calls")));
    }

    @Test
    void elasticity_should_beTheOlsSlopeAcrossModels_when_effectivePriceFromCosts() {
        Map<String, long[]> tokens = new HashMap<>();
        Map<String, BigDecimal> cost = new HashMap<>();
        for (SyntheticRequest r : requests) {
            tokens.computeIfAbsent(r.model().slug(), k -> new long[1])[0] += r.tokens();
            cost.merge(r.model().slug(), r.costUsd(), BigDecimal::add);
        }
        double[] x = new double[tokens.size()];
        double[] y = new double[tokens.size()];
        int i = 0;
        for (String model : tokens.keySet()) {
            long t = tokens.get(model)[0];
            x[i] = Math.log(cost.get(model).doubleValue() / t * 1e6);
            y[i] = Math.log(t);
            i++;
        }
        assertEquals(15, tokens.size(), "every model is used");
        assertEquals(-0.06, Elasticity.ols(x, y), 0.03);
    }

    /** Share of a cohort's users active in each month after their first, from the requests alone. */
    private static double[] retention(int cohort) {
        Map<String, Integer> firstMonth = new HashMap<>();
        Map<Integer, Set<String>> activeByMonth = new HashMap<>();
        for (SyntheticRequest r : requests) {
            int month = workload.monthOf(r.timestamp());
            firstMonth.merge(r.userId(), month, Math::min);
            activeByMonth.computeIfAbsent(month, k -> new HashSet<>()).add(r.userId());
        }
        Set<String> members = new HashSet<>();
        firstMonth.forEach((user, month) -> {
            if (month == cohort) {
                members.add(user);
            }
        });
        double[] curve = new double[8];
        for (int k = 0; k < curve.length; k++) {
            Set<String> active = new HashSet<>(activeByMonth.getOrDefault(cohort + k, Set.of()));
            active.retainAll(members);
            curve[k] = (double) active.size() / members.size();
        }
        return curve;
    }

    @Test
    void retention_should_keepFortyPercentAtMonthFive_when_loyalCohort() {
        double[] curve = retention(workload.plan().loyalCohort());
        assertEquals(1.0, curve[0]);
        assertEquals(0.40, curve[5], 0.05);
    }

    @Test
    void retention_should_riseAgain_when_boomerangCohort() {
        double[] curve = retention(workload.plan().boomerangCohort());
        double low = Math.min(curve[2], curve[3]);
        assertTrue(curve[1] > low && curve[5] > low + 0.05, "falls then rises: " + java.util.Arrays.toString(curve));
    }

    @Test
    void week_should_giveTheSameRequests_when_sameSeed() {
        Workload again = new Workload(WorkloadPlan.defaults(RECORDS, 42), ModelCatalog.builtIn());
        Iterator<SyntheticRequest> a = workload.week(30);
        Iterator<SyntheticRequest> b = again.week(30);
        while (a.hasNext()) {
            assertEquals(a.next(), b.next());
        }
        assertTrue(!b.hasNext());
    }

    @Test
    void week_should_differ_when_otherSeed() {
        Workload other = new Workload(WorkloadPlan.defaults(RECORDS, 43), ModelCatalog.builtIn());
        assertTrue(!other.week(30).next().equals(workload.week(30).next()));
    }

    @Test
    void prompts_should_comeInEveryLanguage_when_enoughRequests() {
        Set<String> languages = new HashSet<>();
        requests.forEach(r -> languages.add(r.language()));
        assertEquals(Set.copyOf(Workload.LANGUAGES), languages);
        assertTrue(requests.stream().noneMatch(r -> r.prompt().contains("{") || r.prompt().isBlank()));
        assertEquals(0.829, tokenShare(0, 52, r -> r.language().equals("en")), 0.01);
    }
}
