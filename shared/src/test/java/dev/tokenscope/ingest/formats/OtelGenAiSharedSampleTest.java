package dev.tokenscope.ingest.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenscope.ingest.BodyResolver;
import dev.tokenscope.ingest.FormatRegistry;
import dev.tokenscope.ingest.Limits;
import dev.tokenscope.ingest.LogReaders;
import dev.tokenscope.ingest.ParsedLine;
import dev.tokenscope.ingest.UsageRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Reads the OpenTelemetry GenAI semantic-convention examples kept in the shared data. That sample is Markdown (the
 * spec's attribute tables and JSON blocks), not an OTLP file: this test turns its span tables into the OTLP/JSON
 * export an SDK's file exporter would write for them, attribute for attribute (messages as JSON strings, as SDKs
 * without structured span attributes record them), and reads that through the registry. The spec gives no span
 * times, so the start and end times here are this test's own.
 */
class OtelGenAiSharedSampleTest {

    private static final Path SAMPLE = Path.of(
            "../../shared/data/formats/otel-genai-semconv-examples/examples-llm-calls.md");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long FIRST_START = 1_769_644_800_000_000_000L; // 2026-01-29T00:00:00Z
    private static final long SPACING = 60_000_000_000L;
    private static final long DURATION = 1_500_000_000L;

    /** The sections whose span tables are read, in file order (event-only tables are left out). */
    private static final List<String> SECTIONS = List.of(
            "### GenAI client span when content capturing is enabled on span attributes",
            "### GenAI client spans when content capturing is enabled on span attributes",
            "## System instructions along with chat history (content enabled)",
            "## Chat completion with reasoning (content enabled)");

    @Test
    void read_shouldExtractTheSpecExampleSpans_whenExportedAsOtlpJson() throws IOException {
        // given
        if (!Files.isRegularFile(SAMPLE)) {
            fail("shared sample missing: " + SAMPLE.toAbsolutePath().normalize()
                    + " (expected the OpenTelemetry GenAI examples from /work/shared/data/formats)");
        }
        String markdown = Files.readString(SAMPLE);
        String export = toOtlpJson(markdown);

        // when
        List<ParsedLine> lines = new ArrayList<>();
        String formatId;
        try (LogReaders.Opened opened = LogReaders.open("s3://bucket/otel/examples.jsonl", "otel/examples.jsonl",
                new ByteArrayInputStream(export.getBytes(StandardCharsets.UTF_8)), FormatRegistry.standard(Map.of()),
                Optional.empty(), Limits.DEFAULT, BodyResolver.NONE)) {
            formatId = opened.format().id();
            opened.reader().forEachRemaining(lines::add);
        }

        // then: six span tables; the execute_tool span is not a model call
        assertEquals("otel", formatId);
        assertEquals(5, lines.size());
        List<UsageRecord> records = lines.stream()
                .map(l -> assertInstanceOf(ParsedLine.Good.class, l).record()).toList();
        for (UsageRecord r : records) {
            assertEquals("gpt-4-0613", r.model());
            assertEquals(Optional.of("openai"), r.provider());
            assertEquals(OptionalLong.of(1500), r.latencyMs());
            assertEquals(Optional.empty(), r.errorCode());
        }

        UsageRecord simple = records.get(0);
        assertEquals(Instant.parse("2026-01-29T00:00:00Z"), simple.timestamp());
        assertEquals(52, simple.promptTokens());
        assertEquals(47, simple.completionTokens());
        assertEquals(Optional.of("chatcmpl-9J3uIL87gldCFtiIbyaOvTeYBRA3l"), simple.requestId());
        assertEquals(Optional.of("stop"), simple.finishReason());
        assertEquals(Optional.of(false), simple.toolCalled());
        assertEquals(Optional.of("You are a helpful bot"), simple.systemPrompt());
        assertEquals(Optional.of("Tell me a joke about OpenTelemetry"), simple.prompt());

        UsageRecord toolCall = records.get(1);
        assertEquals(47, toolCall.promptTokens());
        assertEquals(17, toolCall.completionTokens());
        assertEquals(Optional.of("tool_calls"), toolCall.finishReason());
        assertEquals(Optional.of(true), toolCall.toolCalled());
        assertEquals(Optional.of("Weather in Paris?"), toolCall.prompt());

        // The second tool-call span has no gen_ai.operation.name in the spec: read by provider + usage.
        UsageRecord afterTool = records.get(2);
        assertEquals(Instant.parse("2026-01-29T00:03:00Z"), afterTool.timestamp());
        assertEquals(97, afterTool.promptTokens());
        assertEquals(52, afterTool.completionTokens());
        assertEquals(Optional.of("chatcmpl-call_VSPygqKTWdrhaFErNvMV18Yl"), afterTool.requestId());
        assertEquals(Optional.of("stop"), afterTool.finishReason());
        assertEquals(Optional.of(false), afterTool.toolCalled());
        assertEquals(Optional.of("Weather in Paris?"), afterTool.prompt());

        UsageRecord instructions = records.get(3);
        assertEquals(28, instructions.promptTokens());
        assertEquals(10, instructions.completionTokens());
        assertEquals(Optional.of("You must never tell jokes\nYou are a helpful bot"), instructions.systemPrompt());
        assertEquals(Optional.of("Tell me a joke about OpenTelemetry"), instructions.prompt());

        UsageRecord reasoning = records.get(4);
        assertEquals(52, reasoning.promptTokens());
        assertEquals(47, reasoning.completionTokens());
        assertEquals(Optional.of("stop"), reasoning.finishReason());
    }

    /** Every span table of the chosen sections as one OTLP/JSON export request on one line. */
    private static String toOtlpJson(String markdown) throws IOException {
        Map<String, String> blocks = jsonBlocksByAnchor(markdown);
        ArrayNode spans = JSON.createArrayNode();
        for (String heading : SECTIONS) {
            int start = markdown.indexOf("\n" + heading + "\n");
            assertTrue(start >= 0, "section not found in the sample: " + heading);
            int end = nextHeading(markdown, start + heading.length() + 2);
            for (Map<String, String> table : tables(markdown.substring(start, end))) {
                spans.add(span(table, blocks, spans.size()));
            }
        }
        assertEquals(6, spans.size(), "span tables read from the sample");
        ObjectNode request = JSON.createObjectNode();
        ObjectNode resourceSpans = request.putArray("resourceSpans").addObject();
        resourceSpans.putObject("resource").putArray("attributes");
        ObjectNode scopeSpans = resourceSpans.putArray("scopeSpans").addObject();
        scopeSpans.putObject("scope").put("name", "semconv-examples");
        scopeSpans.set("spans", spans);
        return JSON.writeValueAsString(request) + "\n";
    }

    private static int nextHeading(String markdown, int from) {
        Matcher m = Pattern.compile("\n#{2,3} ").matcher(markdown);
        return m.find(from) ? m.start() : markdown.length();
    }

    /** Each Property/Value table as its rows: first column without backticks, second column as written. */
    private static List<Map<String, String>> tables(String section) {
        List<Map<String, String>> tables = new ArrayList<>();
        Map<String, String> current = null;
        for (String line : section.split("\n")) {
            if (line.startsWith("| Property")) {
                current = new LinkedHashMap<>();
                tables.add(current);
            } else if (current != null && line.startsWith("|") && !line.startsWith("| --")) {
                String[] cells = line.split("\\|");
                current.put(cells[1].trim().replace("`", ""), cells[2].trim());
            } else if (!line.startsWith("|")) {
                current = null;
            }
        }
        return tables;
    }

    /** The ```json block after each <span id="..."> anchor. */
    private static Map<String, String> jsonBlocksByAnchor(String markdown) {
        Map<String, String> blocks = new LinkedHashMap<>();
        Matcher m = Pattern.compile("<span id=\"([^\"]+)\">.*?```json\n(.*?)\n```", Pattern.DOTALL).matcher(markdown);
        while (m.find()) {
            blocks.put(m.group(1), m.group(2));
        }
        return blocks;
    }

    private static ObjectNode span(Map<String, String> table, Map<String, String> blocks, int index)
            throws IOException {
        ObjectNode span = JSON.createObjectNode();
        span.put("traceId", unquote(table.getOrDefault("Trace id", "\"4bf92f3577b34da6a3ce929d0e0e4736\"")));
        span.put("spanId", unquote(table.getOrDefault("Span id", "\"00f067aa0ba902b" + index + "\"")));
        span.put("name", unquote(table.get("Span name")));
        span.put("kind", 3);
        long start = FIRST_START + index * SPACING;
        span.put("startTimeUnixNano", Long.toString(start));
        span.put("endTimeUnixNano", Long.toString(start + DURATION));
        ArrayNode attributes = span.putArray("attributes");
        for (Map.Entry<String, String> row : table.entrySet()) {
            if (!row.getKey().startsWith("gen_ai.")) {
                continue;
            }
            ObjectNode attribute = attributes.addObject();
            attribute.put("key", row.getKey());
            attribute.set("value", anyValue(row.getValue(), blocks));
        }
        span.putObject("status");
        return span;
    }

    /** A table value as OTLP AnyValue: a linked JSON block becomes a JSON string, int64 a decimal string. */
    private static ObjectNode anyValue(String cell, Map<String, String> blocks) throws IOException {
        ObjectNode value = JSON.createObjectNode();
        Matcher link = Pattern.compile("\\]\\(#([^)]+)\\)").matcher(cell);
        if (link.find()) {
            String block = blocks.get(link.group(1));
            assertTrue(block != null, "no JSON block for anchor " + link.group(1));
            return value.put("stringValue", JSON.readTree(block).toString());
        }
        JsonNode literal = JSON.readTree(cell.replace("`", ""));
        if (literal.isTextual()) {
            value.put("stringValue", literal.asText());
        } else if (literal.isIntegralNumber()) {
            value.put("intValue", literal.asText());
        } else if (literal.isNumber()) {
            value.put("doubleValue", literal.asDouble());
        } else if (literal.isArray()) {
            ArrayNode values = value.putObject("arrayValue").putArray("values");
            literal.forEach(v -> values.addObject().put("stringValue", v.asText()));
        } else {
            fail("unexpected table value: " + cell);
        }
        return value;
    }

    private static String unquote(String cell) {
        return cell == null ? "span" : cell.replace("`", "").replace("\"", "");
    }
}
