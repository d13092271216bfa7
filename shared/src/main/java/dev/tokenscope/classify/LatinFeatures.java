package dev.tokenscope.classify;

/**
 * The features of the Latin-script model, shared by training (LanguageModelBuild) and scoring so the two can
 * never disagree: for every lower-cased word, its character 1-, 2- and 3-grams with spaces as word
 * boundaries, and the word itself. Tokens that look like identifiers (digits, underscores, camelCase,
 * dots inside, code symbols) are skipped: they carry the language of a program, not of the prompt.
 *
 * <p>Keys are longs: an n-gram packs its chars (16 bits each) and its length; a word is a 64-bit FNV-1a
 * hash with the top bit set, so the two kinds never collide with each other.
 */
public final class LatinFeatures {

    /** Longer words add no n-grams worth the cost; they still count through their first 24 letters. */
    private static final int MAX_WORD = 24;

    private LatinFeatures() {
    }

    /** Receives features; a plain interface rather than a collection so scoring allocates nothing. */
    public interface Sink {
        void accept(long key);
    }

    /**
     * Receives the words of a text: the lower-cased letters in {@code w[1..len]}; {@code w[0]} and
     * {@code w[len + 1]} are free for {@link #emitWord} to write the word boundaries into.
     */
    interface WordSink {
        /** Returns false to stop: no later word is passed on. */
        boolean word(char[] w, int len);
    }

    /** Calls {@code sink} for every feature of {@code text}; returns the number of letters used. */
    public static int extract(CharSequence text, Sink sink) {
        return forEachWord(text, text.length(), (w, len) -> {
            emitWord(w, len, sink);
            return true;
        });
    }

    /** Calls {@code words} with every word {@link #extract} makes a word feature of (for the model file). */
    public static void forEachWord(CharSequence text, java.util.function.Consumer<String> words) {
        forEachWord(text, text.length(), (w, len) -> {
            words.accept(new String(w, 1, len));
            return true;
        });
    }

    /**
     * Calls {@code sink} for every word of {@code text} before {@code end} whose features {@link #extract}
     * takes (scoring works word by word); returns the number of letters used.
     */
    static int forEachWord(CharSequence text, int end, WordSink sink) {
        char[] word = new char[MAX_WORD + 2];
        int letters = 0;
        int n = Math.min(end, text.length());
        int i = 0;
        while (i < n) {
            while (i < n && isSpace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isSpace(text.charAt(i))) {
                i++;
            }
            if (start < i && !looksLikeIdentifier(text, start, i)) {
                int used = words(text, start, i, word, sink);
                if (used < 0) {
                    return letters - used - 1;
                }
                letters += used;
            }
        }
        return letters;
    }

    /** {@link Character#isWhitespace}, without the table lookup for ASCII. */
    static boolean isSpace(char c) {
        if (c <= ' ') {
            return c == ' ' || c >= 9 && c <= 13 || c >= 28;
        }
        return c >= 0x80 && Character.isWhitespace(c);
    }

    /**
     * Splits one whitespace token into letter runs (apostrophes and hyphens split words too); returns the
     * letters used, or {@code -1 - letters} when the sink asked to stop.
     */
    private static int words(CharSequence text, int from, int to, char[] word, WordSink sink) {
        int letters = 0;
        int len = 0;
        for (int i = from; i <= to; i++) {
            char c = i < to ? text.charAt(i) : ' ';
            if (c < 0x80 ? (c | 0x20) >= 'a' && (c | 0x20) <= 'z' : isLatinLetter(c)) {
                if (len < MAX_WORD) {
                    word[1 + len++] = c < 0x80 ? (char) (c | 0x20) : Character.toLowerCase(c);
                }
            } else if (len > 0) {
                letters += len;
                if (!sink.word(word, len)) {
                    return -1 - letters;
                }
                len = 0;
            }
        }
        return letters;
    }

    /** Calls {@code sink} with the features of one word ({@link WordSink} layout): its n-grams, then itself. */
    static void emitWord(char[] w, int len, Sink sink) {
        w[0] = ' ';
        w[len + 1] = ' ';
        int padded = len + 2;
        for (int i = 1; i <= len; i++) {
            sink.accept(gram(w[i]));
        }
        for (int i = 0; i + 1 < padded; i++) {
            sink.accept(gram(w[i], w[i + 1]));
        }
        for (int i = 0; i + 2 < padded; i++) {
            sink.accept(gram(w[i], w[i + 1], w[i + 2]));
        }
        sink.accept(wordKey(w, len));
    }

    /** The key of the word feature of {@code w[1..len]}. */
    static long wordKey(char[] w, int len) {
        long h = 0xcbf29ce484222325L;
        for (int i = 1; i <= len; i++) {
            h ^= w[i];
            h *= 0x100000001b3L;
        }
        return h | Long.MIN_VALUE;
    }

    static long gram(char a) {
        return (1L << 48) | a;
    }

    static long gram(char a, char b) {
        return (2L << 48) | ((long) a << 16) | b;
    }

    static long gram(char a, char b, char c) {
        return (3L << 48) | ((long) a << 32) | ((long) b << 16) | c;
    }

    /** Key of a feature written in the model file: "g:" + n-gram ('_' for a word boundary) or "w:" + word. */
    public static long keyOf(String feature) {
        String body = feature.substring(2).replace('_', ' ');
        if (feature.startsWith("w:")) {
            long h = 0xcbf29ce484222325L;
            for (int i = 0; i < body.length(); i++) {
                h ^= body.charAt(i);
                h *= 0x100000001b3L;
            }
            return h | Long.MIN_VALUE;
        }
        return switch (body.length()) {
            case 1 -> gram(body.charAt(0));
            case 2 -> gram(body.charAt(0), body.charAt(1));
            case 3 -> gram(body.charAt(0), body.charAt(1), body.charAt(2));
            default -> throw new IllegalArgumentException("n-gram of length " + body.length() + ": " + feature);
        };
    }

    /** Readable name of a key produced by {@link #extract}, for the model file; words need their text. */
    public static String nameOfGram(long key) {
        int len = (int) (key >>> 48);
        StringBuilder sb = new StringBuilder("g:");
        for (int i = len - 1; i >= 0; i--) {
            sb.append((char) ((key >>> (16 * i)) & 0xFFFF));
        }
        return sb.toString().replace(' ', '_');
    }

    static boolean isLatinLetter(char c) {
        if (c < 0x80) {
            return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
        }
        return ScriptCounts.letterScript(c) == Character.UnicodeScript.LATIN;
    }

    private static boolean looksLikeIdentifier(CharSequence t, int from, int to) {
        boolean lowerSeen = false;
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c >= '0' && c <= '9' || c == '_' || c == '=' || c == '<' || c == '>' || c == '{' || c == '}'
                || c == '[' || c == ']' || c == '\\' || c == '/' || c == '|' || c == '#' || c == '$' || c == '*') {
                return true;
            }
            if (c == '.' && i + 1 < to && isLetter(t.charAt(i + 1)) && i > from
                && isLetter(t.charAt(i - 1)) && i + 2 < to) {
                return true; // a.b.c, file.txt; "e.g." and "U.S." are short and kept
            }
            if (c == '(' && i > from && i + 1 < to && t.charAt(i + 1) == ')') {
                return true; // call()
            }
            if (c < 0x80) {
                if (c >= 'A' && c <= 'Z' && lowerSeen) {
                    return true; // camelCase
                }
                lowerSeen |= c >= 'a' && c <= 'z';
                continue;
            }
            if (Character.isUpperCase(c) && lowerSeen) {
                return true;
            }
            if (Character.isLowerCase(c)) {
                lowerSeen = true;
            }
        }
        return false;
    }

    private static boolean isLetter(char c) {
        return c < 0x80 ? (c | 0x20) >= 'a' && (c | 0x20) <= 'z' : Character.isLetter(c);
    }
}
