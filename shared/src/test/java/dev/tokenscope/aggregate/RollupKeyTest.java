package dev.tokenscope.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RollupKeyTest {

    @Test
    void compareTo_shouldOrderByDimensionThenDayThenValue_whenSorting() {
        // given
        RollupKey a = new RollupKey("model", LocalDate.of(2026, 11, 3), "a");
        RollupKey b = new RollupKey("model", LocalDate.of(2026, 11, 2), "z");
        RollupKey c = new RollupKey("app", LocalDate.of(2026, 12, 1), "x");
        RollupKey d = new RollupKey("model", LocalDate.of(2026, 11, 2), "b");

        // when
        List<RollupKey> sorted = List.copyOf(new TreeSet<>(List.of(a, b, c, d)));

        // then
        assertEquals(List.of(c, d, b, a), sorted);
    }

    @Test
    void constructor_shouldThrow_whenAPartIsNull() {
        // given
        LocalDate day = LocalDate.of(2026, 11, 2);

        // when
        NullPointerException e = assertThrows(NullPointerException.class, () -> new RollupKey("model", day, null));

        // then
        assertEquals("value", e.getMessage());
    }
}
