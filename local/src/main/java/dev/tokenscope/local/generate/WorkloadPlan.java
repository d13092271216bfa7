package dev.tokenscope.local.generate;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The truths a synthetic workload plants, each a knob. Defaults are the report's published numbers
 * (../shared/reference/report-metrics.md); the curve methods are the truths themselves, so fidelity tests can
 * compare what tokenscope recovers with what was planted.
 *
 * @param records                  requests to generate over the whole span
 * @param seed                     the seed: same plan, same bytes
 * @param end                      the last day of the span (the span is the {@code weeks} weeks ending there)
 * @param weeks                    weeks in the span
 * @param volumeGrowth             requests in the last week over the first (traffic grows through the year)
 * @param programmingShareStart    programming's share of tokens in the first week ...
 * @param programmingShareEnd      ... and in the last; linear in between
 * @param programmingSizeFactor    how many times larger a programming request is than another (report: 3-4x)
 * @param chineseOpenShareStart    Chinese open-weight models' share of tokens, first week ...
 * @param chineseOpenShareEnd      ... and last
 * @param reasoningShareStart      reasoning models' share of tokens, first week ...
 * @param reasoningShareEnd        ... and last
 * @param promptTokensStart        mean prompt tokens per request, first week ...
 * @param promptTokensEnd          ... and last (report: ~1.5K to > 6K)
 * @param completionTokensStart    mean completion tokens per request, first week ...
 * @param completionTokensEnd      ... and last (report: ~150 to ~400)
 * @param toolCallShare            share of tokens in requests that ended in a tool call (report: ~15%)
 * @param elasticity               OLS slope of ln(tokens) on ln(effective price per 1M tokens) across models
 * @param usersPerCohort           users who first appear in each calendar month; 0 = scaled to the records
 * @param loyalCohort              the month (0 = the span's first calendar month) whose users stay
 * @param loyalRetention           activity retention of the loyal cohort, month 1, 2, ... after the first
 * @param boomerangCohort          the month whose users leave and come back
 * @param boomerangRetention       its activity retention, month 1, 2, ...
 * @param usualRetention           every other cohort's activity retention, month 1, 2, ...
 */
public record WorkloadPlan(long records, long seed, LocalDate end, int weeks, double volumeGrowth,
        double programmingShareStart, double programmingShareEnd, double programmingSizeFactor,
        double chineseOpenShareStart, double chineseOpenShareEnd, double reasoningShareStart,
        double reasoningShareEnd, double promptTokensStart, double promptTokensEnd, double completionTokensStart,
        double completionTokensEnd, double toolCallShare, double elasticity, int usersPerCohort, int loyalCohort,
        List<Double> loyalRetention, int boomerangCohort, List<Double> boomerangRetention,
        List<Double> usualRetention) {

    /** The report's window ends in late 2025; a fixed date keeps the default output the same on every run. */
    public static final LocalDate DEFAULT_END = LocalDate.of(2025, 11, 30);

    public WorkloadPlan {
        if (records < 0 || weeks < 1) {
            throw new IllegalArgumentException("records must be >= 0 and weeks >= 1");
        }
        for (double share : List.of(programmingShareStart, programmingShareEnd, chineseOpenShareStart,
                chineseOpenShareEnd, reasoningShareStart, reasoningShareEnd, toolCallShare)) {
            if (share < 0 || share > 1) {
                throw new IllegalArgumentException("shares must be between 0 and 1, got " + share);
            }
        }
        // The tool-call probability of a programming request is 1.5x the overall share; it must stay a probability.
        if (toolCallShare * 1.5 > 1) {
            throw new IllegalArgumentException("toolCallShare must be at most 0.66");
        }
        loyalRetention = List.copyOf(loyalRetention);
        boomerangRetention = List.copyOf(boomerangRetention);
        usualRetention = List.copyOf(usualRetention);
    }

    public static WorkloadPlan defaults(long records, long seed) {
        return new WorkloadPlan(records, seed, DEFAULT_END, 52, 2.0,
                0.11, 0.50, 3.5,
                0.012, 0.30,
                0.05, 0.58,
                1500, 6000, 150, 400,
                0.15, -0.06,
                0, 1, List.of(0.62, 0.52, 0.46, 0.43, 0.40, 0.39, 0.38, 0.37, 0.37, 0.36, 0.36),
                3, List.of(0.35, 0.22, 0.16, 0.24, 0.33, 0.30, 0.28, 0.27),
                List.of(0.30, 0.20, 0.15, 0.12, 0.10, 0.09, 0.08, 0.08, 0.07, 0.07, 0.07));
    }

    /** This plan with the named knobs changed: keys are the component names, values as in a properties file. */
    public WorkloadPlan with(Map<String, String> knobs) {
        Properties p = new Properties();
        p.putAll(knobs);
        for (String key : p.stringPropertyNames()) {
            if (!KNOBS.contains(key)) {
                throw new IllegalArgumentException("unknown knob '" + key + "'; known: " + String.join(", ", KNOBS));
            }
        }
        try {
            return new WorkloadPlan(lng(p, "records", records), lng(p, "seed", seed),
                    p.containsKey("end") ? LocalDate.parse(p.getProperty("end")) : end, (int) lng(p, "weeks", weeks),
                    dbl(p, "volumeGrowth", volumeGrowth), dbl(p, "programmingShareStart", programmingShareStart),
                    dbl(p, "programmingShareEnd", programmingShareEnd),
                    dbl(p, "programmingSizeFactor", programmingSizeFactor),
                    dbl(p, "chineseOpenShareStart", chineseOpenShareStart),
                    dbl(p, "chineseOpenShareEnd", chineseOpenShareEnd),
                    dbl(p, "reasoningShareStart", reasoningShareStart), dbl(p, "reasoningShareEnd", reasoningShareEnd),
                    dbl(p, "promptTokensStart", promptTokensStart), dbl(p, "promptTokensEnd", promptTokensEnd),
                    dbl(p, "completionTokensStart", completionTokensStart),
                    dbl(p, "completionTokensEnd", completionTokensEnd), dbl(p, "toolCallShare", toolCallShare),
                    dbl(p, "elasticity", elasticity), (int) lng(p, "usersPerCohort", usersPerCohort),
                    (int) lng(p, "loyalCohort", loyalCohort), list(p, "loyalRetention", loyalRetention),
                    (int) lng(p, "boomerangCohort", boomerangCohort),
                    list(p, "boomerangRetention", boomerangRetention), list(p, "usualRetention", usualRetention));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad knob value: " + e.getMessage(), e);
        }
    }

    private static final List<String> KNOBS = List.of("records", "seed", "end", "weeks", "volumeGrowth",
            "programmingShareStart", "programmingShareEnd", "programmingSizeFactor", "chineseOpenShareStart",
            "chineseOpenShareEnd", "reasoningShareStart", "reasoningShareEnd", "promptTokensStart", "promptTokensEnd",
            "completionTokensStart", "completionTokensEnd", "toolCallShare", "elasticity", "usersPerCohort",
            "loyalCohort", "loyalRetention", "boomerangCohort", "boomerangRetention", "usualRetention");

    private static long lng(Properties p, String key, long fallback) {
        return p.containsKey(key) ? Long.parseLong(p.getProperty(key).trim()) : fallback;
    }

    private static double dbl(Properties p, String key, double fallback) {
        return p.containsKey(key) ? Double.parseDouble(p.getProperty(key).trim()) : fallback;
    }

    private static List<Double> list(Properties p, String key, List<Double> fallback) {
        if (!p.containsKey(key)) {
            return fallback;
        }
        return java.util.Arrays.stream(p.getProperty(key).split(",")).map(String::trim).map(Double::valueOf).toList();
    }

    /** The first day of the span (a Monday when the end is a Sunday). */
    public LocalDate start() {
        return end.minusDays(7L * weeks - 1);
    }

    /** Where week {@code w} lies between the first week (0) and the last (1). */
    public double progress(int week) {
        return weeks == 1 ? 1 : (double) week / (weeks - 1);
    }

    private double linear(double from, double to, int week) {
        return from + (to - from) * progress(week);
    }

    /** Planted: programming's share of the week's tokens. */
    public double programmingShare(int week) {
        return linear(programmingShareStart, programmingShareEnd, week);
    }

    /** Planted: Chinese open-weight models' share of the week's tokens. */
    public double chineseOpenShare(int week) {
        return linear(chineseOpenShareStart, chineseOpenShareEnd, week);
    }

    /** Planted: reasoning models' share of the week's tokens. */
    public double reasoningShare(int week) {
        return linear(reasoningShareStart, reasoningShareEnd, week);
    }

    /** Planted: the week's mean prompt tokens per request. */
    public double meanPromptTokens(int week) {
        return linear(promptTokensStart, promptTokensEnd, week);
    }

    /** Planted: the week's mean completion tokens per request. */
    public double meanCompletionTokens(int week) {
        return linear(completionTokensStart, completionTokensEnd, week);
    }

    /** The week's share of all requests (traffic grows linearly to {@code volumeGrowth} times the first week). */
    public double volumeWeight(int week) {
        return linear(1, volumeGrowth, week);
    }

    /** Planted: activity retention of cohort {@code cohort}, {@code month} months after its first (month 0: 1). */
    public double retention(int cohort, int month) {
        if (month == 0) {
            return 1;
        }
        List<Double> curve = cohort == loyalCohort ? loyalRetention
                : cohort == boomerangCohort ? boomerangRetention : usualRetention;
        return curve.get(Math.min(month, curve.size()) - 1);
    }

    /** Users per cohort: enough that every active user makes requests each month at any size. */
    public int cohortSize() {
        return usersPerCohort > 0 ? usersPerCohort : (int) Math.max(20, Math.min(200_000, records / 2000));
    }
}
