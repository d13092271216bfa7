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
 * square root of their size, then train the softmax model with fixed settings and seed.
 */
public final class ClassifierTraining {

    public static final int BUCKETS = 1 << 17;
    public static final int EPOCHS = 12;
    public static final double LEARNING_RATE = 4.0;
    public static final long SEED = 20251201L;
    /** At most this many examples per (source, category), picked by a stable hash of the text. */
    public static final int GROUP_CAP = 800;
    /** The own seed examples are chat-shaped, unlike most sources; they count this much more. */
    public static final float SEED_WEIGHT = 3f;

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
        for (Example e : examples) {
            counts.merge(e.category(), 1, Integer::sum);
        }
        double mean = examples.size() / (double) Math.max(1, counts.size());
        List<UseCaseTrainer.Sample> samples = new ArrayList<>(examples.size());
        for (Example e : examples) {
            float weight = (float) Math.min(4.0, Math.sqrt(mean / counts.get(e.category())))
                    * (e.source().equals(TrainingSources.SEEDS) ? SEED_WEIGHT : 1f);
            samples.add(new UseCaseTrainer.Sample(features.of(e.system(), e.text(), List.of(),
                    java.util.Optional.empty()), classes.indexOf(e.category()), weight));
        }
        return new UseCaseTrainer(BUCKETS, EPOCHS, LEARNING_RATE, SEED).train(classes, samples);
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h;
    }
}
