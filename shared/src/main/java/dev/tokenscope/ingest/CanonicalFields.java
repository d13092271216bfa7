package dev.tokenscope.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Maps one canonical row (a JSON object, or a CSV row seen as an object of strings) onto a UsageRecord.
 * The field names here are the canonical schema's (docs/canonical-record.md); unknown fields are ignored so
 * that files written by a newer tokenscope stay readable. Its public field readers (text, count, cost, flag,
 * timestamps) are the ones every format's mapper uses: numbers as strings, blanks and nulls are tolerated the same
 * way everywhere, and a malformed value throws InvalidFieldException naming the field.
 */
public final class CanonicalFields {

    /** Cost is kept to 10 decimal places (1e-10 USD) so that every sum, online or in SQL, is exact decimal. */
    public static final int COST_SCALE = 10;

    /** The longest number written as text that is read (see decimal). */
    public static final int MAX_NUMBER_CHARS = 100;
    private static final BigDecimal MAX_COST = BigDecimal.valueOf(1_000_000);
    /** Below this a cost rounds to zero at COST_SCALE. */
    private static final BigDecimal NEGLIGIBLE_COST = new BigDecimal("1e-11");

    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private CanonicalFields() {
    }

    public static UsageRecord toRecord(JsonNode row) {
        if (!row.isObject()) {
            throw new InvalidFieldException("expected a JSON object, got " + row.getNodeType().name().toLowerCase());
        }
        Optional<String> model = text(row, "model");
        if (model.isEmpty()) {
            throw new InvalidFieldException("missing field 'model'");
        }
        return UsageRecord.builder(timestamp(row), model.get())
                .requestId(text(row, "request_id"))
                .accountId(text(row, "account_id"))
                .userId(text(row, "user_id"))
                .app(text(row, "app"))
                .tags(tags(row))
                .provider(text(row, "provider"))
                .requests(optionalCount(row, "requests").orElse(1))
                .promptTokens(count(row, "prompt_tokens"))
                .completionTokens(count(row, "completion_tokens"))
                .reasoningTokens(count(row, "reasoning_tokens"))
                .cacheReadTokens(count(row, "cache_read_tokens"))
                .cacheWriteTokens(count(row, "cache_write_tokens"))
                .costUsd(cost(row, "cost_usd"))
                .finishReason(text(row, "finish_reason"))
                .toolsOffered(flag(row, "tools_offered").orElse(false))
                .toolCalled(flag(row, "tool_called"))
                .streamed(flag(row, "streamed").orElse(false))
                .latencyMs(optionalCount(row, "latency_ms"))
                .country(text(row, "country").map(c -> c.toUpperCase(java.util.Locale.ROOT)))
                .region(text(row, "region"))
                .errorCode(text(row, "error_code"))
                .prompt(text(row, "prompt"))
                .systemPrompt(text(row, "system_prompt"))
                .tools(names(row, "tools"))
                .build();
    }

    public static Optional<String> text(JsonNode row, String field) {
        JsonNode node = row.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isValueNode()) {
            throw new InvalidFieldException("field '" + field + "' must be a string, got " + kind(node));
        }
        String value = node.asText().trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    public static long count(JsonNode row, String field) {
        OptionalLong value = optionalCount(row, field);
        return value.isPresent() ? value.getAsLong() : 0L;
    }

    public static OptionalLong optionalCount(JsonNode row, String field) {
        JsonNode node = row.get(field);
        if (node == null || node.isNull() || (node.isTextual() && node.asText().isBlank())) {
            return OptionalLong.empty();
        }
        long value;
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            value = node.asLong();
        } else if (node.isNumber() || node.isTextual()) {
            // Exports that write every number as a float ("1200.0") are fine; "12.5" tokens are not.
            value = wholeNumber(field, node.asText().trim());
        } else {
            throw new InvalidFieldException("field '" + field + "' must be a whole number, got " + kind(node));
        }
        if (value < 0) {
            throw new InvalidFieldException("field '" + field + "' must not be negative, got " + value);
        }
        return OptionalLong.of(value);
    }

    private static long wholeNumber(String field, String text) {
        try {
            return parseDecimal(text).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new InvalidFieldException("field '" + field + "' must be a whole number, got '"
                    + abbreviate(text) + "'");
        }
    }

    public static Optional<BigDecimal> cost(JsonNode row, String field) {
        JsonNode node = row.get(field);
        if (node == null || node.isNull() || (node.isTextual() && node.asText().isBlank())) {
            return Optional.empty();
        }
        BigDecimal value = decimal(node, field);
        // Printed as written (1E+9), not plain: 1e999999999 in plain digits would be a gigabyte of zeros.
        if (value.signum() < 0) {
            throw new InvalidFieldException("field '" + field + "' must not be negative, got "
                    + abbreviate(value.toString()));
        }
        if (value.compareTo(MAX_COST) > 0) {
            throw new InvalidFieldException("field '" + field + "' is over 1,000,000 USD for one request: "
                    + abbreviate(value.toString()));
        }
        if (value.compareTo(NEGLIGIBLE_COST) < 0) {
            // Rounds to zero. Rounding it would rescale a value like 1e-10000000 by ten million digits (minutes).
            return Optional.of(BigDecimal.ZERO.setScale(COST_SCALE));
        }
        return Optional.of(value.setScale(COST_SCALE, RoundingMode.HALF_EVEN));
    }

    /**
     * A JSON number, or a number written as text, as a decimal. Refused (InvalidFieldException): anything else,
     * a number too large for a double (1e400 reads as infinity), and text longer than {@value #MAX_NUMBER_CHARS}
     * characters, which no real count or cost needs and whose parsing takes quadratic time (a million digits in a
     * cell would hold the reader for most of a minute).
     */
    public static BigDecimal decimal(JsonNode node, String field) {
        if (node.isNumber()) {
            if (node.isFloatingPointNumber() && !Double.isFinite(node.asDouble())) {
                throw new InvalidFieldException("field '" + field + "' is not a finite number");
            }
            return node.decimalValue();
        }
        if (!node.isTextual()) {
            throw new InvalidFieldException("field '" + field + "' must be a number, got " + kind(node));
        }
        try {
            return parseDecimal(node.asText().trim());
        } catch (NumberFormatException e) {
            throw new InvalidFieldException("field '" + field + "' must be a number, got '"
                    + abbreviate(node.asText()) + "'");
        }
    }

    private static BigDecimal parseDecimal(String text) {
        if (text.length() > MAX_NUMBER_CHARS) {
            throw new NumberFormatException("longer than " + MAX_NUMBER_CHARS + " characters");
        }
        return new BigDecimal(text);
    }

    public static Optional<Boolean> flag(JsonNode row, String field) {
        JsonNode node = row.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (node.isBoolean()) {
            return Optional.of(node.asBoolean());
        }
        String value = node.asText().trim().toLowerCase(java.util.Locale.ROOT);
        return switch (value) {
            case "" -> Optional.empty();
            case "true", "1", "yes", "y" -> Optional.of(true);
            case "false", "0", "no", "n" -> Optional.of(false);
            default -> throw new InvalidFieldException("field '" + field + "' must be true or false, got '"
                    + abbreviate(value) + "'");
        };
    }

    static Instant timestamp(JsonNode row) {
        return timestamp(row, "timestamp");
    }

    /** A required date-time field of any format: ISO-8601 text or an epoch number, in range. */
    public static Instant timestamp(JsonNode row, String field) {
        JsonNode node = row.get(field);
        if (node == null || node.isNull() || (node.isTextual() && node.asText().isBlank())) {
            throw new InvalidFieldException("missing field '" + field + "'");
        }
        Instant instant;
        if (node.isNumber()) {
            instant = fromEpoch(node.asDouble());
        } else if (node.isTextual()) {
            instant = parseTimestamp(node.asText().trim(), field);
        } else {
            throw new InvalidFieldException("field '" + field + "' must be an ISO-8601 string or epoch number, got "
                    + kind(node));
        }
        return inRange(instant, field);
    }

    /**
     * Dates outside 2000..2099 are a broken clock or a unit mistake (seconds read as milliseconds): refused, so a
     * bad record cannot open a rollup partition decades away.
     */
    public static Instant inRange(Instant instant, String field) {
        if (instant.isBefore(EARLIEST) || !instant.isBefore(LATEST)) {
            throw new InvalidFieldException("field '" + field + "' is out of range (2000..2099): " + instant);
        }
        return instant;
    }

    public static Instant parseTimestamp(String text) {
        return parseTimestamp(text, "timestamp");
    }

    private static Instant parseTimestamp(String text, String field) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException ignored) {
            // Not an offset date-time; a zone-less one is read as UTC below.
        }
        try {
            return OffsetDateTime.parse(text.replace(' ', 'T')).toInstant();
        } catch (DateTimeException ignored) {
            // "2026-11-02 09:15:02+00:00": SQL-style with an offset.
        }
        try {
            return LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException ignored) {
            // Maybe epoch seconds or milliseconds written as text.
        }
        try {
            return fromEpoch(Double.parseDouble(text));
        } catch (NumberFormatException e) {
            throw new InvalidFieldException("field '" + field + "' is not an ISO-8601 date-time or epoch number: '"
                    + abbreviate(text) + "'");
        }
    }

    /** Epoch values above 1e11 are milliseconds (1e11 seconds is the year 5138). */
    public static Instant fromEpoch(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new InvalidFieldException("field 'timestamp' is not a finite number");
        }
        double millis = value >= 1e11 ? value : value * 1000;
        return Instant.ofEpochMilli((long) millis);
    }

    /** At most this many tool names are kept per record: enough to tell an agent, bounded whatever the log. */
    public static final int MAX_TOOL_NAMES = 64;

    /**
     * A list of names: a JSON array of strings, or text "a;b;c" (CSV), or a JSON array as text. Blank names are
     * skipped; at most {@value #MAX_TOOL_NAMES} are kept.
     */
    public static List<String> names(JsonNode row, String field) {
        JsonNode node = row.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isTextual()) {
            String text = node.asText().trim();
            if (text.startsWith("[")) {
                try {
                    node = JSON.readTree(text);
                } catch (Exception e) {
                    throw new InvalidFieldException("field '" + field + "' is not a JSON array of names");
                }
            } else {
                return boundedNames(java.util.Arrays.asList(text.split(";")));
            }
        }
        if (!node.isArray()) {
            throw new InvalidFieldException("field '" + field + "' must be a list of names, got " + kind(node));
        }
        List<String> names = new java.util.ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isValueNode() || item.isNull()) {
                throw new InvalidFieldException("field '" + field + "' must hold names (strings), got "
                        + kind(item));
            }
            names.add(item.asText());
        }
        return boundedNames(names);
    }

    private static List<String> boundedNames(List<String> names) {
        return names.stream().map(String::trim).filter(n -> !n.isEmpty()).limit(MAX_TOOL_NAMES).toList();
    }

    static Map<String, String> tags(JsonNode row) {
        JsonNode node = row.get("tags");
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (node.isTextual()) {
            String text = node.asText().trim();
            if (text.isEmpty()) {
                return Map.of();
            }
            if (text.startsWith("{")) {
                try {
                    node = JSON.readTree(text);
                } catch (Exception e) {
                    throw new InvalidFieldException("field 'tags' is not a JSON object: '" + abbreviate(text) + "'");
                }
            } else {
                return pairs(text);
            }
        }
        if (!node.isObject()) {
            throw new InvalidFieldException("field 'tags' must be an object of strings, got " + kind(node));
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getValue().isNull()) {
                continue;
            }
            if (!entry.getValue().isValueNode()) {
                throw new InvalidFieldException("tag '" + entry.getKey() + "' must be a string, got "
                        + kind(entry.getValue()));
            }
            tags.put(entry.getKey(), entry.getValue().asText());
        }
        return tags;
    }

    /** The CSV spelling of tags: {@code team=search;env=prod}. */
    private static Map<String, String> pairs(String text) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String pair : text.split(";")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new InvalidFieldException("field 'tags' must be key=value pairs separated by ';', got '"
                        + abbreviate(pair) + "'");
            }
            tags.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return tags;
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A value quoted in a reason: at most 60 characters, control characters escaped (see escapeControls). */
    public static String abbreviate(String text) {
        return escapeControls(text.length() <= 60 ? text : text.substring(0, 57) + "...");
    }

    /**
     * Text from a file made safe to print in a reason: control characters as \\uXXXX. Reasons reach logs and
     * terminals, where a line break or an escape sequence from a file must not forge lines or colours.
     */
    public static String escapeControls(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
