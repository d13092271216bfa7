package dev.tokenscope.local.classifier;

import dev.tokenscope.classify.UseCase;
import dev.tokenscope.classify.UseCaseFeatures;
import dev.tokenscope.classify.UseCaseModel;
import dev.tokenscope.classify.UseCaseTrainer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The training recipe shared by `classifier train` and `classifier eval`: cap each (source, category) group
 * so that one large exam set (MMLU) does not drown the chat-shaped sources, weight classes by the inverse
 * square root of their size and sources by the inverse square root of theirs, leave out the features one
 * source explains (source-bound), then train the softmax model with feature dropout, fixed settings and seed.
 * Each of these was kept because it raised the held-out macro-F1 (docs/classifier.md lists the variants).
 */
public final class ClassifierTraining {

    public static final int BUCKETS = 1 << 17;
    public static final int EPOCHS = 6;
    public static final double LEARNING_RATE = 4.0;
    public static final long SEED = 20251201L;
    /** At most this many examples per (source, category), picked by a stable hash of the text. */
    public static final int GROUP_CAP = 800;
    /** The own seed examples are chat-shaped, unlike most sources; they count this much more. */
    public static final float SEED_WEIGHT = 5f;
    /** Share of an example's features dropped at each visit in training. */
    public static final double DROPOUT = 0.3;
    /**
     * A bucket is source-bound when one public source's rate of use (share of its examples containing it) is
     * more than this share of the sum of all sources' rates.
     */
    public static final double SOURCE_SHARE = 0.8;
    /** Buckets in fewer training examples than this are never judged source-bound (too little evidence). */
    public static final int SOURCE_MIN = 20;
    /** Each public example weighs (mean source size / its source's size) to this power. */
    public static final double SOURCE_BALANCE = 0.5;

    private ClassifierTraining() {
    }

    /** Deterministic cap per (source, category) group; order of the result follows the input. */
    public static List<Example> capped(List<Example> examples, int cap) {
        Map<String, List<Integer>> groups = new TreeMap<>();
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            groups.computeIfAbsent(e.source() + "/" + e.category(), k -> new ArrayList<>()).add(i);
        }
        boolean[] keep = new boolean[examples.size()];
        for (List<Integer> members : groups.values()) {
            List<Integer> order = new ArrayList<>(members);
            order.sort(Comparator.<Integer>comparingInt(i -> mix(examples.get(i).text().hashCode()))
                    .thenComparingInt(i -> i));
            for (int j = 0; j < Math.min(cap, order.size()); j++) {
                keep[order.get(j)] = true;
            }
        }
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            if (keep[i]) {
                out.add(examples.get(i));
            }
        }
        return out;
    }

    public static UseCaseModel train(List<Example> examples) {
        List<String> classes = UseCase.identifiers();
        UseCaseFeatures features = new UseCaseFeatures(BUCKETS);
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, Integer> perSource = new LinkedHashMap<>();
        for (Example e : examples) {
            counts.merge(e.category(), 1, Integer::sum);
            perSource.merge(e.source(), 1, Integer::sum);
        }
        double meanSource = examples.size() / (double) Math.max(1, perSource.size());
        double mean = examples.size() / (double) Math.max(1, counts.size());
        List<UseCaseFeatures.Vector> vectors = new ArrayList<>(examples.size());
        for (Example e : examples) {
            vectors.add(features.of(e.system(), e.text(), List.of(), java.util.Optional.empty()));
        }
        boolean[] sourceBound = sourceBound(examples, vectors);
        List<UseCaseTrainer.Sample> samples = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            float weight = (float) Math.min(4.0, Math.sqrt(mean / counts.get(e.category())))
                    * (e.source().equals(TrainingSources.SEEDS) ? SEED_WEIGHT
                            : (float) Math.pow(meanSource / perSource.get(e.source()), SOURCE_BALANCE));
            samples.add(new UseCaseTrainer.Sample(without(vectors.get(i), sourceBound), classes.indexOf(e.category()),
                    weight));
        }
        return new UseCaseTrainer(BUCKETS, EPOCHS, LEARNING_RATE, SEED, DROPOUT).train(classes, samples);
    }

    /**
     * Buckets whose use is explained by one source rather than by the label: of the rates at which the public
     * sources use the bucket (share of a source's examples that contain it), one source holds more than
     * {@link #SOURCE_SHARE}. Such a bucket is left out of training, so its weight stays 0. Buckets the own seeds
     * use are kept: the seeds are the chat-shaped data and no public source's style.
     */
    static boolean[] sourceBound(List<Example> examples, List<UseCaseFeatures.Vector> vectors) {
        Map<String, Integer> sourceIndex = new TreeMap<>();
        for (Example e : examples) {
            sourceIndex.putIfAbsent(e.source(), sourceIndex.size());
        }
        int sources = sourceIndex.size();
        int[] sizes = new int[sources];
        int[][] df = new int[sources][];
        boolean[] seen = new boolean[BUCKETS];
        boolean[] inSeeds = new boolean[BUCKETS];
        int[] total = new int[BUCKETS];
        for (int i = 0; i < examples.size(); i++) {
            int s = sourceIndex.get(examples.get(i).source());
            boolean seed = examples.get(i).source().equals(TrainingSources.SEEDS);
            if (df[s] == null) {
                df[s] = new int[BUCKETS];
            }
            sizes[s]++;
            UseCaseFeatures.Vector v = vectors.get(i);
            for (int f = 0; f < v.count(); f++) {
                int b = v.buckets()[f];
                if (!seen[b]) {
                    seen[b] = true;
                    df[s][b]++;
                    total[b]++;
                    inSeeds[b] |= seed;
                }
            }
            for (int f = 0; f < v.count(); f++) {
                seen[v.buckets()[f]] = false;
            }
        }
        boolean[] bound = new boolean[BUCKETS];
        for (int b = 0; b < BUCKETS; b++) {
            if (inSeeds[b] || total[b] < SOURCE_MIN) {
                continue;
            }
            double sum = 0;
            double max = 0;
            for (int s = 0; s < sources; s++) {
                double rate = df[s][b] / (double) sizes[s];
                sum += rate;
                max = Math.max(max, rate);
            }
            bound[b] = max > SOURCE_SHARE * sum;
        }
        return bound;
    }

    private static UseCaseFeatures.Vector without(UseCaseFeatures.Vector v, boolean[] dropped) {
        int[] kept = new int[v.count()];
        int n = 0;
        for (int f = 0; f < v.count(); f++) {
            if (!dropped[v.buckets()[f]]) {
                kept[n++] = v.buckets()[f];
            }
        }
        return n == v.count() ? v : new UseCaseFeatures.Vector(kept, n, v.weight());
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h;
    }
}
