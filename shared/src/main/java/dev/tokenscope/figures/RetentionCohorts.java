package dev.tokenscope.figures;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Figure 10, retention cohorts per model: the users whose first request to a model fell in a month, and the share
 * of them active in each month after ("activity retention": a user who skips months and comes back counts again,
 * so a curve can rise).
 *
 * <p>A user is the identity the log gives: {@code user_id} (the user, API key or end user the log names), else
 * {@code account_id}; requests with neither are in no cohort, and {@link IdentityBasis} says how many of each
 * there were. Choices where the report is silent: a cohort is a <em>boomerang</em> when, from month 2 on, its
 * retention rises at least {@value #BOOMERANG_RISE} (5 percentage points) and at least
 * {@value #BOOMERANG_USERS} users above the lowest it reached in an earlier month (month 1 onwards); the last month
 * is partial when the data ends before the month does, and is counted as it stands.
 *
 * @param through  the last day of data the cohorts see
 * @param identity how users were identified
 * @param models   each model's cohorts, models in name order
 */
public record RetentionCohorts(LocalDate through, IdentityBasis identity, List<ModelCohorts> models) {

    public static final double BOOMERANG_RISE = 0.05;
    public static final int BOOMERANG_USERS = 2;

    /**
     * How the users were identified.
     *
     * @param userIds           distinct identities taken from user_id
     * @param accountIds        distinct identities taken from account_id (records without a user_id)
     * @param requestsWithoutId requests with neither, which are in no cohort
     */
    public record IdentityBasis(long userIds, long accountIds, long requestsWithoutId) {

        /** What a user is here, in words, for the figure's reader. */
        public String describe() {
            if (userIds > 0 && accountIds > 0) {
                return "user_id where the log has one (user, API key or end user), else account_id";
            }
            if (accountIds > 0) {
                return "account_id (the logs name no user)";
            }
            return "user_id (the user, API key or end user the log names)";
        }
    }

    /** One model's cohorts, oldest first. */
    public record ModelCohorts(String model, List<Cohort> cohorts) {
        public ModelCohorts {
            cohorts = List.copyOf(cohorts);
        }
    }

    /**
     * One cohort.
     *
     * @param month     the month of the users' first request to the model
     * @param users     how many users the cohort has (active in month 0 by definition)
     * @param active    users active in month k after the first, k = 0 .. the last month of data
     * @param boomerang whether its retention rose again after falling (see the class comment)
     */
    public record Cohort(YearMonth month, long users, List<Long> active, boolean boomerang) {
        public Cohort {
            active = List.copyOf(active);
        }

        /** Share of the cohort active in month k, 0..1. */
        public double retention(int k) {
            return users == 0 ? 0 : (double) active.get(k) / users;
        }
    }

    /** One row of the cohort query: users of a model's cohort active k months after their first. */
    public record ActivityRow(String model, YearMonth cohort, int k, long users) {
    }

    public RetentionCohorts {
        models = List.copyOf(models);
    }

    /** True when the data ends before the last day of its month, so the last month of every curve is partial. */
    public boolean lastMonthPartial() {
        return !through.equals(through.withDayOfMonth(through.lengthOfMonth()));
    }

    /** The cohorts from the query's rows; months without a row have no active users. */
    public static RetentionCohorts of(LocalDate through, IdentityBasis identity, List<ActivityRow> rows) {
        Objects.requireNonNull(through, "through");
        YearMonth last = YearMonth.from(through);
        Map<String, Map<YearMonth, Map<Integer, Long>>> byModel = new TreeMap<>();
        for (ActivityRow row : rows) {
            if (row.k() < 0 || row.cohort().isAfter(last)) {
                throw new IllegalArgumentException("cohort row outside the data: " + row);
            }
            byModel.computeIfAbsent(row.model(), m -> new TreeMap<>())
                    .computeIfAbsent(row.cohort(), c -> new TreeMap<>())
                    .merge(row.k(), row.users(), Long::sum);
        }
        List<ModelCohorts> models = new ArrayList<>();
        byModel.forEach((model, cohorts) -> {
            List<Cohort> list = new ArrayList<>();
            cohorts.forEach((month, activeByK) -> {
                int months = (int) ChronoUnit.MONTHS.between(month, last);
                List<Long> active = new ArrayList<>();
                for (int k = 0; k <= months; k++) {
                    active.add(activeByK.getOrDefault(k, 0L));
                }
                long users = active.get(0);
                list.add(new Cohort(month, users, active, boomerang(users, active)));
            });
            models.add(new ModelCohorts(model, list));
        });
        return new RetentionCohorts(through, identity, models);
    }

    static boolean boomerang(long users, List<Long> active) {
        if (users == 0) {
            return false;
        }
        long lowest = Long.MAX_VALUE;
        for (int k = 1; k < active.size(); k++) {
            long now = active.get(k);
            if (k >= 2 && now - lowest >= BOOMERANG_USERS && (double) (now - lowest) / users >= BOOMERANG_RISE) {
                return true;
            }
            lowest = Math.min(lowest, now);
        }
        return false;
    }
}
