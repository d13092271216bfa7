package dev.tokenscope.figures;

import dev.tokenscope.aggregate.Granularity;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One figure as a table: named columns with their units, rows of values (String, Long, Double, BigDecimal,
 * Boolean, or null where a value does not exist, such as a slope that was not estimated), and notes saying what
 * was left out and why. The API renders it as JSON or CSV; the dashboard draws it.
 *
 * @param granularity empty for figures that have no periods (retention cohorts are monthly by definition)
 */
public record FigureTable(Figure figure, LocalDate from, LocalDate to, Optional<Granularity> granularity,
                          List<Column> columns, List<List<Object>> rows, List<String> notes) {

    /** A column and its unit ("tokens", "USD", "share 0..1", "requests", "tokens per request", "" for labels). */
    public record Column(String name, String unit) {
    }

    public FigureTable {
        columns = List.copyOf(columns);
        // Rows may hold nulls (no value), which List.copyOf refuses.
        rows = rows.stream().map(r -> java.util.Collections.unmodifiableList(new ArrayList<>(r))).toList();
        notes = List.copyOf(notes);
        for (List<Object> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException(figure.id() + ": a row has " + row.size() + " values for "
                        + columns.size() + " columns");
            }
        }
    }

    /** The value of a column in a row, by column name. */
    public Object value(List<Object> row, String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return row.get(i);
            }
        }
        throw new IllegalArgumentException(figure.id() + " has no column " + column);
    }

    /** The rows whose label columns equal the given values, in order: ("period", "2026-11-02", "category", "x"). */
    public List<List<Object>> rowsWhere(String... columnAndValue) {
        List<List<Object>> found = new ArrayList<>();
        for (List<Object> row : rows) {
            boolean match = true;
            for (int i = 0; i + 1 < columnAndValue.length; i += 2) {
                match &= String.valueOf(value(row, columnAndValue[i])).equals(columnAndValue[i + 1]);
            }
            if (match) {
                found.add(row);
            }
        }
        return found;
    }

    /** The one row whose label columns equal the given values. */
    public List<Object> row(String... columnAndValue) {
        List<List<Object>> found = rowsWhere(columnAndValue);
        if (found.size() != 1) {
            throw new IllegalArgumentException(figure.id() + ": " + found.size() + " rows where "
                    + Arrays.toString(columnAndValue));
        }
        return found.get(0);
    }

    /** Builds a table column by column, then row by row. */
    static final class Builder {
        private final List<Column> columns = new ArrayList<>();
        private final List<List<Object>> rows = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();

        Builder column(String name, String unit) {
            columns.add(new Column(name, unit));
            return this;
        }

        Builder row(Object... values) {
            rows.add(Arrays.asList(values));
            return this;
        }

        Builder note(String note) {
            notes.add(note);
            return this;
        }

        FigureTable build(Figure figure, LocalDate from, LocalDate to, Optional<Granularity> granularity) {
            return new FigureTable(figure, from, to, granularity, columns, rows, notes);
        }
    }
}
