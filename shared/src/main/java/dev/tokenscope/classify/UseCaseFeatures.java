package dev.tokenscope.classify;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Turns a request into hashed sparse features for the use-case model: lower-cased words, digit runs folded
 * to one token, code symbols as their own tokens, CJK characters as character unigrams and bigrams, one
 * concept token per topic word of the {@link UseCaseLexicon} (shared across languages: "contract", "contrato"
 * and "合同" give the same one), plus one token per tool offered and one for the app. Single letters and exam
 * boilerplate words ("question", "answer", "options", ...) are skipped. Features are hashed (FNV-1a) into a
 * fixed number of buckets; each occurrence weighs 1/sqrt(n), so long and short prompts score alike.
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

    static final int FNV_OFFSET = 0x811c9dc5;
    private static final int FNV_PRIME = 0x01000193;
    private static final int CONCEPT_SEED = FNV_OFFSET ^ 0x1e4;
    private static final String SYMBOLS = "{}()[];=<>#$\\|&*+/:@_";

    private final int mask;
    private final UseCaseLexicon lexicon;

    /** @param buckets a power of two; topic words are looked up in {@link UseCaseLexicon#standard()} */
    public UseCaseFeatures(int buckets) {
        this(buckets, UseCaseLexicon.standard());
    }

    public UseCaseFeatures(int buckets, UseCaseLexicon lexicon) {
        if (Integer.bitCount(buckets) != 1) {
            throw new IllegalArgumentException("buckets must be a power of two: " + buckets);
        }
        this.mask = buckets - 1;
        this.lexicon = lexicon;
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
        int cjkMatchedUntil = from;
        while (i < to && n[0] < MAX_FEATURES) {
            char c = s.charAt(i);
            if (isCjk(c)) {
                int h = mix(FNV_OFFSET ^ 0x0c1, c);
                add(out, n, h);
                if (i + 1 < to && isCjk(s.charAt(i + 1))) {
                    add(out, n, mix(mix(FNV_OFFSET ^ 0x0c2, c), s.charAt(i + 1)));
                }
                if (i >= cjkMatchedUntil) {
                    cjkMatchedUntil = cjkConcept(s, i, to, out, n);
                }
                i++;
            } else if (Character.isLetterOrDigit(c)) {
                int h = FNV_OFFSET;
                boolean digits = true;
                boolean letters = true;
                int concept = UseCaseLexicon.NONE;
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
                        letters = false;
                    } else {
                        digits = false;
                        h = mix(h, Character.toLowerCase(d));
                        int length = i - start + 1;
                        if (letters && length >= UseCaseLexicon.MIN_STEM && length <= UseCaseLexicon.MAX_STEM) {
                            int stem = lexicon.stem(h);
                            concept = stem == UseCaseLexicon.NONE ? concept : stem;
                        }
                    }
                    i++;
                }
                while (i < to && Character.isLetterOrDigit(s.charAt(i)) && !isCjk(s.charAt(i))) {
                    i++;
                }
                if (letters && (i - start == 1 || isBoilerplate(h))) {
                    continue; // option letters, "Q:" / "A:", "Answer": see BOILERPLATE
                }
                add(out, n, h);
                int whole = letters ? lexicon.word(h) : UseCaseLexicon.NONE;
                concept(out, n, whole == UseCaseLexicon.NONE ? concept : whole);
            } else {
                if (SYMBOLS.indexOf(c) >= 0) {
                    add(out, n, mix(FNV_OFFSET ^ 0x5e, c));
                }
                i++;
            }
        }
    }

    /**
     * Looks for the longest lexicon term starting at CJK character {@code i}; adds its concept and returns the
     * position after it (so the rest of a matched word does not match again), or {@code i} when none matches.
     */
    private int cjkConcept(String s, int i, int to, int[] out, int[] n) {
        int h = UseCaseLexicon.cjkStart();
        int concept = UseCaseLexicon.NONE;
        int end = i;
        for (int j = i; j < Math.min(to, i + UseCaseLexicon.CJK_WINDOW) && isCjk(s.charAt(j)); j++) {
            h = mix(h, s.charAt(j));
            if (j > i) {
                int found = lexicon.cjk(h);
                if (found != UseCaseLexicon.NONE) {
                    concept = found;
                    end = j + 1;
                }
            }
        }
        concept(out, n, concept);
        return end;
    }

    /**
     * Exam and benchmark scaffolding that no real chat needs to carry its topic ("Question: ... A. ... B. ...
     * Answer:"): these words and single letters are skipped, at training and at run time alike, so a source's
     * template does not become evidence for its label.
     */
    private static final int[] BOILERPLATE = boilerplate("question", "questions", "answer", "answers", "option",
            "options", "choice", "choices", "choose", "correct", "following");

    private static int[] boilerplate(String... words) {
        int[] out = new int[words.length];
        for (int w = 0; w < words.length; w++) {
            int h = FNV_OFFSET;
            for (int i = 0; i < words[w].length(); i++) {
                h = mix(h, words[w].charAt(i));
            }
            out[w] = h;
        }
        Arrays.sort(out);
        return out;
    }

    private static boolean isBoilerplate(int h) {
        return Arrays.binarySearch(BOILERPLATE, h) >= 0;
    }

    private void concept(int[] out, int[] n, int concept) {
        if (concept != UseCaseLexicon.NONE) {
            add(out, n, mix(CONCEPT_SEED, concept));
        }
    }

    private void add(int[] out, int[] n, int hash) {
        if (n[0] < out.length) {
            out[n[0]++] = bucket(hash);
        }
    }

    private int bucket(int hash) {
        // Murmur-style finaliser so the low bits used by the mask are well mixed.
        int h = hash;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h & mask;
    }

    /** The bucket of a lexicon concept's feature (concept index in {@link UseCaseLexicon#concepts()}). */
    int conceptBucket(int concept) {
        return bucket(mix(CONCEPT_SEED, concept));
    }

    static int mix(int h, int c) {
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
