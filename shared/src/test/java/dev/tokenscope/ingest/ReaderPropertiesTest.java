package dev.tokenscope.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.tokenscope.testing.Fixtures;
import dev.tokenscope.testing.HostileText;
import dev.tokenscope.testing.PropertyCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Properties of every reader over generated input (PropertyCheck: seeded, bounded tries, the failing input shrunk
 * and printed): arbitrary bytes and text, arbitrary JSON values under every format, arbitrary CSV rows, records
 * of every format with a field broken, and input at the limits. Each read keeps the ReaderContract; the
 * properties below add what must be kept around what is broken.
 */
class ReaderPropertiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> FORMATS = FormatRegistry.standardFormats().stream().map(LogFormat::id).toList();
    private static final List<String> KEYS = List.of("logs/a.jsonl", "logs/a.json", "logs/a.csv", "logs/a.txt",
            "logs/a", "logs/a.jsonl.gz", "logs/a.csv.gz", "langfuse/observations.csv", "otel/traces.json",
            "AWSLogs/1/BedrockModelInvocationLogs/us-east-1/2026/a.json.gz");
    /** Every field name the fixtures use, so that generated objects reach into each format's mapping. */
    private static final List<String> FIELD_NAMES = fieldNames();
    private static final String CANONICAL_HEADER = "request_id,timestamp,user_id,app,tags,provider,model,"
            + "prompt_tokens,completion_tokens,reasoning_tokens,cost_usd,finish_reason,tools_offered,streamed,country";
    private static final Optional<String> CANONICAL = Optional.of("canonical");
    private static final Pattern TOO_LONG = Pattern.compile("record longer than the limit of 1024 characters.*");

    // ---- arbitrary input

    /** A file: the key it is uploaded under and its bytes (gzipped when the key says .gz). */
    record Upload(String key, byte[] bytes) {
        @Override
        public String toString() {
            return key + ": " + PropertyCheck.printable(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    @Test
    void read_shouldOpenOrRejectAndNeverThrow_whenBytesAreArbitrary() {
        PropertyCheck.forAll("arbitrary bytes", 1000, r -> {
            String key = KEYS.get(r.nextInt(KEYS.size()));
            String start = List.of("", "{", "[", "\uFEFF", "timestamp,model\n", "{\"timestamp\":").get(r.nextInt(6));
            byte[] bytes = concat(start.getBytes(StandardCharsets.UTF_8), HostileText.bytes(r, 2048));
            return new Upload(key, key.endsWith(".gz") ? Fixtures.gzip(bytes) : bytes);
        }, upload -> PropertyCheck.bytes().smaller(upload.bytes()).map(bytes -> new Upload(upload.key(), bytes)),
                Upload::toString, (upload, tally) -> tally.count(read(upload, Optional.empty()).kind()));
    }

    @Test
    void read_shouldOpenOrRejectAndNeverThrow_whenTextIsArbitrary() {
        PropertyCheck.forAll("arbitrary text", 1000, r -> {
            StringBuilder text = new StringBuilder();
            for (int lines = r.nextInt(12); lines >= 0; lines--) {
                text.append(List.of("", "{", "[", "timestamp,model,", "\"").get(r.nextInt(5)))
                        .append(HostileText.string(r, 200)).append(List.of("\n", "\r\n", "\r", "").get(r.nextInt(4)));
            }
            return text.toString();
        }, PropertyCheck.text(), PropertyCheck::printable, (text, tally) -> {
            tally.count(read(new Upload("logs/a.jsonl", utf8(text)), Optional.empty()).kind());
            tally.count(read(new Upload("logs/a.csv", utf8(text)), Optional.empty()).kind());
        });
    }

    /** A file of JSON values in one layout, and the format it is declared to be in. */
    record JsonUpload(String format, String text) {
        @Override
        public String toString() {
            return format + ": " + PropertyCheck.printable(text);
        }
    }

    @Test
    void read_shouldGiveRecordsOrBadLines_whenJsonValuesAreArbitraryUnderEveryFormat() {
        PropertyCheck.forAll("arbitrary JSON values", 1000, r -> {
            List<JsonNode> values = new ArrayList<>();
            for (int i = 1 + r.nextInt(4); i > 0; i--) {
                values.add(jsonValue(r, 1 + r.nextInt(5)));
            }
            return new JsonUpload(FORMATS.get(r.nextInt(FORMATS.size())), layout(values, r.nextInt(3)));
        }, upload -> PropertyCheck.text().smaller(upload.text()).map(text -> new JsonUpload(upload.format(), text)),
                JsonUpload::toString, (upload, tally) -> {
                    ReaderContract.Outcome outcome = read(new Upload("logs/a.json", utf8(upload.text())),
                            Optional.of(upload.format()));
                    assertFalse(outcome.rejected().isPresent(), "a declared format is never rejected");
                    tally.count(outcome.format() + (outcome.good() > 0 ? "+good" : ""));
                });
    }

    // ---- what is kept around what is broken

    /** Lines of a JSON Lines file: a good record (index in goods) or a bad line. */
    record Mixed(List<String> lines, List<Boolean> good) {
        String text() {
            return String.join("\n", lines) + "\n";
        }

        @Override
        public String toString() {
            return PropertyCheck.printable(text());
        }
    }

    @Test
    void read_shouldKeepEveryGoodRecord_whenBadLinesAreMixedIn() {
        PropertyCheck.forAll("good records around bad JSON lines", 400, r -> {
            List<String> lines = new ArrayList<>();
            List<Boolean> good = new ArrayList<>();
            lines.add(goodRecord(r).toString());
            good.add(true);
            for (int i = r.nextInt(20); i > 0; i--) {
                boolean isGood = r.nextInt(3) == 0;
                lines.add(isGood ? goodRecord(r).toString() : badLine(r));
                good.add(isGood);
            }
            return new Mixed(lines, good);
        }, mixedShrinker(), Mixed::toString, (mixed, tally) -> {
            // when
            ReaderContract.Outcome outcome = read(new Upload("logs/a.jsonl", utf8(mixed.text())), CANONICAL);

            // then: each line gives what it gives alone, at its own line number, and every good record is kept
            Map<Long, Long> expected = new TreeMap<>();
            long items = 0;
            for (int i = 0; i < mixed.lines().size(); i++) {
                String line = mixed.lines().get(i);
                long alone = mixed.good().get(i) ? 1 : read(new Upload("logs/a.jsonl", utf8(line)), CANONICAL).good();
                if (alone > 0) {
                    expected.put(i + 1L, alone);
                }
                items += line.replaceFirst("^\uFEFF", "").isBlank() ? 0 : 1;
            }
            assertEquals(expected, outcome.goodByLine());
            assertEquals(items, outcome.lines().size(), "one item per line that is not blank");
            tally.count("good in", mixed.good().stream().filter(g -> g).count());
            tally.count("good out", outcome.good());
            tally.count("quarantined", outcome.bad());
        });
    }

    /** A CSV file: its header and rows of raw fields, written with RFC 4180 quoting. */
    record Csv(String header, List<List<String>> rows) {
        String text() {
            StringBuilder out = new StringBuilder(header).append("\r\n");
            for (List<String> row : rows) {
                out.append(csvRow(row)).append("\r\n");
            }
            return out.toString();
        }

        @Override
        public String toString() {
            return PropertyCheck.printable(text());
        }
    }

    @Test
    void read_shouldGiveOneRecordOrOneBadLinePerRow_whenCsvRowsAreArbitrary() {
        PropertyCheck.forAll("arbitrary canonical CSV rows", 500, r -> {
            List<List<String>> rows = new ArrayList<>();
            for (int i = 1 + r.nextInt(20); i > 0; i--) {
                rows.add(r.nextInt(3) == 0 ? goodCsvRow(r) : arbitraryCsvRow(r));
            }
            return new Csv(CANONICAL_HEADER, rows);
        }, csvShrinker(), Csv::toString, (csv, tally) -> {
            // when
            ReaderContract.Outcome outcome = read(new Upload("logs/a.csv", utf8(csv.text())), Optional.empty());

            // then: one item per row, at the line the row starts on, good exactly when the row alone is good
            assertEquals("canonical", outcome.format());
            assertEquals(csv.rows().size(), outcome.lines().size(), "one item per row");
            long line = 2;
            for (int i = 0; i < csv.rows().size(); i++) {
                ParsedLine item = outcome.lines().get(i);
                assertEquals(line, item.line(), "row " + (i + 1) + " starts on line " + line);
                String alone = CANONICAL_HEADER + "\r\n" + csvRow(csv.rows().get(i)) + "\r\n";
                assertEquals(goodAlone("logs/a.csv", alone), item instanceof ParsedLine.Good ? 1 : 0,
                        "row " + (i + 1) + " as alone");
                line += csvRow(csv.rows().get(i)).chars().filter(c -> c == '\n').count() + 1;
            }
            tally.count("rows", csv.rows().size());
            tally.count("good", outcome.good());
        });
    }

    @Test
    void read_shouldKeepTheReaderContract_whenCsvRowsAreArbitraryUnderEveryCsvFormat() {
        Map<String, String> headers = Map.of(
                "helicone", firstLine("/formats/helicone/requests.csv"),
                "langfuse", firstLine("/formats/langfuse/observations.csv"),
                "litellm", firstLine("/formats/litellm/spend-logs.csv"),
                "canonical", CANONICAL_HEADER);
        List<String> formats = new ArrayList<>(new TreeSet<>(headers.keySet()));
        PropertyCheck.forAll("arbitrary CSV rows under every CSV format", 500, r -> {
            String format = formats.get(r.nextInt(formats.size()));
            List<List<String>> rows = new ArrayList<>();
            int columns = headers.get(format).split(",").length;
            for (int i = 1 + r.nextInt(10); i > 0; i--) {
                List<String> row = new ArrayList<>();
                for (int c = r.nextBoolean() ? columns : r.nextInt(columns + 3); c > 0; c--) {
                    row.add(csvField(r));
                }
                rows.add(row);
            }
            return new Csv(headers.get(format), rows);
        }, csvShrinker(), Csv::toString, (csv, tally) -> {
            ReaderContract.Outcome outcome = read(new Upload("logs/a.csv", utf8(csv.text())), Optional.empty());
            assertFalse(outcome.rejected().isPresent(), () -> "rejected: " + outcome.rejected());
            assertTrue(outcome.lines().size() <= csv.rows().size(), "at most one item per row");
            tally.count(outcome.format() + " rows", csv.rows().size());
            tally.count(outcome.format() + " good", outcome.good());
        });
    }

    // ---- near-valid records of every format

    /** A fixture with one field of one record broken: the text, and the line of that record (0 if not known). */
    record Edited(String fixture, String format, String text, int line) {
        @Override
        public String toString() {
            return fixture + " (as " + format + ", line " + line + " edited): " + PropertyCheck.printable(text);
        }
    }

    @Test
    void read_shouldKeepTheOtherRecords_whenOneFieldOfOneRecordIsBrokenInEveryFormat() {
        List<ReaderMutationFuzzTest.Fixture> fixtures = ReaderMutationFuzzTest.fixtures();
        Map<String, Map<Long, Long>> before = new TreeMap<>();
        PropertyCheck.forAll("near-valid records of every format", 1000, r -> {
            ReaderMutationFuzzTest.Fixture fixture = fixtures.get(r.nextInt(fixtures.size()));
            return edit(fixture, r);
        }, PropertyCheck.Shrinker.none(), Edited::toString, (edited, tally) -> {
            // when
            ReaderContract.Outcome outcome = read(new Upload("logs/" + edited.fixture(), utf8(edited.text())),
                    Optional.of(edited.format()));

            // then: in a file of one record per line, every other line gives what it gave before
            if (edited.line() > 1) {
                Map<Long, Long> expected = new TreeMap<>(before.computeIfAbsent(edited.fixture(),
                        f -> goodByLine(fixtures, f)));
                Map<Long, Long> actual = new TreeMap<>(outcome.goodByLine());
                expected.remove((long) edited.line());
                actual.remove((long) edited.line());
                assertEquals(expected, actual, "the records of the other lines");
            }
            tally.count(edited.format() + (outcome.bad() > 0 ? "+bad" : "") + (outcome.good() > 0 ? "+good" : ""));
        });
    }

    private static Map<Long, Long> goodByLine(List<ReaderMutationFuzzTest.Fixture> fixtures, String name) {
        ReaderMutationFuzzTest.Fixture fixture = fixtures.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow();
        return read(new Upload("logs/" + name, fixture.bytes()), Optional.of(fixture.format())).goodByLine();
    }

    /** One record of the fixture with one to three of its fields broken; the rest of the file as it was. */
    private static Edited edit(ReaderMutationFuzzTest.Fixture fixture, Random r) {
        String text = new String(fixture.bytes(), StandardCharsets.UTF_8);
        if (fixture.name().endsWith(".csv")) {
            return editCsv(fixture, text, r);
        }
        if (fixture.name().endsWith(".jsonl")) {
            String[] lines = text.split("\n", -1);
            int target = 1 + r.nextInt(Math.max(1, lines.length - 2));
            if (lines[target].isBlank()) {
                return new Edited(fixture.name(), fixture.format(), text, 0);
            }
            lines[target] = breakFields(parse(lines[target]), r).toString();
            return new Edited(fixture.name(), fixture.format(), String.join("\n", lines), target + 1);
        }
        return new Edited(fixture.name(), fixture.format(), breakFields(parse(text), r).toPrettyString(), 0);
    }

    private static Edited editCsv(ReaderMutationFuzzTest.Fixture fixture, String text, Random r) {
        List<List<String>> rows = parseCsv(text);
        int target = 1 + r.nextInt(rows.size() - 1);
        List<String> row = new ArrayList<>(rows.get(target));
        for (int i = 1 + r.nextInt(3); i > 0 && !row.isEmpty(); i--) {
            row.set(r.nextInt(row.size()), csvField(r));
        }
        rows.set(target, row);
        StringBuilder out = new StringBuilder();
        for (List<String> each : rows) {
            out.append(csvRow(each)).append('\n');
        }
        // Line numbers of rows after a quoted line break move: compare only when no field spans lines.
        boolean singleLines = rows.stream().flatMap(List::stream).noneMatch(f -> f.contains("\n") || f.contains("\r"));
        return new Edited(fixture.name(), fixture.format(), out.toString(), singleLines ? target + 1 : 0);
    }

    /** Breaks one to three fields somewhere in the value: replaced, removed, renamed, or wrapped. */
    private static JsonNode breakFields(JsonNode root, Random r) {
        for (int i = 1 + r.nextInt(3); i > 0; i--) {
            List<ObjectNode> objects = new ArrayList<>();
            collectObjects(root, objects);
            if (objects.isEmpty()) {
                return jsonValue(r, 3);
            }
            ObjectNode object = objects.get(r.nextInt(objects.size()));
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            String name = names.isEmpty() ? FIELD_NAMES.get(r.nextInt(FIELD_NAMES.size()))
                    : names.get(r.nextInt(names.size()));
            switch (r.nextInt(6)) {
                case 0 -> object.remove(name);
                case 1 -> object.putRawValue(name, new RawValue(HostileText.NUMBERS.get(
                        r.nextInt(HostileText.NUMBERS.size()))));
                case 2 -> object.put(name, HostileText.string(r, 40));
                case 3 -> object.set(name, jsonValue(r, 3));
                case 4 -> object.set(name, NODES.arrayNode().add(object.path(name).deepCopy()));
                default -> object.set(FIELD_NAMES.get(r.nextInt(FIELD_NAMES.size())), object.remove(name));
            }
        }
        return root;
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> into) {
        if (node instanceof ObjectNode object) {
            into.add(object);
        }
        for (JsonNode child : node) {
            collectObjects(child, into);
        }
    }

    // ---- limits

    @Test
    void read_shouldQuarantineRecordsOverTheLimitAndReadTheRest_whenLinesAndRowsAreNearIt() {
        Limits limits = new Limits(1024);
        PropertyCheck.forAll("records near the length limit", 300, r -> {
            List<String> lines = new ArrayList<>();
            for (int i = 1 + r.nextInt(8); i > 0; i--) {
                ObjectNode record = goodRecord(r);
                int length = record.toString().length();
                // Pad the app to a length around the limit (1024) of the whole line.
                record.put("app", "a".repeat(Math.max(1, 900 + r.nextInt(250) - length)));
                lines.add(record.toString());
            }
            return new Mixed(lines, lines.stream().map(l -> l.length() <= 1024).toList());
        }, PropertyCheck.Shrinker.none(), Mixed::toString, (mixed, tally) -> {
            for (String layout : List.of("jsonl", "json", "csv")) {
                // when
                String text = switch (layout) {
                    case "jsonl" -> mixed.text();
                    case "json" -> "[\n" + String.join(",\n", mixed.lines()) + "\n]\n";
                    default -> asCsv(mixed.lines());
                };
                ReaderContract.Outcome outcome = read(new Upload("logs/a." + layout, utf8(text)), Optional.empty(),
                        limits);

                // then: a record over the limit is one bad line saying so; every other record is read
                List<ParsedLine> items = outcome.lines();
                assertEquals(mixed.lines().size(), items.size(), layout + ": one item per record");
                for (int i = 0; i < items.size(); i++) {
                    boolean fits = layout.equals("csv") ? csvLength(mixed.lines().get(i)) <= 1024
                            : mixed.lines().get(i).length() <= 1024;
                    if (fits) {
                        assertInstanceOf(ParsedLine.Good.class, items.get(i), layout + " record " + (i + 1));
                    } else {
                        String reason = assertInstanceOf(ParsedLine.Bad.class, items.get(i)).error().reason();
                        assertTrue(TOO_LONG.matcher(reason).matches(), reason);
                    }
                }
                tally.count(layout + " over the limit", outcome.bad());
                tally.count(layout + " read", outcome.good());
            }
        });
    }

    @Test
    void read_shouldNeverOverflowTheStack_whenJsonIsNestedDeep() {
        PropertyCheck.forAll("deeply nested JSON", 100, r -> {
            // Jackson refuses documents nested deeper than 1,000: depths on both sides of that.
            int depth = 1 + r.nextInt(r.nextBoolean() ? 1100 : 5000);
            String deep = HostileText.nested(depth, r.nextBoolean(), "1");
            String field = List.of("tags", "tools", "extra", "input", "metadata").get(r.nextInt(5));
            return "{\"timestamp\":\"2026-11-02T10:00:00Z\",\"model\":\"m\",\"" + field + "\":" + deep + "}";
        }, PropertyCheck.Shrinker.none(), text -> text.length() + " chars: " + text.substring(0, 99), (line, tally) -> {
            for (String format : FORMATS) {
                ReaderContract.Outcome outcome = read(new Upload("logs/a.jsonl", utf8(line + "\n" + line)),
                        Optional.of(format));
                long first = outcome.lines().stream().filter(l -> l.line() == 1).count();
                assertEquals(2 * first, outcome.lines().size(), format + ": the same line gives the same items");
                tally.count(outcome.good() > 0 ? "read" : outcome.bad() > 0 ? "quarantined" : "no record");
            }
        });
    }

    @Test
    void read_shouldKeepAtMostTheToolNameLimit_whenARecordListsManyTools() {
        PropertyCheck.forAll("tool lists of any length", 200, r -> {
            ArrayNode tools = NODES.arrayNode();
            for (int i = r.nextInt(3000); i > 0; i--) {
                tools.add(r.nextInt(10) == 0 ? HostileText.line(r, 10) : "tool" + i);
            }
            ObjectNode record = goodRecord(r);
            record.set("tools", tools);
            return record.toString();
        }, PropertyCheck.Shrinker.none(), text -> text.substring(0, Math.min(200, text.length())), (line, tally) -> {
            ReaderContract.Outcome outcome = read(new Upload("logs/a.jsonl", utf8(line)), Optional.empty());
            assertEquals(1, outcome.good(), "the record is read; the contract bounds its tools");
            tally.count("records");
        });
    }

    // ---- generators

    /** A canonical record that is valid: a timestamp in range, a model, counts and a cost. */
    private static ObjectNode goodRecord(Random r) {
        ObjectNode record = NODES.objectNode();
        record.put("timestamp", Instant.parse("2020-01-01T00:00:00Z").plusSeconds(r.nextInt(300_000_000)).toString());
        record.put("model", List.of("gpt-4o", "claude-3-5-sonnet", "m", "qwen/qwen3").get(r.nextInt(4)));
        record.put("prompt_tokens", r.nextInt(100_000));
        record.put("completion_tokens", r.nextInt(10_000));
        if (r.nextBoolean()) {
            record.put("cost_usd", r.nextInt(1_000_000) / 1e6);
        }
        if (r.nextBoolean()) {
            record.put("prompt", HostileText.string(r, 80));
        }
        return record;
    }

    /** A line that is no good record, or may be one by chance: text, a JSON value, or a record with a field broken. */
    private static String badLine(Random r) {
        return switch (r.nextInt(3)) {
            case 0 -> HostileText.line(r, 120);
            case 1 -> jsonValue(r, 3).toString();
            default -> breakFields(goodRecord(r), r).toString();
        };
    }

    /** An arbitrary JSON value, its field names drawn mostly from the formats' own. */
    static JsonNode jsonValue(Random r, int depth) {
        int kind = r.nextInt(depth <= 0 ? 5 : 8);
        return switch (kind) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(r.nextBoolean());
            case 2 -> NODES.numberNode(r.nextBoolean() ? r.nextLong() : r.nextInt(1000) - 10);
            case 3 -> NODES.textNode(HostileText.string(r, 30));
            case 4 -> NODES.numberNode(new java.math.BigDecimal(
                    List.of("1e400", "-1e-400", "0.1", "123456789012345678901234567890").get(r.nextInt(4))));
            case 5, 6 -> {
                ObjectNode object = NODES.objectNode();
                for (int i = r.nextInt(6); i > 0; i--) {
                    String name = r.nextInt(5) == 0 ? HostileText.line(r, 10)
                            : FIELD_NAMES.get(r.nextInt(FIELD_NAMES.size()));
                    object.set(name, jsonValue(r, depth - 1));
                }
                yield object;
            }
            default -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    array.add(jsonValue(r, depth - 1));
                }
                yield array;
            }
        };
    }

    /** JSON values as JSON Lines (0), a JSON array (1), or pretty-printed documents one after another (2). */
    private static String layout(List<JsonNode> values, int layout) {
        return switch (layout) {
            case 0 -> String.join("\n", values.stream().map(JsonNode::toString).toList()) + "\n";
            case 1 -> NODES.arrayNode().addAll(values).toPrettyString();
            default -> String.join("\n", values.stream().map(JsonNode::toPrettyString).toList());
        };
    }

    private static List<String> goodCsvRow(Random r) {
        ObjectNode record = goodRecord(r);
        return List.of("id-" + r.nextInt(1000), record.get("timestamp").asText(), "u", "app", "team=a;env=b", "p",
                record.get("model").asText(), record.get("prompt_tokens").asText(),
                record.get("completion_tokens").asText(), "0", "0.5", "stop", "false", "true", "GB");
    }

    private static List<String> arbitraryCsvRow(Random r) {
        List<String> row = new ArrayList<>(goodCsvRow(r));
        if (r.nextInt(4) == 0) {
            // The wrong number of columns.
            int columns = 1 + r.nextInt(20);
            row = new ArrayList<>(row.subList(0, Math.min(columns, row.size())));
            while (row.size() < columns) {
                row.add(csvField(r));
            }
            return row;
        }
        for (int i = 1 + r.nextInt(4); i > 0; i--) {
            row.set(r.nextInt(row.size()), csvField(r));
        }
        return row;
    }

    /** A CSV field: text of any kind (quotes, commas and line breaks included), a hostile number, or empty. */
    private static String csvField(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> HostileText.string(r, 30);
            case 1 -> HostileText.NUMBERS.get(r.nextInt(HostileText.NUMBERS.size()));
            case 2 -> "";
            default -> HostileText.line(r, 12);
        };
    }

    /** One CSV row: fields quoted when they must be (or at random), quotes doubled. */
    static String csvRow(List<String> fields) {
        List<String> out = new ArrayList<>();
        for (String field : fields) {
            boolean quote = field.isEmpty() && fields.size() == 1 || field.contains(",") || field.contains("\"")
                    || field.contains("\n") || field.contains("\r") || field.hashCode() % 3 == 0;
            out.add(quote ? "\"" + field.replace("\"", "\"\"") + "\"" : field);
        }
        return String.join(",", out);
    }

    /** Records as canonical CSV rows with the same fields. */
    private static String asCsv(List<String> lines) {
        StringBuilder out = new StringBuilder("timestamp,model,prompt_tokens,completion_tokens,cost_usd,app\n");
        for (String line : lines) {
            out.append(csvRow(csvFields(line))).append('\n');
        }
        return out.toString();
    }

    private static List<String> csvFields(String line) {
        JsonNode record = parse(line);
        return List.of(record.get("timestamp").asText(), record.get("model").asText(),
                record.get("prompt_tokens").asText(), record.get("completion_tokens").asText(),
                record.path("cost_usd").asText(""), record.get("app").asText());
    }

    /** The characters a record takes as a CSV row, as the reader counts them (without the line break). */
    private static int csvLength(String line) {
        return csvRow(csvFields(line)).length();
    }

    private static List<List<String>> parseCsv(String text) {
        // The fixtures' rows, through the reader's own rules: quoted fields may hold commas and line breaks.
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else if (c != '\r') {
                field.append(c);
            }
        }
        if (field.length() > 0 || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }

    // ---- shrinkers

    private static PropertyCheck.Shrinker<Mixed> mixedShrinker() {
        return mixed -> java.util.stream.IntStream.range(1, mixed.lines().size()).mapToObj(drop -> {
            List<String> lines = new ArrayList<>(mixed.lines());
            List<Boolean> good = new ArrayList<>(mixed.good());
            lines.remove(drop);
            good.remove(drop);
            return new Mixed(lines, good);
        });
    }

    private static PropertyCheck.Shrinker<Csv> csvShrinker() {
        return csv -> java.util.stream.IntStream.range(0, csv.rows().size()).mapToObj(drop -> {
            List<List<String>> rows = new ArrayList<>(csv.rows());
            rows.remove(drop);
            return new Csv(csv.header(), rows);
        }).filter(c -> !c.rows().isEmpty());
    }

    // ---- reading

    private static ReaderContract.Outcome read(Upload upload, Optional<String> declared) {
        return read(upload, declared, Limits.DEFAULT);
    }

    private static ReaderContract.Outcome read(Upload upload, Optional<String> declared, Limits limits) {
        try {
            return ReaderContract.read(upload.key(), upload.bytes(), declared, limits);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many good records a line (or a small file) gives read on its own. */
    private static long goodAlone(String key, String text) {
        return read(new Upload(key, utf8(text)), Optional.empty()).good();
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> fieldNames() {
        Set<String> names = new TreeSet<>();
        for (ReaderMutationFuzzTest.Fixture fixture : ReaderMutationFuzzTest.fixtures()) {
            if (fixture.name().endsWith(".csv")) {
                names.addAll(List.of(firstLineOf(fixture.bytes()).split(",")));
                continue;
            }
            String text = new String(fixture.bytes(), StandardCharsets.UTF_8);
            for (String part : fixture.name().endsWith(".jsonl") ? text.split("\n") : new String[] {text}) {
                if (!part.isBlank()) {
                    collectNames(parse(part), names);
                }
            }
        }
        return List.copyOf(names);
    }

    private static void collectNames(JsonNode node, Set<String> into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            into.add(it.next().getKey());
        }
        node.forEach(child -> collectNames(child, into));
    }

    private static String firstLine(String resource) {
        return firstLineOf(Fixtures.resource(resource));
    }

    private static String firstLineOf(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        return text.substring(0, text.indexOf('\n')).replace("\r", "");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

}
