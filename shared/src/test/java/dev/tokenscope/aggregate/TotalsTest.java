package dev.tokenscope.aggregate;

import static dev.tokenscope.testing.Fixtures.totals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class TotalsTest {

    @Test
    void plus_shouldAddEveryMeasure_whenAddingTwoTotals() {
        // given
        Totals a = totals(1, 10, 20, 3, 4, 5, "0.10", 1, 0, 30, 0);
        Totals b = totals(2, 100, 200, 30, 40, 50, "0.0025", 1, 1, 120, 1);

        // when
        Totals sum = a.plus(b);

        // then
        assertEquals(totals(3, 110, 220, 33, 44, 55, "0.1025", 2, 1, 150, 1), sum);
        assertEquals(330, sum.totalTokens());
    }

    @Test
    void sum_shouldEqualChainedPlus_whenManyTotalsWithShapesAreAdded() {
        // given totals with request shapes that overlap in some buckets and cancel out in one
        java.util.List<Totals> parts = java.util.List.of(
                totals(1, 10, 20, 3, 4, 5, "0.10", 1, 0, 30, 0).withShape(shape("p3", 1, "c7", 2)),
                totals(2, 100, 200, 30, 40, 50, "0.0025", 1, 1, 120, 1).withShape(shape("p3", 4, "p40", 1)),
                Totals.ZERO.withShape(shape("c7", -2, "c9", 5)));

        // when
        Totals.Sum sum = new Totals.Sum();
        parts.forEach(sum::add);
        Totals chained = parts.stream().reduce(Totals.ZERO, Totals::plus);

        // then the same totals, and the bucket that cancelled out is gone as in plus
        assertEquals(chained, sum.totals());
        assertEquals(shape("p3", 5, "p40", 1, "c9", 5), sum.totals().shape());
    }

    private static java.util.SortedMap<String, Long> shape(Object... bucketsAndCounts) {
        java.util.SortedMap<String, Long> shape = new java.util.TreeMap<>();
        for (int i = 0; i < bucketsAndCounts.length; i += 2) {
            shape.put((String) bucketsAndCounts[i], ((Integer) bucketsAndCounts[i + 1]).longValue());
        }
        return shape;
    }

    @Test
    void negate_shouldGiveZero_whenAddedToItself() {
        // given
        Totals t = totals(2, 100, 200, 30, 40, 50, "0.0142500000", 2, 1, 300, 1);

        // when
        Totals zero = t.plus(t.negate());

        // then
        assertTrue(zero.isZero());
        assertEquals(totals(-2, -100, -200, -30, -40, -50, "-0.0142500000", -2, -1, -300, -1), t.negate());
    }

    @Test
    void isZero_shouldBeFalse_whenAnyMeasureIsNotZero() {
        // given
        Totals onlyCost = totals(0, 0, 0, 0, 0, 0, "0.0000000001", 0, 0);
        Totals onlyToolCalls = totals(0, 0, 0, 0, 0, 0, "0", 0, 1);
        Totals onlyLongPrompts = totals(0, 0, 0, 0, 0, 0, "0", 0, 0, 0, 1);

        // when
        boolean a = onlyCost.isZero();
        boolean b = onlyToolCalls.isZero();
        boolean c = onlyLongPrompts.isZero();

        // then
        assertFalse(a);
        assertFalse(b);
        assertFalse(c);
        assertTrue(Totals.ZERO.isZero());
    }

    @Test
    void sameAs_shouldCompareCostByValue_whenScalesDiffer() {
        // given
        Totals a = new Totals(1, 2, 3, 4, 5, 6, new BigDecimal("1.50"), 1, 0, 5, 0);
        Totals b = new Totals(1, 2, 3, 4, 5, 6, new BigDecimal("1.5000000000"), 1, 0, 5, 0);
        Totals c = new Totals(1, 2, 3, 4, 5, 6, new BigDecimal("1.5000000001"), 1, 0, 5, 0);

        // when
        boolean ab = a.sameAs(b);
        boolean ac = a.sameAs(c);

        // then
        assertTrue(ab);
        assertFalse(ac);
        assertFalse(a.equals(b));
    }
}
