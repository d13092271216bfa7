package dev.tokenscope.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.figures.RetentionCohorts.ActivityRow;
import dev.tokenscope.figures.RetentionCohorts.Cohort;
import dev.tokenscope.figures.RetentionCohorts.IdentityBasis;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionCohortsTest {

    private static final IdentityBasis USERS = new IdentityBasis(10, 0, 0);
    private static final YearMonth JAN = YearMonth.of(2026, 1);
    private static final YearMonth MAR = YearMonth.of(2026, 3);

    @Test
    void of_shouldFillMonthsWithoutActivityWithZero_whenAMonthHasNoRow() {
        // given: 10 users in January; 4 back in February, none in March, 2 in April; data through April 30
        List<ActivityRow> rows = List.of(
                new ActivityRow("m", JAN, 0, 10), new ActivityRow("m", JAN, 1, 4), new ActivityRow("m", JAN, 3, 2));

        // when
        RetentionCohorts cohorts = RetentionCohorts.of(LocalDate.of(2026, 4, 30), USERS, rows);

        // then
        Cohort january = cohorts.models().get(0).cohorts().get(0);
        assertEquals(List.of(10L, 4L, 0L, 2L), january.active());
        assertEquals(0.4, january.retention(1), 1e-12);
        assertEquals(0.0, january.retention(2), 1e-12);
        assertEquals(0.2, january.retention(3), 1e-12);
        assertFalse(cohorts.lastMonthPartial());
    }

    @Test
    void of_shouldFlagABoomerang_whenRetentionRisesAgainAfterFalling() {
        // given: 10, 4, 0, 2: from 0 at month 2 back to 2 users (20 points) at month 3
        List<ActivityRow> rows = List.of(
                new ActivityRow("m", JAN, 0, 10), new ActivityRow("m", JAN, 1, 4), new ActivityRow("m", JAN, 3, 2));

        // when
        Cohort january = RetentionCohorts.of(LocalDate.of(2026, 4, 30), USERS, rows).models().get(0).cohorts().get(0);

        // then
        assertTrue(january.boomerang());
    }

    @Test
    void boomerang_shouldBeFalse_whenRetentionOnlyFallsOrRisesByOneUser() {
        assertFalse(RetentionCohorts.boomerang(10, List.of(10L, 6L, 4L, 4L, 3L)));
        // one user back is noise, not a boomerang, however large the share
        assertFalse(RetentionCohorts.boomerang(4, List.of(4L, 1L, 0L, 1L)));
        // a rise from month 0 to month 1 is not a return after churn
        assertFalse(RetentionCohorts.boomerang(10, List.of(10L, 10L)));
        // 2 users of 100 back is 2 points: below the 5-point line
        assertFalse(RetentionCohorts.boomerang(100, List.of(100L, 40L, 30L, 32L)));
        assertTrue(RetentionCohorts.boomerang(100, List.of(100L, 40L, 30L, 35L)));
    }

    @Test
    void of_shouldKeepModelsAndCohortsApart_whenSeveralAreGiven() {
        // given
        List<ActivityRow> rows = List.of(
                new ActivityRow("b", MAR, 0, 5), new ActivityRow("a", JAN, 0, 3), new ActivityRow("a", MAR, 0, 2),
                new ActivityRow("a", JAN, 2, 1));

        // when: data through March 15, so March is partial
        RetentionCohorts cohorts = RetentionCohorts.of(LocalDate.of(2026, 3, 15), USERS, rows);

        // then: models by name, cohorts oldest first, each as long as the data allows
        assertEquals(List.of("a", "b"), cohorts.models().stream().map(RetentionCohorts.ModelCohorts::model).toList());
        List<Cohort> a = cohorts.models().get(0).cohorts();
        assertEquals(List.of(3L, 0L, 1L), a.get(0).active());
        assertEquals(List.of(2L), a.get(1).active());
        assertEquals(List.of(5L), cohorts.models().get(1).cohorts().get(0).active());
        assertTrue(cohorts.lastMonthPartial());
    }

    @Test
    void of_shouldRefuse_whenARowLiesAfterTheData() {
        List<ActivityRow> rows = List.of(new ActivityRow("m", YearMonth.of(2026, 5), 0, 1));

        assertThrows(IllegalArgumentException.class,
                () -> RetentionCohorts.of(LocalDate.of(2026, 4, 30), USERS, rows));
    }

    @Test
    void describe_shouldSayWhichIdentity_whenUsersAndAccountsAreMixed() {
        assertEquals("user_id (the user, API key or end user the log names)",
                new IdentityBasis(3, 0, 0).describe());
        assertEquals("account_id (the logs name no user)", new IdentityBasis(0, 2, 0).describe());
        assertEquals("user_id where the log has one (user, API key or end user), else account_id",
                new IdentityBasis(3, 2, 0).describe());
    }
}
