package dev.tokenscope.classify;

/**
 * Extracts the natural-language part of a prompt so that code does not decide its language: drops fenced
 * code blocks, inline code, URLs, e-mail addresses and lines that look like code, and keeps at most
 * {@link #MAX_SAMPLE} characters of what is left. Only the first {@link #MAX_SCAN} characters of the input
 * are read, so the cost per prompt is bounded whatever its size.
 */
final class NaturalText {

    /** Characters of natural text that are enough to decide; more adds cost, not accuracy. */
    static final int MAX_SAMPLE = 1500;
    /** Characters of input read at most (a long code block before the question must not hide it). */
    static final int MAX_SCAN = 16_384;

    private NaturalText() {
    }

    static String extract(String text) {
        int end = Math.min(text.length(), MAX_SCAN);
        StringBuilder out = new StringBuilder(Math.min(end, MAX_SAMPLE) + 16);
        int pos = 0;
        boolean inFence = false;
        while (pos < end && out.length() < MAX_SAMPLE) {
            int nl = text.indexOf('\n', pos);
            int lineEnd = nl < 0 || nl > end ? end : nl;
            int first = pos;
            while (first < lineEnd && Character.isWhitespace(text.charAt(first))) {
                first++;
            }
            if (text.startsWith("```", first) || text.startsWith("~~~", first)) {
                // A fence line opens or closes a code block; the block itself is skipped.
                inFence = !inFence;
            } else if (!inFence && first < lineEnd) {
                // Judge the line without its inline code and URLs: a question about `a{3}` is still prose.
                int mark = out.length();
                appendProse(text, first, lineEnd, out);
                if (out.length() == mark || looksLikeCode(out, mark, out.length())) {
                    out.setLength(mark);
                } else {
                    out.append('\n');
                }
            }
            pos = lineEnd + 1;
        }
        if (out.length() > MAX_SAMPLE) {
            out.setLength(MAX_SAMPLE);
        }
        return out.toString();
    }

    /** Copies a line without inline code spans, URLs and e-mail addresses. */
    private static void appendProse(String s, int from, int to, StringBuilder out) {
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (c == '`') {
                int close = s.indexOf('`', i + 1);
                if (close > 0 && close < to) {
                    out.append(' ');
                    i = close + 1;
                    continue;
                }
                i++;
                continue;
            }
            if ((c == 'h' || c == 'w' || c == 'f') && (i == from || !Character.isLetterOrDigit(s.charAt(i - 1)))
                    && (s.startsWith("http://", i) || s.startsWith("https://", i) || s.startsWith("www.", i)
                        || s.startsWith("ftp://", i))) {
                i = skipNonSpace(s, i, to);
                out.append(' ');
                continue;
            }
            if (c == '@') {
                // Drop the whole e-mail-like token around the '@'.
                int start = out.length();
                while (start > 0 && !Character.isWhitespace(out.charAt(start - 1))) {
                    start--;
                }
                out.setLength(start);
                i = skipNonSpace(s, i, to);
                out.append(' ');
                continue;
            }
            out.append(c);
            i++;
        }
    }

    private static int skipNonSpace(String s, int i, int to) {
        while (i < to && !Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /**
     * A line is taken as code when symbols typical of code are dense, or when it opens like a statement.
     * Full-width CJK punctuation is not counted, so Chinese and Japanese prose is never dropped here.
     */
    static boolean looksLikeCode(CharSequence s, int from, int to) {
        int nonSpace = 0;
        int symbols = 0;
        int letters = 0;
        int cjk = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                continue;
            }
            nonSpace++;
            switch (c) {
                case ';', '{', '}', '(', ')', '=', '<', '>', '[', ']', '_', '\\', '|', '&', '$', '#', '*', '/',
                    '+', '^', '%', '~', '"' -> symbols++;
                default -> {
                    if (Character.isLetter(c)) {
                        letters++;
                        if (c >= 0x3040 && c <= 0x9FFF || c >= 0xAC00 && c <= 0xD7AF) {
                            cjk++;
                        }
                    }
                }
            }
        }
        if (nonSpace == 0) {
            return true;
        }
        if (cjk >= 3) {
            return false; // CJK prose around a formula or a block name such as "Set () to ()"
        }
        if (!startsLikeStatement(s, from, to) && plainWordShare(s, from, to)) {
            return false; // a sentence with a formula in it: "Given that f(x) = 4x^3 - 9x, find f(2)."
        }
        if (letters * 2 < nonSpace) {
            return true; // numbers, tables, separators: no language in them
        }
        if (symbols * 100 >= nonSpace * 12) {
            return true;
        }
        char last = s.charAt(to - 1);
        // Greek ends questions with ';', so a final ';' alone does not make code.
        if ((last == ';' || last == '{' || last == '}') && symbols > 1) {
            return true;
        }
        return startsLikeStatement(s, from, to);
    }

    private static final String[] STATEMENT_STARTS = {
        "import ", "from ", "def ", "class ", "return ", "public ", "private ", "protected ", "static ",
        "#include", "package ", "function ", "const ", "let ", "var ", "if (", "for (", "while (", "} ", ">>> ",
        "$ ", "select ", "SELECT ", "INSERT ", "UPDATE ", "CREATE ", "print(", "console.", "elif ", "else:",
    };

    private static boolean startsLikeStatement(CharSequence s, int from, int to) {
        for (String start : STATEMENT_STARTS) {
            if (startsWith(s, start, from, to)) {
                // "from" and "class" also open English sentences: only a symbol on the line makes it code.
                if (start.equals("from ") || start.equals("class ") || start.equals("import ")) {
                    return hasCodeSymbol(s, from, to);
                }
                return true;
            }
        }
        return false;
    }

    /** At least 5 tokens that are plain words (letters, then maybe punctuation), and 40% of all tokens. */
    private static boolean plainWordShare(CharSequence s, int from, int to) {
        int tokens = 0;
        int plain = 0;
        int i = from;
        while (i < to) {
            while (i < to && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= to) {
                break;
            }
            int start = i;
            while (i < to && Character.isLetter(s.charAt(i))) {
                i++;
            }
            int letters = i - start;
            int punct = 0;
            while (i < to && !Character.isWhitespace(s.charAt(i))) {
                char c = s.charAt(i);
                if (c != ',' && c != '.' && c != '?' && c != '!' && c != ':' && c != ';') {
                    punct = -1000;
                }
                punct++;
                i++;
            }
            tokens++;
            if (letters >= 2 && punct >= 0 && punct <= 1) {
                plain++;
            }
        }
        return plain >= 5 && plain * 10 >= tokens * 4;
    }

    private static boolean startsWith(CharSequence s, String prefix, int from, int to) {
        if (to - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (s.charAt(from + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasCodeSymbol(CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '(' || c == ':' || c == ';' || c == '{' || c == '=' || c == '.' && i + 1 < to
                && Character.isLetter(s.charAt(i + 1))) {
                return true;
            }
        }
        return false;
    }
}
