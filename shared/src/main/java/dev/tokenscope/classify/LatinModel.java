package dev.tokenscope.classify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Naive Bayes over {@link LatinFeatures} for the Latin-script languages, read from the count file that
 * LanguageModelBuild writes ({@code classify/latin-ngrams.tsv}). Each feature kind (1-, 2-, 3-grams, words)
 * is its own distribution per language with add-{@value #ALPHA} smoothing, so a language with less training
 * text is not favoured or penalised on unseen features. Immutable and thread-safe once built.
 *
 * <p>Scoring goes word by word and adds sums made once at load time: a word of the vocabulary adds the sum
 * of all its features (n-grams and the word) in one step instead of 3 per letter; another word adds, per
 * letter, the sum of the trigram around it, the letter and the bigram ending in it. The result is the same
 * as adding every feature on its own ({@link #scoreEachFeature}), up to the order in which doubles are added.
 */
public final class LatinModel {

    static final double ALPHA = 0.5;
    private static final int KINDS = 4; // 1-, 2-, 3-grams, words
    private static final int TRIGRAM = 2;
    private static final int WORD = 3;

    private final String[] languages;
    private final Table features;    // every feature of the file
    private final float[] logp;      // features' rows x languages
    private final float[] unseen;    // kinds x languages
    private final Table words;       // the vocabulary
    private final double[] wordLogp; // words x languages: all the word's features summed
    private final Table trigrams;    // every trigram of the file
    private final double[] triLogp;  // trigrams x languages: trigram + its middle letter + its first bigram

    private LatinModel(String[] languages, List<Long> featureKeys, List<int[]> counts, List<String> vocabulary) {
        this.languages = languages;
        int l = languages.length;
        long[][] totals = new long[KINDS][l];
        int[] vocab = new int[KINDS];
        for (int r = 0; r < featureKeys.size(); r++) {
            int kind = kind(featureKeys.get(r));
            vocab[kind]++;
            int[] c = counts.get(r);
            for (int j = 0; j < l; j++) {
                totals[kind][j] += c[j];
            }
        }
        unseen = new float[KINDS * l];
        for (int k = 0; k < KINDS; k++) {
            for (int j = 0; j < l; j++) {
                unseen[k * l + j] = (float) Math.log(ALPHA / (totals[k][j] + ALPHA * (vocab[k] + 1)));
            }
        }
        features = new Table(featureKeys.size());
        logp = new float[featureKeys.size() * l];
        for (int r = 0; r < featureKeys.size(); r++) {
            long key = featureKeys.get(r);
            int kind = kind(key);
            int[] c = counts.get(r);
            for (int j = 0; j < l; j++) {
                logp[r * l + j] = (float) Math.log((c[j] + ALPHA) / (totals[kind][j] + ALPHA * (vocab[kind] + 1)));
            }
            features.put(key, r);
        }
        // Precomputed sums (see the class comment). A double holds the sum of a few floats exactly.
        trigrams = new Table(vocab[TRIGRAM]);
        triLogp = new double[vocab[TRIGRAM] * l];
        for (long key : featureKeys) {
            if (kind(key) == TRIGRAM) {
                char a = (char) (key >>> 32);
                char b = (char) (key >>> 16);
                int row = trigrams.size();
                trigrams.put(key, row);
                double[] sum = new double[l];
                addFeature(key, sum);
                addFeature(LatinFeatures.gram(b), sum);
                addFeature(LatinFeatures.gram(a, b), sum);
                System.arraycopy(sum, 0, triLogp, row * l, l);
            }
        }
        words = new Table(vocabulary.size());
        wordLogp = new double[vocabulary.size() * l];
        for (int r = 0; r < vocabulary.size(); r++) {
            char[] w = new char[vocabulary.get(r).length() + 2];
            vocabulary.get(r).getChars(0, w.length - 2, w, 1);
            double[] sum = new double[l];
            addGrams(w, w.length - 2, sum);
            long key = LatinFeatures.wordKey(w, w.length - 2);
            addFeature(key, sum);
            System.arraycopy(sum, 0, wordLogp, r * l, l);
            words.put(key, r);
        }
    }

    /** Reads the model from {@code in}: a header "langs\tL1\tL2..." then "feature\ti:count,i:count" lines. */
    public static LatinModel read(InputStream in, String source) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String[] languages = null;
            List<Long> keys = new ArrayList<>();
            List<int[]> counts = new ArrayList<>();
            List<String> vocabulary = new ArrayList<>();
            String line;
            int lineNo = 0;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\t");
                if (languages == null) {
                    if (!parts[0].equals("langs")) {
                        throw new IllegalStateException(source + ":" + lineNo + ": expected the 'langs' header");
                    }
                    languages = java.util.Arrays.copyOfRange(parts, 1, parts.length);
                    continue;
                }
                if (parts.length != 2) {
                    throw new IllegalStateException(source + ":" + lineNo + ": expected 'feature<TAB>i:count,...'");
                }
                int[] c = new int[languages.length];
                for (String cell : parts[1].split(",")) {
                    int colon = cell.indexOf(':');
                    c[Integer.parseInt(cell, 0, colon, 10)] = Integer.parseInt(cell, colon + 1, cell.length(), 10);
                }
                keys.add(LatinFeatures.keyOf(parts[0]));
                counts.add(c);
                if (parts[0].startsWith("w:")) {
                    vocabulary.add(parts[0].substring(2));
                }
            }
            if (languages == null) {
                throw new IllegalStateException(source + ": empty model");
            }
            return new LatinModel(languages, keys, counts, vocabulary);
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": cannot read the language model", e);
        }
    }

    public List<String> languages() {
        return List.of(languages);
    }

    /** Adds the log-likelihood of every feature of {@code text} to {@code scores} (one per language). */
    int score(CharSequence text, double[] scores) {
        return score(text, text.length(), scores);
    }

    /**
     * {@link #score(CharSequence, double[])} of the characters before {@code end}, without a substring. Adds
     * the same terms as {@link #scoreEachFeature}, grouped by the sums made at load time.
     */
    int score(CharSequence text, int end, double[] scores) {
        return score(text, end, scores, Double.POSITIVE_INFINITY);
    }

    /**
     * {@link #score(CharSequence, int, double[])} that stops after the word that puts the best language
     * {@code margin} or more (natural log) ahead of the second best; returns the letters scored.
     */
    int score(CharSequence text, int end, double[] scores, double margin) {
        return LatinFeatures.forEachWord(text, end, (w, len) -> {
            addWord(w, len, scores);
            return margin == Double.POSITIVE_INFINITY || gap(scores) < margin;
        });
    }

    /** How far the best score is ahead of the second best. */
    static double gap(double[] scores) {
        double best = Double.NEGATIVE_INFINITY;
        double second = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            if (s > best) {
                second = best;
                best = s;
            } else if (s > second) {
                second = s;
            }
        }
        return best - second;
    }

    private void addWord(char[] w, int len, double[] scores) {
        int word = words.row(LatinFeatures.wordKey(w, len));
        if (word >= 0) {
            add(wordLogp, word, scores);
            return;
        }
        addGrams(w, len, scores);
        add(unseen, WORD, scores);
    }

    /** Adds the n-grams of a word in {@link LatinFeatures.WordSink} layout: all its features but itself. */
    private void addGrams(char[] w, int len, double[] scores) {
        // The features of LatinFeatures.emitWord: trigram i (around letter i) carries unigram i and the
        // bigram that ends in letter i; the bigram of the last letter and the (unseen) word remain.
        w[0] = ' ';
        w[len + 1] = ' ';
        for (int i = 1; i <= len; i++) {
            long tri = LatinFeatures.gram(w[i - 1], w[i], w[i + 1]);
            int row = trigrams.row(tri);
            if (row >= 0) {
                add(triLogp, row, scores);
            } else {
                addFeature(tri, scores);
                addFeature(LatinFeatures.gram(w[i]), scores);
                addFeature(LatinFeatures.gram(w[i - 1], w[i]), scores);
            }
        }
        addFeature(LatinFeatures.gram(w[len], ' '), scores);
    }

    /** The plain definition: every feature of {@link LatinFeatures#extract} looked up on its own. */
    int scoreEachFeature(CharSequence text, double[] scores) {
        return LatinFeatures.extract(text, key -> addFeature(key, scores));
    }

    private void addFeature(long key, double[] scores) {
        int row = features.row(key);
        if (row >= 0) {
            add(logp, row, scores);
        } else {
            add(unseen, kind(key), scores);
        }
    }

    private static void add(double[] vectors, int row, double[] scores) {
        int base = row * scores.length;
        for (int j = 0; j < scores.length; j++) {
            scores[j] += vectors[base + j];
        }
    }

    private static void add(float[] vectors, int row, double[] scores) {
        int base = row * scores.length;
        for (int j = 0; j < scores.length; j++) {
            scores[j] += vectors[base + j];
        }
    }

    String language(int index) {
        return languages[index];
    }

    int size() {
        return languages.length;
    }

    private static int kind(long key) {
        return key < 0 ? 3 : (int) (key >>> 48) - 1;
    }

    /** Open addressing from a non-zero key to a row; 0 marks an empty slot (no real key is 0). */
    private static final class Table {
        private final long[] keys;
        private final int[] rows;
        private final int mask;
        private int size;

        Table(int capacity) {
            int slots = Integer.highestOneBit(Math.max(16, capacity * 2)) << 1;
            keys = new long[slots];
            rows = new int[slots];
            mask = slots - 1;
        }

        void put(long key, int row) {
            int slot = slot(key);
            while (keys[slot] != 0 && keys[slot] != key) {
                slot = (slot + 1) & mask;
            }
            if (keys[slot] == 0) {
                size++;
            }
            keys[slot] = key;
            rows[slot] = row;
        }

        /** The row of {@code key}, or -1. */
        int row(long key) {
            int slot = slot(key);
            long k;
            while ((k = keys[slot]) != 0) {
                if (k == key) {
                    return rows[slot];
                }
                slot = (slot + 1) & mask;
            }
            return -1;
        }

        int size() {
            return size;
        }

        private int slot(long key) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h >>> 40) & mask;
        }
    }
}
