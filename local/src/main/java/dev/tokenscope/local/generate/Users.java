package dev.tokenscope.local.generate;

import java.util.SplittableRandom;

/**
 * Users and their return behaviour without a list of users. Cohort c's users first appear in month c; in month
 * c + k exactly round(retention(c, k) x cohort size) of them are active, the same ones whichever week asks (a fixed
 * permutation of the cohort per month), so activity retention is planted exactly, rises included.
 */
final class Users {

    record User(String id, int cohort, String country) {
    }

    /** Multipliers that visit every user of a cohort once (coprime with any cohort size below them). */
    private static final long STRIDE = 1_000_003L;

    private Users() {
    }

    static int active(WorkloadPlan plan, int cohort, int month) {
        return (int) Math.round(plan.retention(cohort, month - cohort) * plan.cohortSize());
    }

    /** An active user of month {@code month}, each equally likely. */
    static User pick(WorkloadPlan plan, int month, SplittableRandom random) {
        long total = 0;
        for (int c = 0; c <= month; c++) {
            total += active(plan, c, month);
        }
        long slot = random.nextLong(total);
        int cohort = 0;
        while (slot >= active(plan, cohort, month)) {
            slot -= active(plan, cohort, month);
            cohort++;
        }
        int size = plan.cohortSize();
        long offset = (month * 7_919L + cohort * 104_729L) % size;
        int index = (int) ((slot * STRIDE + offset) % size);
        return new User("user-" + cohort + "-" + index, cohort, country(plan.seed(), cohort, index));
    }

    /** The user's billing country: fixed per user, drawn from the report's region mix. */
    private static String country(long seed, int cohort, int index) {
        SplittableRandom random = new SplittableRandom(seed ^ (cohort * 0x100000001B3L + index));
        return Workload.COUNTRIES.get(Workload.pick(Workload.COUNTRY_WEIGHTS, random));
    }
}
