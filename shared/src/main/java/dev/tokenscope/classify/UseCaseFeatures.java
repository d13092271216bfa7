package dev.tokenscope.classify;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Turns a request into hashed sparse features for the use-case model: lower-cased word unigrams and
 * bigrams, digit runs folded to one token, code symbols as their own tokens, CJK characters as character
 * unigrams and bigrams, plus one token per tool offered and one for the app. Features are hashed (FNV-1a)
 * into a fixed number of buckets; each occurrence weighs 1/sqrt(n), so long and short prompts score alike.
 *
 * <p>Cost is bounded by design: only the first {@value #SYSTEM_CHARS} characters of the system prompt, the
 * first {@value #HEAD_CHARS} and the last {@value #TAIL_CHARS} characters of the user text are read (a
 * question often follows pasted material), and at most {@value #MAX_FEATURES} features are kept.
 */
public final class UseCaseFeatures {

    public static final int SYSTEM_CHARS = 300;
    public static final int HEAD_CHARS = 1000;
    public static final int TAIL_CHARS = 200;
    public static final int MAX_FEATURES = 1024;

    private static final int FNV_OFFSET = 0x811c9dc5;
    private static final int FNV_PRIME = 0x01000193;
    private static final String SYMBOLS = "{}()[];=<>#$\\|&*+/:@_";

    private final int mask;

    /** @param buckets a power of two */
    public UseCaseFeatures(int buckets) {
        if (Integer.bitCount(buckets) != 1) {
            throw new IllegalArgumentException("buckets must be a power of two: " + buckets);
        }
        this.mask = buckets - 1;
    }

    /** Hashed features of a request; {@code buckets[0..count)} hold the indices, each weighing {@code weight}. */
    public record Vector(int[] buckets, int count, float weight) {
    }

    public Vector of(Optional<String> systemPrompt, String userText, List<String> tools, Optional<String> app) {
        int[] out = new int[MAX_FEATURES];
        int[] n = {0};
        if (systemPrompt.isPresent()) {
            String s = systemPrompt.get();
            tokens(s, 0, Math.min(s.length(), SYSTEM_CHARS), out, n);
        }
        if (userText != null) {
            int len = userText.length();
            if (len <= HEAD_CHARS + TAIL_CHARS) {
                tokens(userText, 0, len, out, n);
            } else {
                tokens(userText, 0, HEAD_CHARS, out, n);
                tokens(userText, len - TAIL_CHARS, len, out, n);
            }
        }
        for (String tool : tools) {
            add(out, n, hashString(FNV_OFFSET ^ 0x7001, tool.toLowerCase(java.util.Locale.ROOT)));
        }
        app.ifPresent(a -> add(out, n, hashString(FNV_OFFSET ^ 0x0a99, a.toLowerCase(java.util.Locale.ROOT))));
        int count = n[0];
        float weight = count == 0 ? 0f : (float) (1.0 / Math.sqrt(count));
        return new Vector(count == out.length ? out : Arrays.copyOf(out, count), count, weight);
    }

    private void tokens(String s, int from, int to, int[] out, int[] n) {
        int i = from;
        while (i < to && n[0] < MAX_FEATURES) {
            char c = s.charAt(i);
            if (isCjk(c)) {
                int h = mix(FNV_OFFSET ^ 0x0c1, c);
                add(out, n, h);
                if (i + 1 < to && isCjk(s.charAt(i + 1))) {
                    add(out, n, mix(mix(FNV_OFFSET ^ 0x0c2, c), s.charAt(i + 1)));
                }
                i++;
            } else if (Character.isLetterOrDigit(c)) {
                int h = FNV_OFFSET;
                boolean digits = true;
                int start = i;
                while (i < to && i - start < 32) {
                    char d = s.charAt(i);
                    if (!Character.isLetterOrDigit(d) || isCjk(d)) {
                        break;
                    }
                    if (Character.isDigit(d)) {
                        if (!digits || i == start) {
                            h = mix(h, '0');
                        }
                    } else {
                        digits = false;
                        h = mix(h, Character.toLowerCase(d));
                    }
                    i++;
                }
                while (i < to && Character.isLetterOrDigit(s.charAt(i)) && !isCjk(s.charAt(i))) {
                    i++;
                }
                add(out, n, h);
            } else {
                if (SYMBOLS.indexOf(c) >= 0) {
                    add(out, n, mix(FNV_OFFSET ^ 0x5e, c));
                }
                i++;
            }
        }
    }

    private void add(int[] out, int[] n, int hash) {
        if (n[0] < out.length) {
            // Murmur-style finaliser so the low bits used by the mask are well mixed.
            int h = hash;
            h ^= h >>> 16;
            h *= 0x85ebca6b;
            h ^= h >>> 13;
            out[n[0]++] = h & mask;
        }
    }

    private static int mix(int h, int c) {
        return (h ^ c) * FNV_PRIME;
    }

    private static int hashString(int seed, String s) {
        int h = seed;
        for (int i = 0; i < s.length(); i++) {
            h = mix(h, s.charAt(i));
        }
        return h;
    }

    static boolean isCjk(char c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3040 && c <= 0x30FF) || (c >= 0xAC00 && c <= 0xD7AF)
                || (c >= 0x3400 && c <= 0x4DBF);
    }
}
