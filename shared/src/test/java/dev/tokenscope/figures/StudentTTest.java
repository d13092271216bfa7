package dev.tokenscope.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StudentTTest {

    // Two-sided 95% critical values, t(0.975, df), from the standard table (to 7 decimals; a Simpson integration
    // of the t density in python3 gives the same digits).
    @ParameterizedTest(name = "df {0}: {1}")
    @CsvSource({
        "1, 12.7062047",
        "2, 4.3026527",
        "5, 2.5705818",
        "6, 2.4469119",
        "10, 2.2281389",
        "30, 2.0422725",
        "100, 1.9839715"})
    void quantile_shouldMatchTheTable_when975(int df, double expected) {
        // when
        double t = StudentT.quantile(0.975, df);

        // then
        assertEquals(expected, t, 1e-6);
    }

    @Test
    void quantile_shouldMatchTheTable_whenOtherLevels() {
        // when / then: t(0.995, 5) = 4.0321430 (99% two-sided), t(0.95, 10) = 1.8124611 (90% two-sided)
        assertEquals(4.0321430, StudentT.quantile(0.995, 5), 1e-6);
        assertEquals(1.8124611, StudentT.quantile(0.95, 10), 1e-6);
    }

    @Test
    void quantile_shouldEqualClosedForms_whenOneOrTwoDegreesOfFreedom() {
        // given: df 1 is the Cauchy distribution, t = tan(pi (p - 1/2));
        // df 2 has t = (2p - 1) / sqrt(2 p (1 - p))
        for (double p : new double[] {0.6, 0.9, 0.975, 0.999}) {
            // when
            double one = StudentT.quantile(p, 1);
            double two = StudentT.quantile(p, 2);

            // then
            assertEquals(Math.tan(Math.PI * (p - 0.5)), one, 1e-9 * Math.max(1, one));
            assertEquals((2 * p - 1) / Math.sqrt(2 * p * (1 - p)), two, 1e-9 * Math.max(1, two));
        }
    }

    @Test
    void quantile_shouldBeSymmetric_whenBelowOneHalf() {
        // when / then
        assertEquals(-StudentT.quantile(0.975, 10), StudentT.quantile(0.025, 10), 1e-12);
        assertEquals(0, StudentT.quantile(0.5, 3));
    }

    @Test
    void quantile_shouldRefuse_whenProbabilityOrDegreesOfFreedomOutOfRange() {
        // when / then
        assertThrows(IllegalArgumentException.class, () -> StudentT.quantile(1, 5));
        assertThrows(IllegalArgumentException.class, () -> StudentT.quantile(0, 5));
        assertThrows(IllegalArgumentException.class, () -> StudentT.quantile(0.975, 0));
    }

    @Test
    void logGamma_shouldMatchFactorialsAndRootPi_whenKnownArguments() {
        // when / then: Gamma(5) = 4! = 24; Gamma(1/2) = sqrt(pi); Gamma(0.25) = 3.6256099082219083
        assertEquals(Math.log(24), StudentT.logGamma(5), 1e-13);
        assertEquals(0.5 * Math.log(Math.PI), StudentT.logGamma(0.5), 1e-13);
        assertEquals(Math.log(3.6256099082219083), StudentT.logGamma(0.25), 1e-13);
    }
}
