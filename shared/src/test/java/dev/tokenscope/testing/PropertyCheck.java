package dev.tokenscope.testing;

import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A small property-testing harness on JUnit Jupiter: a property runs a bounded number of tries on seeded random
 * inputs; a failing input is shrunk and reported with the seed that reproduces it. The seed is fixed by default, so
 * every build checks the same cases; -Dfuzz.seed=N runs others (the same knob as the API fuzz test).
 *
 * <p>Not jqwik: from 1.10 on its authors ask that it not be used by AI coding agents, which write this project.
 */
public final class PropertyCheck {

    /** A fixed default, so that every build tries the same inputs. */
    public static final long DEFAULT_SEED = 20261126L;

    /** How many shrink steps a failure gets before the smallest input found so far is reported. */
    private static final int SHRINK_STEPS = 500;

    private PropertyCheck() {
    }

    /** The base seed of this run: -Dfuzz.seed, else the fixed default. */
    public static long seed() {
        return Long.getLong("fuzz.seed", DEFAULT_SEED);
    }

    /** Smaller variants of a failing input to try, most aggressive first; empty when none. */
    @FunctionalInterface
    public interface Shrinker<T> {
        Stream<T> smaller(T value);

        static <T> Shrinker<T> none() {
            return value -> Stream.empty();
        }
    }

    /** What a property saw over its tries, by a label the property gives each one (printed, for the record). */
    public static final class Tally {
        private final Map<String, Long> counts = new TreeMap<>();

        public void count(String label) {
            counts.merge(label, 1L, Long::sum);
        }

        public void count(String label, long n) {
            counts.merge(label, n, Long::sum);
        }

        public Map<String, Long> counts() {
            return counts;
        }

        @Override
        public String toString() {
            return counts.toString();
        }
    }

    /**
     * Runs the property on {@code tries} generated inputs. Any throwable from the property (an assertion or an
     * exception) falsifies it: the input is shrunk and an AssertionError names the property, the seed, the try
     * and the smallest failing input (as {@code show} prints it).
     */
    public static <T> Tally forAll(String name, int tries, Function<Random, T> generate, Shrinker<T> shrinker,
                                   Function<T, String> show, PropertyBody<T> property) {
        long seed = seed();
        // Each property draws from its own stream, so adding one property does not change the inputs of another.
        Random random = new Random(seed ^ name.hashCode());
        Tally tally = new Tally();
        long began = System.nanoTime();
        for (int i = 0; i < tries; i++) {
            T input = generate.apply(random);
            Tally seen = new Tally();
            Optional<Throwable> failure = failure(property, input, seen);
            if (failure.isPresent()) {
                T smallest = shrink(input, shrinker, property);
                Throwable cause = failure(property, smallest, new Tally()).orElse(failure.get());
                throw new AssertionError(name + " falsified at try " + (i + 1) + " of " + tries + " (seed " + seed
                        + "; rerun with -Dfuzz.seed=" + seed + "): " + cause + "\nsmallest failing input: "
                        + show.apply(smallest), cause);
            }
            seen.counts().forEach(tally::count);
        }
        System.out.println(name + ": " + tries + " tries, seed " + seed + ", passed in "
                + (System.nanoTime() - began) / 1_000_000 + " ms; " + tally);
        return tally;
    }

    /** The body of a property: checks one input, counting what it saw in the tally. */
    @FunctionalInterface
    public interface PropertyBody<T> {
        void check(T input, Tally tally) throws Exception;
    }

    private static <T> Optional<Throwable> failure(PropertyBody<T> property, T input, Tally tally) {
        try {
            property.check(input, tally);
            return Optional.empty();
        } catch (Throwable t) {
            return Optional.of(t);
        }
    }

    /** Greedy: the first smaller variant that still fails replaces the input, until none does. */
    private static <T> T shrink(T input, Shrinker<T> shrinker, PropertyBody<T> property) {
        T current = input;
        for (int step = 0; step < SHRINK_STEPS; step++) {
            Optional<T> smaller = shrinker.smaller(current)
                    .filter(candidate -> failure(property, candidate, new Tally()).isPresent())
                    .findFirst();
            if (smaller.isEmpty()) {
                break;
            }
            current = smaller.get();
        }
        return current;
    }

    /** Shrinks text by dropping halves, quarters, ... down to single characters. */
    public static Shrinker<String> text() {
        return value -> chunks(value.length()).map(c -> value.substring(0, c[0]) + value.substring(c[1]));
    }

    /** Shrinks bytes by dropping halves, quarters, ... down to single bytes. */
    public static Shrinker<byte[]> bytes() {
        return value -> chunks(value.length).map(c -> {
            byte[] out = new byte[value.length - (c[1] - c[0])];
            System.arraycopy(value, 0, out, 0, c[0]);
            System.arraycopy(value, c[1], out, c[0], value.length - c[1]);
            return out;
        });
    }

    /** [from, to) ranges to cut: the halves first, then smaller and smaller pieces. */
    private static Stream<int[]> chunks(int length) {
        return Stream.iterate(Math.max(1, length / 2), size -> size >= 1, size -> size == 1 ? 0 : size / 2)
                .flatMap(size -> Stream.iterate(0, from -> from < length, from -> from + size)
                        .map(from -> new int[] {from, Math.min(length, from + size)}));
    }

    /** Prints an input with its control characters escaped, cut to a readable length. */
    public static String printable(String text) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (; i < text.length() && out.length() < 4000; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || Character.isSurrogate(c) || c == '\uFEFF') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return i < text.length() ? out + "... (" + text.length() + " chars)" : out.toString();
    }
}
