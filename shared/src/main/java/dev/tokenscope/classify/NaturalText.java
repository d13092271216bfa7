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
        Buffer out = new Buffer(Math.min(end, MAX_SAMPLE) + 16);
        int pos = 0;
        boolean inFence = false;
        while (pos < end && out.length < MAX_SAMPLE) {
            int nl = text.indexOf('\n', pos);
            int lineEnd = nl < 0 || nl > end ? end : nl;
            int first = pos;
            while (first < lineEnd && LatinFeatures.isSpace(text.charAt(first))) {
                first++;
            }
            if (text.startsWith("```", first) || text.startsWith("~~~", first)) {
                // A fence line opens or closes a code block; the block itself is skipped.
                inFence = !inFence;
            } else if (!inFence && first < lineEnd) {
                // Judge the line without its inline code and URLs: a question about `a{3}` is still prose.
                int mark = out.length;
                int verdict = SPECIAL;
                if (lineEnd < end || end == text.length()) {
                    // Most lines have no inline code, URL or e-mail: copy them whole and judge them in one pass,
                    // which also tells when a character needs appendProse after all.
                    out.reserve(lineEnd - first);
                    text.getChars(first, lineEnd, out.chars, mark);
                    out.length = mark + lineEnd - first;
                    verdict = judge(out.chars, mark, out.length, true);
                }
                if (verdict == SPECIAL) {
                    out.length = mark;
                    appendProse(text, first, lineEnd, out);
                    verdict = out.length == mark ? CODE : judge(out.chars, mark, out.length, false);
                }
                if (verdict == CODE) {
                    out.length = mark;
                } else {
                    out.append('\n');
                }
            }
            pos = lineEnd + 1;
        }
        return new String(out.chars, 0, Math.min(out.length, MAX_SAMPLE));
    }

    /** A growable char array: what StringBuilder does, without its checks on every char. */
    private static final class Buffer {
        char[] chars;
        int length;

        Buffer(int capacity) {
            chars = new char[capacity];
        }

        void reserve(int more) {
            if (length + more > chars.length) {
                chars = java.util.Arrays.copyOf(chars, Math.max(chars.length * 2, length + more + 16));
            }
        }

        void append(char c) {
            if (length == chars.length) {
                chars = java.util.Arrays.copyOf(chars, length * 2);
            }
            chars[length++] = c;
        }
    }

    /** Copies a line without inline code spans, URLs and e-mail addresses. */
    private static void appendProse(String s, int from, int to, Buffer out) {
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (c == '`') {
                int close = i + 1;
                while (close < to && s.charAt(close) != '`') {
                    close++;
                }
                if (close < to) {
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
                int start = out.length;
                while (start > 0 && !LatinFeatures.isSpace(out.chars[start - 1])) {
                    start--;
                }
                out.length = start;
                i = skipNonSpace(s, i, to);
                out.append(' ');
                continue;
            }
            out.append(c);
            i++;
        }
    }

    private static int skipNonSpace(String s, int i, int to) {
        while (i < to && !LatinFeatures.isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    static boolean looksLikeCode(CharSequence s, int from, int to) {
        char[] chars = new char[to - from];
        for (int i = from; i < to; i++) {
            chars[i - from] = s.charAt(i);
        }
        return looksLikeCode(chars, 0, chars.length);
    }

    /** ASCII characters by what {@link #looksLikeCode} counts them as. */
    private static final byte OTHER = 0;
    private static final byte SPACE = 1;
    private static final byte LETTER = 2;
    private static final byte SYMBOL = 3;
    /** Added to the class of ` @ : w, which may start what appendProse drops. */
    private static final byte MAYBE_SPECIAL = 16;
    private static final byte[] ASCII = new byte[128];

    static {
        for (char c = 0; c < 128; c++) {
            ASCII[c] = LatinFeatures.isSpace(c) ? SPACE : Character.isLetter(c) ? LETTER : OTHER;
        }
        for (char c : ";{}()=<>[]_\\|&$#*/+^%~\"".toCharArray()) {
            ASCII[c] = SYMBOL;
        }
        for (char c : "`@:w".toCharArray()) {
            ASCII[c] |= MAYBE_SPECIAL;
        }
    }

    /** Whether appendProse may change the line at {@code i}: inline code, an e-mail, a URL. */
    private static boolean isSpecial(char[] s, int i, int to) {
        return switch (s[i]) {
            case ':' -> i + 2 < to && s[i + 1] == '/' && s[i + 2] == '/';
            case 'w' -> i + 3 < to && s[i + 1] == 'w' && s[i + 2] == 'w' && s[i + 3] == '.';
            default -> true;
        };
    }

    /**
     * A line is taken as code when symbols typical of code are dense, or when it opens like a statement.
     * Full-width CJK punctuation is not counted, so Chinese and Japanese prose is never dropped here.
     * One pass over the line counts what every rule needs.
     */
    static boolean looksLikeCode(char[] s, int from, int to) {
        return judge(s, from, to, false) == CODE;
    }

    private static final int PROSE = 0;
    private static final int CODE = 1;
    /** The line has a character appendProse might drop (` @ :// www.): judged after appendProse instead. */
    private static final int SPECIAL = 2;

    /** {@link #looksLikeCode} as PROSE or CODE; SPECIAL first when {@code special} asks and one shows. */
    private static int judge(char[] s, int from, int to, boolean special) {
        int nonSpace = 0;
        int symbols = 0;
        int letters = 0;
        int cjk = 0;
        // Plain words: a token of 2+ letters followed by at most one of , . ? ! : ;
        int tokens = 0;
        int plain = 0;
        int i = from;
        while (i < to) {
            char c = s[i];
            if (c < 128 ? ASCII[c] == SPACE : Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int lead = 0;
            boolean leading = true;
            int punct = 0;
            for (; i < to; i++) {
                c = s[i];
                boolean letter;
                if (c < 128) {
                    byte kind = ASCII[c];
                    if (kind >= MAYBE_SPECIAL) {
                        if (special && isSpecial(s, i, to)) {
                            return SPECIAL;
                        }
                        kind &= MAYBE_SPECIAL - 1;
                    }
                    if (kind == SPACE) {
                        break;
                    }
                    letter = kind == LETTER;
                    if (kind == SYMBOL) {
                        symbols++;
                    }
                } else {
                    if (Character.isWhitespace(c)) {
                        break;
                    }
                    letter = Character.isLetter(c);
                    if (letter && (c >= 0x3040 && c <= 0x9FFF || c >= 0xAC00 && c <= 0xD7AF)) {
                        cjk++;
                    }
                }
                nonSpace++;
                if (letter) {
                    letters++;
                    if (leading) {
                        lead++;
                        continue;
                    }
                }
                leading = false;
                if (c != ',' && c != '.' && c != '?' && c != '!' && c != ':' && c != ';') {
                    punct = -1000;
                }
                punct++;
            }
            tokens++;
            if (lead >= 2 && punct >= 0 && punct <= 1) {
                plain++;
            }
        }
        if (nonSpace == 0) {
            return CODE;
        }
        if (cjk >= 3) {
            return PROSE; // CJK prose around a formula or a block name such as "Set () to ()"
        }
        boolean statement = startsLikeStatement(s, from, to);
        if (!statement && plain >= 5 && plain * 10 >= tokens * 4) {
            return PROSE; // a sentence with a formula in it: "Given that f(x) = 4x^3 - 9x, find f(2)."
        }
        if (letters * 2 < nonSpace) {
            return CODE; // numbers, tables, separators: no language in them
        }
        if (symbols * 100 >= nonSpace * 12) {
            return CODE;
        }
        char last = s[to - 1];
        // Greek ends questions with ';', so a final ';' alone does not make code.
        if ((last == ';' || last == '{' || last == '}') && symbols > 1) {
            return CODE;
        }
        return statement ? CODE : PROSE;
    }

    private static final String[] STATEMENT_STARTS = {
        "import ", "from ", "def ", "class ", "return ", "public ", "private ", "protected ", "static ",
        "#include", "package ", "function ", "const ", "let ", "var ", "if (", "for (", "while (", "} ", ">>> ",
        "$ ", "select ", "SELECT ", "INSERT ", "UPDATE ", "CREATE ", "print(", "console.", "elif ", "else:",
    };

    /** First characters of {@link #STATEMENT_STARTS}, to skip the list for most lines. */
    private static final boolean[] STATEMENT_FIRST = new boolean[128];

    static {
        for (String start : STATEMENT_STARTS) {
            STATEMENT_FIRST[start.charAt(0)] = true;
        }
    }

    private static boolean startsLikeStatement(char[] s, int from, int to) {
        if (s[from] >= 128 || !STATEMENT_FIRST[s[from]]) {
            return false;
        }
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

    private static boolean startsWith(char[] s, String prefix, int from, int to) {
        if (to - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (s[from + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasCodeSymbol(char[] s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s[i];
            if (c == '(' || c == ':' || c == ';' || c == '{' || c == '=' || c == '.' && i + 1 < to
                && Character.isLetter(s[i + 1])) {
                return true;
            }
        }
        return false;
    }
}
