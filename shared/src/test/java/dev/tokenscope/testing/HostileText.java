package dev.tokenscope.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * The characters and bytes that break readers, for the generators of the hostile-input tests: JSON and CSV
 * punctuation, line breaks of every kind, control characters, byte-order marks, Unicode quotes and separators,
 * surrogates (paired and lone), and byte sequences that are not UTF-8.
 */
public final class HostileText {

    /** Characters that mean something to JSON, CSV or SQL, or that tools treat as line breaks. */
    public static final String PUNCTUATION = "{}[]\":,\\'`;-/*#=\n\r\t ";

    /** One string per kind of awkward character; each is one code point (two chars for the pairs). */
    public static final List<String> ODD = List.of(
            "\u0000", "\u0001", "\u001b", "\u007f", "\u0085", "\u00a0", "\u00ad", "\u200b", "\u200e", "\u202e",
            "\u2028", "\u2029", "\uFEFF", "\uFFFD", "\uFFFF", "\u2018", "\u2019", "\u201c", "\u201d", "\u02bc",
            "\uFF07", "\uFF02", "\u0301", "\u4e2d", "\u0645", "\ud83d\ude00", "\ud800", "\udfff", "\u00e9", "e\u0301");

    /** Byte sequences that are not UTF-8: lone continuation bytes, cut sequences, overlong forms, surrogates. */
    public static final List<byte[]> INVALID_UTF8 = List.of(
            new byte[] {(byte) 0x80}, new byte[] {(byte) 0xbf}, new byte[] {(byte) 0xc3},
            new byte[] {(byte) 0xe2, (byte) 0x82}, new byte[] {(byte) 0xf0, (byte) 0x9f, (byte) 0x98},
            new byte[] {(byte) 0xc0, (byte) 0xaf}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            new byte[] {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            new byte[] {(byte) 0xfe}, new byte[] {(byte) 0xff}, new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80,
                    (byte) 0x80});

    /** Numbers a field of counts or costs should refuse, or survive: huge, tiny, negative, not numbers at all. */
    public static final List<String> NUMBERS = List.of(
            "-1", "-0", "0", "1.5", "1e3", "1E+2", "-1e-7", "1e999", "-1e999", "1e-999", "9223372036854775807",
            "9223372036854775808", "-9223372036854775809", "99999999999999999999999999999999999999",
            "0.000000000001", "123456789012345678901234567890.5", "1" + "0".repeat(1200), "0." + "0".repeat(400) + "1",
            "NaN", "Infinity", "-Infinity", "0x10", "1_000", "01", "+1", ".5", "5.", "\"12\"", "\"-3\"", "\"1e400\"",
            "true", "null", "\"\"", "[]", "{}");

    private HostileText() {
    }

    /** A string of up to {@code max} chars, drawn from plain text, punctuation and the odd characters. */
    public static String string(Random random, int max) {
        int length = random.nextInt(max + 1);
        StringBuilder out = new StringBuilder(length);
        int style = random.nextInt(4);
        while (out.length() < length) {
            int pick = random.nextInt(10);
            if (style == 0 || pick < 4) {
                out.append((char) (' ' + random.nextInt(95)));
            } else if (pick < 7) {
                out.append(PUNCTUATION.charAt(random.nextInt(PUNCTUATION.length())));
            } else if (pick < 9) {
                out.append(ODD.get(random.nextInt(ODD.size())));
            } else {
                out.append((char) random.nextInt(0x10000));
            }
        }
        return out.toString();
    }

    /** A string as {@link #string} without line breaks of any kind (\n, \r): one line of a file. */
    public static String line(Random random, int max) {
        return string(random, max).replace('\n', ' ').replace('\r', ' ');
    }

    /** Random bytes: noise, text, or text with invalid UTF-8 spliced in. */
    public static byte[] bytes(Random random, int max) {
        int kind = random.nextInt(3);
        if (kind == 0) {
            byte[] noise = new byte[random.nextInt(max + 1)];
            random.nextBytes(noise);
            return noise;
        }
        byte[] text = string(random, max).getBytes(StandardCharsets.UTF_8);
        if (kind == 1 || text.length == 0) {
            return text;
        }
        byte[] bad = INVALID_UTF8.get(random.nextInt(INVALID_UTF8.size()));
        int at = random.nextInt(text.length + 1);
        byte[] out = new byte[text.length + bad.length];
        System.arraycopy(text, 0, out, 0, at);
        System.arraycopy(bad, 0, out, at, bad.length);
        System.arraycopy(text, at, out, at + bad.length, text.length - at);
        return out;
    }

    /** Brackets nested {@code depth} deep around a value: {"a":{"a":...}} or [[...]]. */
    public static String nested(int depth, boolean objects, String inner) {
        StringBuilder out = new StringBuilder(depth * 6 + inner.length());
        for (int i = 0; i < depth; i++) {
            out.append(objects ? "{\"a\":" : "[");
        }
        out.append(inner);
        for (int i = 0; i < depth; i++) {
            out.append(objects ? '}' : ']');
        }
        return out.toString();
    }
}
