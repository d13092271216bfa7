package dev.tokenscope.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenscope.figures.Figure;
import dev.tokenscope.figures.FigureTable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the API does with a figure's table: the filters each figure takes (each keeps the rows whose column has
 * the value asked for), and the table as JSON (rows as objects, with units, period and filters) or CSV.
 */
final class FigureRoute {

    /** Per figure: filter parameter -> the column it selects on. A figure takes only the filters listed here. */
    static final Map<Figure, Map<String, String>> FILTERS = filters();

    private FigureRoute() {
    }

    private static Map<Figure, Map<String, String>> filters() {
        Map<Figure, Map<String, String>> filters = new LinkedHashMap<>();
        for (Figure figure : Figure.values()) {
            filters.put(figure, Map.of());
        }
        filters.put(Figure.CATEGORIES, Map.of("category", "category", "open", "scope"));
        filters.put(Figure.SUBTAGS, Map.of("category", "category"));
        filters.put(Figure.OPEN_SHARE, Map.of("open", "weights", "origin", "origin"));
        filters.put(Figure.REQUEST_SHAPE, Map.of("category", "category"));
        filters.put(Figure.AUTHOR_SPEND, Map.of("category", "category", "author", "author"));
        filters.put(Figure.REGIONS, Map.of("country", "region"));
        filters.put(Figure.LANGUAGES, Map.of("language", "language"));
        filters.put(Figure.SIZES, Map.of("size", "size"));
        filters.put(Figure.RETENTION, Map.of("model", "model"));
        filters.put(Figure.QUADRANTS, Map.of("category", "category"));
        filters.put(Figure.ELASTICITY, Map.of("model", "model"));
        return Map.copyOf(filters);
    }

    /** The rows whose filtered columns equal the values asked for (case-insensitive). */
    static List<List<Object>> filter(FigureTable table, Map<String, String> applied) {
        Map<String, String> columns = FILTERS.get(table.figure());
        List<List<Object>> kept = new ArrayList<>();
        for (List<Object> row : table.rows()) {
            boolean match = true;
            for (Map.Entry<String, String> filter : applied.entrySet()) {
                Object value = table.value(row, columns.get(filter.getKey()));
                match &= value != null && value.toString().equalsIgnoreCase(filter.getValue());
            }
            if (match) {
                kept.add(row);
            }
        }
        return kept;
    }

    static ObjectNode json(ObjectMapper mapper, FigureTable table, List<List<Object>> rows,
                           Map<String, String> applied) {
        ObjectNode body = mapper.createObjectNode();
        body.put("figure", table.figure().id());
        body.put("report_figure", table.figure().reportFigure());
        body.put("title", table.figure().title());
        body.put("from", table.from().toString());
        body.put("to", table.to().toString());
        table.granularity().ifPresent(g -> body.put("granularity", g.name().toLowerCase(Locale.ROOT)));
        ObjectNode filters = body.putObject("filters");
        applied.forEach(filters::put);
        ObjectNode units = body.putObject("units");
        ArrayNode columns = body.putArray("columns");
        for (FigureTable.Column column : table.columns()) {
            columns.add(column.name());
            if (!column.unit().isEmpty()) {
                units.put(column.name(), column.unit());
            }
        }
        ArrayNode rowsNode = body.putArray("rows");
        for (List<Object> row : rows) {
            ObjectNode node = rowsNode.addObject();
            for (int i = 0; i < table.columns().size(); i++) {
                put(mapper, node, table.columns().get(i).name(), row.get(i));
            }
        }
        ArrayNode notes = body.putArray("notes");
        table.notes().forEach(notes::add);
        return body;
    }

    /**
     * A value of a FigureTable (String, Long, Double, BigDecimal, Boolean or null) as a JSON node, made directly: a
     * week-granularity figure has thousands of cells, and valueToTree serialises each one through a buffer.
     */
    private static void put(ObjectMapper mapper, ObjectNode node, String name, Object value) {
        if (value == null) {
            node.putNull(name);
        } else if (value instanceof String text) {
            node.put(name, text);
        } else if (value instanceof Long number) {
            node.put(name, number.longValue());
        } else if (value instanceof Double number) {
            node.put(name, number.doubleValue());
        } else if (value instanceof BigDecimal number) {
            node.put(name, number);
        } else if (value instanceof Boolean flag) {
            node.put(name, flag.booleanValue());
        } else {
            node.set(name, mapper.valueToTree(value));
        }
    }

    /** RFC 4180: a header of column names, then one line per row; no value is an empty field. */
    static String csv(FigureTable table, List<List<Object>> rows) {
        StringBuilder out = new StringBuilder();
        List<String> header = table.columns().stream().map(FigureTable.Column::name).toList();
        line(out, new ArrayList<>(header));
        for (List<Object> row : rows) {
            line(out, row);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<?> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(field(values.get(i)));
        }
        out.append("\r\n");
    }

    private static String field(Object value) {
        if (value == null) {
            return "";
        }
        String text = value instanceof BigDecimal d ? d.toPlainString() : value.toString();
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }
}
