package dev.tokenscope.classify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Hand-written topic words in several languages, each mapped to a concept (law, money, medicine, ...), so that
 * the use-case model sees one shared feature for "contract", "contrato", "Vertrag", "договор" and "合同". Topic
 * words transfer between prompt sets where a source's own phrasing does not; see docs/classifier.md.
 *
 * <p>Read from {@value #RESOURCE}: one line per concept and language, {@code concept TAB language TAB terms}.
 * A term is a single word (letters only): matched as a whole word, or as a word start when it ends in
 * {@code *}. A CJK term (two characters or more) matches anywhere in a run of CJK text; only its first
 * {@value #CJK_WINDOW} characters are compared, which lets "プログラ" stand for "プログラミング" and "プログラム".
 *
 * <p>Lookups take the running hash {@link UseCaseFeatures} already computes for each word, so matching costs
 * one table probe per letter and no allocation.
 */
public final class UseCaseLexicon {

    public static final String RESOURCE = "/classify/lexicon.tsv";
    /** Longest CJK window compared; longer CJK terms are cut to this many characters. */
    public static final int CJK_WINDOW = 4;
    /** Word starts shorter than this are not compared (too many unrelated words share them). */
    public static final int MIN_STEM = 3;
    /** Word starts longer than this are not compared: a stem is a prefix, not a whole long word. */
    public static final int MAX_STEM = 16;

    static final int NONE = -1;
    private static final int EXACT_END = 0x2400;
    private static final UseCaseLexicon EMPTY = new UseCaseLexicon(List.of(), List.of());
    private static volatile UseCaseLexicon standard;

    private final List<String> concepts;
    private final int[] keys;
    private final short[] values;
    private final int mask;

    /** One lexicon entry: a concept index and its term as written in the resource. */
    record Entry(int concept, String term) {
    }

    private UseCaseLexicon(List<String> concepts, List<Entry> entries) {
        this.concepts = List.copyOf(concepts);
        int size = Integer.highestOneBit(Math.max(16, entries.size() * 4) - 1) << 1;
        this.keys = new int[size];
        this.values = new short[size];
        this.mask = size - 1;
        for (Entry e : entries) {
            put(key(e.term()), e.concept());
        }
    }

    /** The lexicon shipped in this jar, loaded once per process. */
    public static UseCaseLexicon standard() {
        UseCaseLexicon s = standard;
        if (s == null) {
            synchronized (UseCaseLexicon.class) {
                s = standard;
                if (s == null) {
                    try (InputStream in = UseCaseLexicon.class.getResourceAsStream(RESOURCE)) {
                        if (in == null) {
                            throw new IllegalStateException("missing classpath resource " + RESOURCE);
                        }
                        s = read(in, RESOURCE);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    standard = s;
                }
            }
        }
        return s;
    }

    /** No terms at all: the features of the model without lexicon concepts. */
    public static UseCaseLexicon empty() {
        return EMPTY;
    }

    public static UseCaseLexicon read(InputStream in, String name) throws IOException {
        List<String> concepts = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\t");
            if (parts.length != 3) {
                throw new IOException(name + " line " + number + ": expected concept TAB language TAB terms");
            }
            int concept = concepts.indexOf(parts[0]);
            if (concept < 0) {
                concepts.add(parts[0]);
                concept = concepts.size() - 1;
            }
            for (String term : parts[2].trim().split(" +")) {
                String problem = problem(term);
                if (problem != null) {
                    throw new IOException(name + " line " + number + ": term '" + term + "' " + problem);
                }
                entries.add(new Entry(concept, term.toLowerCase(Locale.ROOT)));
            }
        }
        return new UseCaseLexicon(concepts, entries);
    }

    /** Why a term cannot be matched by the tokeniser, or null when it can. */
    static String problem(String term) {
        boolean stem = term.endsWith("*");
        String body = stem ? term.substring(0, term.length() - 1) : term;
        if (body.isEmpty()) {
            return "is empty";
        }
        boolean cjk = UseCaseFeatures.isCjk(body.charAt(0));
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (UseCaseFeatures.isCjk(c) != cjk || !Character.isLetter(c)) {
                return "mixes CJK and other characters or has a non-letter";
            }
        }
        if (cjk) {
            return stem ? "is CJK: it matches anywhere already, no * needed"
                    : body.length() < 2 ? "is a single CJK character (too ambiguous)" : null;
        }
        if (stem && (body.length() < MIN_STEM || body.length() > MAX_STEM)) {
            return "is a word start of " + body.length() + " letters (" + MIN_STEM + " to " + MAX_STEM + ")";
        }
        return null;
    }

    public List<String> concepts() {
        return concepts;
    }

    /** Concept of a whole word, given its {@link UseCaseFeatures} hash; {@link #NONE} when not listed. */
    int word(int wordHash) {
        return get(exact(wordHash));
    }

    /** Concept of a word start, given the hash of its first letters; {@link #NONE} when not listed. */
    int stem(int prefixHash) {
        return get(prefixHash);
    }

    /** Concept of a CJK window, given {@link #cjkHash} of its characters; {@link #NONE} when not listed. */
    int cjk(int windowHash) {
        return get(windowHash);
    }

    boolean isEmpty() {
        return concepts.isEmpty();
    }

    static int cjkStart() {
        return UseCaseFeatures.FNV_OFFSET ^ 0x1ec;
    }

    private static int exact(int wordHash) {
        return UseCaseFeatures.mix(wordHash, EXACT_END);
    }

    /** The table key of a term, hashed exactly as {@link UseCaseFeatures} hashes text. */
    private static int key(String term) {
        boolean stem = term.endsWith("*");
        String body = stem ? term.substring(0, term.length() - 1) : term;
        if (UseCaseFeatures.isCjk(body.charAt(0))) {
            int h = cjkStart();
            for (int i = 0; i < Math.min(body.length(), CJK_WINDOW); i++) {
                h = UseCaseFeatures.mix(h, body.charAt(i));
            }
            return h;
        }
        int h = UseCaseFeatures.FNV_OFFSET;
        for (int i = 0; i < body.length(); i++) {
            h = UseCaseFeatures.mix(h, Character.toLowerCase(body.charAt(i)));
        }
        return stem ? h : exact(h);
    }

    private void put(int key, int concept) {
        int k = key == 0 ? 1 : key;
        int at = spread(k) & mask;
        while (keys[at] != 0 && keys[at] != k) {
            at = (at + 1) & mask;
        }
        // The first listing of a term wins, so a word listed under two concepts keeps the first.
        if (keys[at] == 0) {
            keys[at] = k;
            values[at] = (short) concept;
        }
    }

    private int get(int key) {
        int k = key == 0 ? 1 : key;
        int at = spread(k) & mask;
        while (true) {
            int found = keys[at];
            if (found == k) {
                return values[at];
            }
            if (found == 0) {
                return NONE;
            }
            at = (at + 1) & mask;
        }
    }

    private static int spread(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h;
    }
}
