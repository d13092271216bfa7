package dev.tokenscope.aggregate;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Names one rollup: a dimension (what the figure splits by, a {@link Dimension}'s id), a UTC day and the
 * dimension's value.
 */
public record RollupKey(String dimension, LocalDate day, String value) implements Comparable<RollupKey> {

    public static final String MODEL = Dimension.MODEL.id();

    public RollupKey {
        Objects.requireNonNull(dimension, "dimension");
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public int compareTo(RollupKey o) {
        int c = dimension.compareTo(o.dimension);
        if (c == 0) {
            c = day.compareTo(o.day);
        }
        return c != 0 ? c : value.compareTo(o.value);
    }
}
