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
 */
public final class LatinModel {

    static final double ALPHA = 0.5;
    private static final int KINDS = 4; // 1-, 2-, 3-grams, words

    private final String[] languages;
    private final long[] keys;       // open addressing; 0 marks an empty slot (no real key is 0)
    private final int[] rows;
    private final int mask;
    private final float[] logp;      // rows x languages
    private final float[] unseen;    // kinds x languages

    private LatinModel(String[] languages, List<Long> featureKeys, List<int[]> counts) {
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
        int size = Integer.highestOneBit(Math.max(16, featureKeys.size() * 2)) << 1;
        keys = new long[size];
        rows = new int[size];
        mask = size - 1;
        logp = new float[featureKeys.size() * l];
        for (int r = 0; r < featureKeys.size(); r++) {
            long key = featureKeys.get(r);
            int kind = kind(key);
            int[] c = counts.get(r);
            for (int j = 0; j < l; j++) {
                logp[r * l + j] = (float) Math.log((c[j] + ALPHA) / (totals[kind][j] + ALPHA * (vocab[kind] + 1)));
            }
            int slot = slot(key);
            while (keys[slot] != 0 && keys[slot] != key) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = key;
            rows[slot] = r;
        }
    }

    /** Reads the model from {@code in}: a header "langs\tL1\tL2..." then "feature\ti:count,i:count" lines. */
    public static LatinModel read(InputStream in, String source) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String[] languages = null;
            List<Long> keys = new ArrayList<>();
            List<int[]> counts = new ArrayList<>();
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
            }
            if (languages == null) {
                throw new IllegalStateException(source + ": empty model");
            }
            return new LatinModel(languages, keys, counts);
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": cannot read the language model", e);
        }
    }

    public List<String> languages() {
        return List.of(languages);
    }

    /** Adds the log-likelihood of every feature of {@code text} to {@code scores} (one per language). */
    int score(CharSequence text, double[] scores) {
        int l = languages.length;
        return LatinFeatures.extract(text, key -> {
            int slot = slot(key);
            long k;
            while ((k = keys[slot]) != 0) {
                if (k == key) {
                    int base = rows[slot] * l;
                    for (int j = 0; j < l; j++) {
                        scores[j] += logp[base + j];
                    }
                    return;
                }
                slot = (slot + 1) & mask;
            }
            int base = kind(key) * l;
            for (int j = 0; j < l; j++) {
                scores[j] += unseen[base + j];
            }
        });
    }

    String language(int index) {
        return languages[index];
    }

    int size() {
        return languages.length;
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }

    private static int kind(long key) {
        return key < 0 ? 3 : (int) (key >>> 48) - 1;
    }
}
