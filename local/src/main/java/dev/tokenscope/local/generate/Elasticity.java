package dev.tokenscope.local.generate;

import java.util.List;

/**
 * Plants the price elasticity across models. The classes (Chinese open or not, reasoning or not) have year totals
 * fixed by the planted shares, which alone would tilt the slope; within each class tokens are split as price^f, and
 * f is solved so that the OLS slope of ln(year tokens) on ln(price) across all models is the plan's elasticity.
 */
final class Elasticity {

    private Elasticity() {
    }

    static int modelClass(WorkloadModel model) {
        return (model.chineseOpen() ? 2 : 0) + (model.reasoning() ? 1 : 0);
    }

    /** The share of all tokens that are prompt tokens over the year, at the plan's means. */
    static double promptFraction(WorkloadPlan plan) {
        double prompt = 0;
        double all = 0;
        for (int w = 0; w < plan.weeks(); w++) {
            prompt += plan.volumeWeight(w) * plan.meanPromptTokens(w);
            all += plan.volumeWeight(w) * (plan.meanPromptTokens(w) + plan.meanCompletionTokens(w));
        }
        return prompt / all;
    }

    /** The effective price per 1M tokens the elasticity is planted against. */
    static double price(WorkloadPlan plan, WorkloadModel model) {
        return model.blendedPricePerMillion(promptFraction(plan));
    }

    /** Expected year tokens of each class (in units of the first week's mean request). */
    static double[] classTotals(WorkloadPlan plan) {
        double[] totals = new double[4];
        for (int w = 0; w < plan.weeks(); w++) {
            double tokens = plan.volumeWeight(w) * (plan.meanPromptTokens(w) + plan.meanCompletionTokens(w));
            double c = plan.chineseOpenShare(w);
            double r = plan.reasoningShare(w);
            totals[0] += tokens * (1 - c) * (1 - r);
            totals[1] += tokens * (1 - c) * r;
            totals[2] += tokens * c * (1 - r);
            totals[3] += tokens * c * r;
        }
        return totals;
    }

    /** The OLS slope of ln(year tokens) on ln(price) when classes split their tokens as price^f. */
    static double slope(WorkloadPlan plan, List<WorkloadModel> models, double f) {
        double[] classTotals = classTotals(plan);
        double[] within = new double[4];
        for (WorkloadModel m : models) {
            within[modelClass(m)] += Math.pow(price(plan, m), f);
        }
        double[] x = new double[models.size()];
        double[] y = new double[models.size()];
        for (int i = 0; i < x.length; i++) {
            WorkloadModel m = models.get(i);
            x[i] = Math.log(price(plan, m));
            y[i] = Math.log(classTotals[modelClass(m)] * Math.pow(price(plan, m), f) / within[modelClass(m)]);
        }
        return ols(x, y);
    }

    static double ols(double[] x, double[] y) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i] / x.length;
            my += y[i] / y.length;
        }
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxy / sxx;
    }

    /** f such that the slope is the plan's elasticity, by bisection (the slope grows with f). */
    static double withinClassExponent(WorkloadPlan plan, List<WorkloadModel> models) {
        double low = -10;
        double high = 10;
        for (int i = 0; i < 200; i++) {
            double mid = (low + high) / 2;
            if (slope(plan, models, mid) < plan.elasticity()) {
                low = mid;
            } else {
                high = mid;
            }
        }
        double f = (low + high) / 2;
        if (Math.abs(slope(plan, models, f) - plan.elasticity()) > 1e-6) {
            throw new IllegalArgumentException("elasticity " + plan.elasticity() + " cannot be planted with these shares");
        }
        return f;
    }
}
