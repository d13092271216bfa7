package dev.tokenscope.classify;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A linear softmax model over hashed features, with weights quantised to signed bytes (one scale for the
 * whole table): {@code buckets x classes} bytes, laid out bucket by bucket so one feature reads one run of
 * bytes. Stored gzip-compressed; the file format is written and read only here.
 */
public final class UseCaseModel {

    private static final int MAGIC = 0x54535543; // "TSUC"
    private static final int VERSION = 1;

    private final List<String> classes;
    private final int buckets;
    private final byte[] weights;
    private final float scale;
    private final float[] bias;

    public UseCaseModel(List<String> classes, int buckets, byte[] weights, float scale, float[] bias) {
        if (weights.length != buckets * classes.size() || bias.length != classes.size()) {
            throw new IllegalArgumentException("weights or bias do not match " + buckets + " x " + classes.size());
        }
        this.classes = List.copyOf(classes);
        this.buckets = buckets;
        this.weights = weights;
        this.scale = scale;
        this.bias = bias.clone();
    }

    /** Quantises float weights ({@code buckets x classes}, bucket-major) to bytes. */
    public static UseCaseModel quantise(List<String> classes, int buckets, float[] w, float[] bias) {
        float max = 1e-9f;
        for (float v : w) {
            max = Math.max(max, Math.abs(v));
        }
        float scale = max / 127f;
        byte[] q = new byte[w.length];
        for (int i = 0; i < w.length; i++) {
            q[i] = (byte) Math.max(-127, Math.min(127, Math.round(w[i] / scale)));
        }
        return new UseCaseModel(classes, buckets, q, scale, bias);
    }

    public List<String> classes() {
        return classes;
    }

    public int buckets() {
        return buckets;
    }

    /** Softmax probabilities per class, into {@code probs} (length = classes). */
    public void probabilities(UseCaseFeatures.Vector v, double[] probs) {
        int k = classes.size();
        long[] acc = new long[k];
        int[] idx = v.buckets();
        for (int f = 0; f < v.count(); f++) {
            int base = idx[f] * k;
            for (int c = 0; c < k; c++) {
                acc[c] += weights[base + c];
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        double factor = (double) scale * v.weight();
        for (int c = 0; c < k; c++) {
            probs[c] = acc[c] * factor + bias[c];
            max = Math.max(max, probs[c]);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            probs[c] = Math.exp(probs[c] - max);
            sum += probs[c];
        }
        for (int c = 0; c < k; c++) {
            probs[c] /= sum;
        }
    }

    public void write(OutputStream out) throws IOException {
        GZIPOutputStream gz = new GZIPOutputStream(out);
        DataOutputStream data = new DataOutputStream(gz);
        data.writeInt(MAGIC);
        data.writeInt(VERSION);
        data.writeInt(buckets);
        data.writeInt(classes.size());
        for (String c : classes) {
            data.writeUTF(c);
        }
        data.writeFloat(scale);
        for (float b : bias) {
            data.writeFloat(b);
        }
        data.write(weights);
        data.flush();
        gz.finish();
    }

    public static UseCaseModel read(InputStream in, String name) throws IOException {
        DataInputStream data = new DataInputStream(new GZIPInputStream(in, 1 << 16));
        if (data.readInt() != MAGIC || data.readInt() != VERSION) {
            throw new IOException(name + ": not a tokenscope use-case model (version " + VERSION + ")");
        }
        int buckets = data.readInt();
        int k = data.readInt();
        List<String> classes = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            classes.add(data.readUTF());
        }
        float scale = data.readFloat();
        float[] bias = new float[k];
        for (int i = 0; i < k; i++) {
            bias[i] = data.readFloat();
        }
        byte[] weights = new byte[buckets * k];
        data.readFully(weights);
        return new UseCaseModel(classes, buckets, weights, scale, bias);
    }
}
