package dev.tokenscope.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which columns of a table a query reads: what a columnar scan (Parquet on Athena) fetches and bills. Taken from
 * DuckDB's plan, where each Parquet scan lists the columns it projects and the filters pushed into it (a filter's
 * column is read even when no later operator needs it); and, as a check on that, every column name the SQL text
 * mentions outside comments and string literals, a superset of what any engine can need.
 */
final class ScanColumns {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern COMMENT_OR_LITERAL = Pattern.compile("--[^\\n]*|/\\*.*?\\*/|'(?:[^']|'')*'",
            Pattern.DOTALL);

    private ScanColumns() {
    }

    /**
     * The columns every Parquet scan in a plan of {@code EXPLAIN (FORMAT JSON)} reads: its projections, and the
     * columns its pushed-down filters name. Only names of the table's columns count (not the partition column, which
     * lives in the folder name, nor expressions' constants).
     */
    static Set<String> fromPlan(String explainJson, Set<String> tableColumns) {
        JsonNode plan;
        try {
            plan = JSON.readTree(explainJson);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON plan: " + e.getMessage(), e);
        }
        Set<String> read = new TreeSet<>();
        collect(plan, tableColumns, read);
        return read;
    }

    private static void collect(JsonNode node, Set<String> tableColumns, Set<String> read) {
        if (node.isArray()) {
            node.forEach(child -> collect(child, tableColumns, read));
            return;
        }
        if (node.path("name").asText().equals("READ_PARQUET")) {
            JsonNode info = node.path("extra_info");
            for (String section : new String[] {"Projections", "Filters"}) {
                JsonNode value = info.path(section);
                if (value.isArray()) {
                    value.forEach(v -> read.addAll(mentionedIn(v.asText(), tableColumns)));
                } else if (value.isTextual()) {
                    read.addAll(mentionedIn(value.asText(), tableColumns));
                }
            }
        }
        collect(node.path("children"), tableColumns, read);
    }

    /** The table's columns that appear as words of SQL text, comments and string literals left out. */
    static Set<String> mentionedIn(String sql, Set<String> tableColumns) {
        Set<String> found = new TreeSet<>();
        Matcher m = WORD.matcher(COMMENT_OR_LITERAL.matcher(sql).replaceAll(" "));
        while (m.find()) {
            String word = m.group().toLowerCase(java.util.Locale.ROOT);
            if (tableColumns.contains(word)) {
                found.add(word);
            }
        }
        return found;
    }
}
