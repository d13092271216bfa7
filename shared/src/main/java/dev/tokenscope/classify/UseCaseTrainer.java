package dev.tokenscope.classify;

import java.util.List;
import java.util.Random;

/**
 * Trains {@link UseCaseModel}: multinomial logistic regression by averaged stochastic gradient descent over
 * hashed features, with per-example weights (the caller balances classes) and optional feature dropout.
 * Deterministic: the examples are visited, and features dropped, in an order drawn from a fixed seed; the same
 * inputs in the same order give the same bytes.
 */
public final class UseCaseTrainer {

    /** One training example: its feature vector, class index and weight. */
    public record Sample(UseCaseFeatures.Vector features, int label, float weight) {
    }

    private final int buckets;
    private final int epochs;
    private final double learningRate;
    private final long seed;
    private final double dropout;

    public UseCaseTrainer(int buckets, int epochs, double learningRate, long seed) {
        this(buckets, epochs, learningRate, seed, 0);
    }

    /**
     * @param dropout share of an example's features left out at each visit (drawn from the seed, rescaled), so
     *                the model cannot lean on a few tokens of one source's style; 0 for none
     */
    public UseCaseTrainer(int buckets, int epochs, double learningRate, long seed, double dropout) {
        this.buckets = buckets;
        this.epochs = epochs;
        this.learningRate = learningRate;
        this.seed = seed;
        this.dropout = dropout;
    }

    public UseCaseModel train(List<String> classes, List<Sample> samples) {
        int k = classes.size();
        float[] w = new float[buckets * k];
        // Averaging trick: avg = w - u / t, with u accumulating t-weighted updates.
        float[] u = new float[buckets * k];
        double[] b = new double[k];
        double[] ub = new double[k];
        double[] p = new double[k];
        int[] order = new int[samples.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        Random drops = new Random(seed + 1);
        int[] active = new int[UseCaseFeatures.MAX_FEATURES];
        long t = 1;
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
            double lr = learningRate / (1.0 + epoch * 0.5);
            for (int oi : order) {
                Sample s = samples.get(oi);
                UseCaseFeatures.Vector v = s.features();
                float x = v.weight();
                int[] idx = v.buckets();
                int count = v.count();
                if (dropout > 0) {
                    count = 0;
                    for (int f = 0; f < v.count(); f++) {
                        if (drops.nextDouble() >= dropout) {
                            active[count++] = v.buckets()[f];
                        }
                    }
                    idx = active;
                    x = (float) (x / (1 - dropout));
                }
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double z = b[c];
                    for (int f = 0; f < count; f++) {
                        z += w[idx[f] * k + c] * x;
                    }
                    p[c] = z;
                    max = Math.max(max, z);
                }
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    p[c] = Math.exp(p[c] - max);
                    sum += p[c];
                }
                for (int c = 0; c < k; c++) {
                    double g = (p[c] / sum - (c == s.label() ? 1 : 0)) * s.weight() * lr;
                    if (g == 0) {
                        continue;
                    }
                    float gx = (float) (g * x);
                    for (int f = 0; f < count; f++) {
                        int at = idx[f] * k + c;
                        w[at] -= gx;
                        u[at] -= t * gx;
                    }
                    b[c] -= g;
                    ub[c] -= t * g;
                }
                t++;
            }
        }
        float[] avg = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            avg[i] = w[i] - u[i] / t;
        }
        float[] bias = new float[k];
        for (int c = 0; c < k; c++) {
            bias[c] = (float) (b[c] - ub[c] / t);
        }
        return UseCaseModel.quantise(classes, buckets, avg, bias);
    }
}
