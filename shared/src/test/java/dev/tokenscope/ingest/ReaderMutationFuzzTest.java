package dev.tokenscope.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenscope.testing.Fixtures;
import dev.tokenscope.testing.HostileText;
import dev.tokenscope.testing.PropertyCheck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The mutation fuzzer: every real fixture of every format, mutated at random (bits, bytes, cuts at every kind of
 * boundary, lines duplicated and swapped, numbers made huge or negative, odd Unicode, invalid UTF-8, deep nesting,
 * broken gzip), then read as ingest reads it. Each read must keep the ReaderContract. The seed is fixed and
 * printed; -Dfuzz.seed=N runs other mutants.
 */
class ReaderMutationFuzzTest {

    /** Mutants of each fixture, plain and gzipped; about 5,000 reads in all over the 36 fixtures. */
    private static final int MUTANTS_PER_FIXTURE = 140;
    /** Mutants of one line of each single-line-per-record fixture, checked for the records around it. */
    private static final int LINE_MUTANTS_PER_FIXTURE = 60;

    private static final Pattern NUMBER = Pattern.compile("(?<=[:\\[,]\\s?)-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");

    /** A fixture: its bytes, the key it is uploaded under, and the format it is in. */
    record Fixture(String name, String key, String format, byte[] bytes) {
    }

    /** One mutation: its name and what it does to the bytes. */
    record Mutation(String name, BiFunction<byte[], Random, byte[]> apply) {
    }

    static List<Fixture> fixtures() {
        List<Fixture> fixtures = new ArrayList<>();
        try (Stream<Path> files = Files.walk(resourceFolder("/formats"))) {
            files.filter(Files::isRegularFile).sorted().forEach(path -> {
                String folder = path.getParent().getFileName().toString();
                String name = folder + "/" + path.getFileName();
                if (name.startsWith("bedrock/offloaded-")) {
                    return; // bodies a Bedrock log refers to, not logs of their own
                }
                fixtures.add(new Fixture(name, "logs/" + name, folder, read(path))); // folders are named by format id
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        fixtures.add(new Fixture("events/sample-usage.jsonl", "logs/sample-usage.jsonl", "canonical",
                Fixtures.resource(Fixtures.SAMPLE_JSONL)));
        fixtures.add(new Fixture("events/sample-usage-with-errors.csv", "logs/sample-usage-with-errors.csv",
                "canonical", Fixtures.resource(Fixtures.SAMPLE_CSV)));
        return fixtures;
    }

    static Path resourceFolder(String name) {
        try {
            return Path.of(ReaderMutationFuzzTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void fixtures_shouldNameEveryFormat_soThatTheFuzzerCoversEachReader() {
        // given / when
        List<String> covered = fixtures().stream().map(Fixture::format).distinct().sorted().toList();

        // then
        assertEquals(FormatRegistry.standardFormats().stream().map(LogFormat::id).sorted().toList(), covered);
    }

    @Test
    void read_shouldKeepTheReaderContract_whenFixturesAreMutatedAtRandom() throws IOException {
        // given
        long seed = PropertyCheck.seed();
        Random random = new Random(seed);
        List<Fixture> fixtures = fixtures();
        List<Mutation> mutations = mutations();
        List<Mutation> gzipMutations = gzipMutations();
        Map<String, Long> byMutation = new TreeMap<>();
        Map<String, Long> outcomes = new TreeMap<>();
        long cases = 0;
        long good = 0;
        long bad = 0;
        long began = System.nanoTime();

        for (Fixture fixture : fixtures) {
            for (int i = 0; i < MUTANTS_PER_FIXTURE; i++) {
                // when: one to three mutations of the text, and for a third of the cases the gzipped file broken
                byte[] bytes = fixture.bytes();
                List<String> applied = new ArrayList<>();
                int count = 1 + random.nextInt(3);
                for (int m = 0; m < count; m++) {
                    Mutation mutation = mutations.get(random.nextInt(mutations.size()));
                    bytes = mutation.apply().apply(bytes, random);
                    applied.add(mutation.name());
                }
                String key = fixture.key();
                if (i % 3 == 0) {
                    key = key + ".gz";
                    bytes = Fixtures.gzip(bytes);
                    if (random.nextBoolean()) {
                        Mutation mutation = gzipMutations.get(random.nextInt(gzipMutations.size()));
                        bytes = mutation.apply().apply(bytes, random);
                        applied.add(mutation.name());
                    }
                }
                Optional<String> declared = i % 4 == 1 ? Optional.of(fixture.format()) : Optional.empty();
                Limits limits = i % 5 == 2 ? new Limits(1024) : Limits.DEFAULT;
                ReaderContract.Outcome outcome;
                try {
                    outcome = ReaderContract.read(key, bytes, declared, limits);
                } catch (Throwable t) {
                    throw new AssertionError("mutant " + i + " of " + fixture.name() + " by " + applied
                            + " broke the reader contract (seed " + seed + ", rerun with -Dfuzz.seed=" + seed + "; "
                            + "declared " + declared + ", limit " + limits.maxRecordChars() + "): " + t
                            + "\ninput: " + PropertyCheck.printable(new String(bytes, StandardCharsets.UTF_8)), t);
                }

                // then (the contract was checked while reading): count what was tried and seen
                cases++;
                applied.forEach(name -> byMutation.merge(name, 1L, Long::sum));
                outcomes.merge(outcome.rejected().isPresent() ? "rejected" : "read", 1L, Long::sum);
                good += outcome.good();
                bad += outcome.bad();
            }
        }

        System.out.println("ReaderMutationFuzzTest: " + cases + " mutants of " + fixtures.size() + " fixtures, seed "
                + seed + ", all kept the contract in " + (System.nanoTime() - began) / 1_000_000 + " ms; files "
                + outcomes + ", records " + good + ", quarantined lines " + bad + "; mutations " + byMutation);
    }

    @Test
    void read_shouldKeepEveryOtherLinesRecords_whenOneLineIsMutated() throws IOException {
        // given: the fixtures with one record per line (JSON Lines; CSV without quoted line breaks)
        long seed = PropertyCheck.seed();
        Random random = new Random(seed + 1);
        long cases = 0;
        long kept = 0;
        long began = System.nanoTime();
        for (Fixture fixture : fixtures()) {
            List<byte[]> lines = splitLines(fixture.bytes());
            boolean csv = fixture.name().endsWith(".csv");
            if (!(fixture.name().endsWith(".jsonl") || csv) || lines.size() < 3
                    || (csv && lines.stream().anyMatch(l -> quotes(l) % 2 != 0))) {
                continue;
            }
            Optional<String> declared = Optional.of(fixture.format());
            Map<Long, Long> before = ReaderContract.read(fixture.key(), fixture.bytes(), declared, Limits.DEFAULT)
                    .goodByLine();
            for (int i = 0; i < LINE_MUTANTS_PER_FIXTURE; i++) {
                // when: one line after the first is mutated without adding or removing a line break or a quote
                int target = 1 + random.nextInt(lines.size() - 1);
                List<byte[]> mutated = new ArrayList<>(lines);
                mutated.set(target, mutateWithinLine(lines.get(target), random));
                byte[] bytes = joinLines(mutated);
                ReaderContract.Outcome outcome = ReaderContract.read(fixture.key(), bytes, declared, Limits.DEFAULT);

                // then: the records of every other line are as they were
                Map<Long, Long> expected = new TreeMap<>(before);
                Map<Long, Long> actual = new TreeMap<>(outcome.goodByLine());
                expected.remove(target + 1L);
                actual.remove(target + 1L);
                assertEquals(expected, actual, () -> fixture.name() + ": line " + (target + 1) + " mutated to "
                        + PropertyCheck.printable(new String(mutated.get(target), StandardCharsets.UTF_8))
                        + " changed the records of other lines (seed " + seed + ")");
                cases++;
                kept += actual.values().stream().mapToLong(Long::longValue).sum();
            }
        }
        System.out.println("ReaderMutationFuzzTest (one line): " + cases + " mutants, seed " + seed + ", every other"
                + " line's records kept (" + kept + " records) in " + (System.nanoTime() - began) / 1_000_000 + " ms");
    }

    // ---- mutations of the text

    static List<Mutation> mutations() {
        return List.of(
                new Mutation("bit-flip", (b, r) -> {
                    byte[] out = b.clone();
                    for (int i = 1 + r.nextInt(8); i > 0 && out.length > 0; i--) {
                        int at = r.nextInt(out.length);
                        out[at] ^= (byte) (1 << r.nextInt(8));
                    }
                    return out;
                }),
                new Mutation("byte-insert", (b, r) -> {
                    byte[] insert = new byte[1 + r.nextInt(16)];
                    for (int i = 0; i < insert.length; i++) {
                        insert[i] = r.nextBoolean() ? (byte) r.nextInt(256)
                                : (byte) HostileText.PUNCTUATION.charAt(r.nextInt(HostileText.PUNCTUATION.length()));
                    }
                    return splice(b, r.nextInt(b.length + 1), 0, insert);
                }),
                new Mutation("byte-delete", (b, r) -> {
                    if (b.length == 0) {
                        return b;
                    }
                    int at = r.nextInt(b.length);
                    return splice(b, at, Math.min(b.length - at, 1 + r.nextInt(16)), new byte[0]);
                }),
                new Mutation("truncate", ReaderMutationFuzzTest::truncateAtBoundary),
                new Mutation("duplicate-line", (b, r) -> {
                    List<byte[]> lines = new ArrayList<>(splitLines(b));
                    if (lines.isEmpty()) {
                        return b;
                    }
                    int at = r.nextInt(lines.size());
                    lines.add(at, lines.get(at));
                    return joinLines(lines);
                }),
                new Mutation("swap-lines", (b, r) -> {
                    List<byte[]> lines = new ArrayList<>(splitLines(b));
                    if (lines.size() < 2) {
                        return b;
                    }
                    java.util.Collections.swap(lines, r.nextInt(lines.size()), r.nextInt(lines.size()));
                    return joinLines(lines);
                }),
                new Mutation("odd-number", (b, r) -> replaceNumber(b, r, false)),
                new Mutation("negative-number", (b, r) -> replaceNumber(b, r, true)),
                new Mutation("odd-unicode", (b, r) -> splice(b, r.nextInt(b.length + 1), 0,
                        HostileText.ODD.get(r.nextInt(HostileText.ODD.size())).getBytes(StandardCharsets.UTF_8))),
                new Mutation("invalid-utf8", (b, r) -> splice(b, r.nextInt(b.length + 1), 0,
                        HostileText.INVALID_UTF8.get(r.nextInt(HostileText.INVALID_UTF8.size())))),
                new Mutation("control-chars", (b, r) -> splice(b, r.nextInt(b.length + 1), 0,
                        new byte[] {(byte) r.nextInt(32)})),
                new Mutation("deep-nesting", (b, r) -> {
                    int[] depths = {64, 999, 1000, 1001, 5000, 50_000};
                    String deep = HostileText.nested(depths[r.nextInt(depths.length)], r.nextBoolean(), "1");
                    int at = valueStart(b, r);
                    return splice(b, at, 0, (deep + (at < b.length ? "," : "")).getBytes(StandardCharsets.UTF_8));
                }),
                new Mutation("long-string", (b, r) -> {
                    int at = valueStart(b, r);
                    String value = "\"" + "x".repeat(1000 + r.nextInt(3000)) + "\"" + (at < b.length ? "," : "");
                    return splice(b, at, 0, value.getBytes(StandardCharsets.UTF_8));
                }),
                new Mutation("line-endings", (b, r) -> {
                    String text = new String(b, StandardCharsets.ISO_8859_1);
                    String ending = List.of("\r\n", "\r", "\n\n", "\u0085").get(r.nextInt(4));
                    return text.replace("\n", ending).getBytes(StandardCharsets.ISO_8859_1);
                }),
                new Mutation("byte-order-mark", (b, r) -> splice(b, 0, 0, new byte[] {(byte) 0xef, (byte) 0xbb,
                        (byte) 0xbf})),
                new Mutation("empty", (b, r) -> List.of("", " ", "\n\n", "\uFEFF", "[]", "{}", "[", "{", "\"")
                        .get(r.nextInt(9)).getBytes(StandardCharsets.UTF_8)));
    }

    /** Cuts the file at a kind of place chosen at random: after a brace, inside a string, mid-character... */
    private static byte[] truncateAtBoundary(byte[] b, Random r) {
        if (b.length == 0) {
            return b;
        }
        String kinds = "{}[]\":,\n\\0";
        char kind = kinds.charAt(r.nextInt(kinds.length()));
        List<Integer> places = new ArrayList<>();
        for (int i = 0; i < b.length; i++) {
            boolean multibyte = (b[i] & 0xc0) == 0x80; // inside a UTF-8 sequence
            if ((kind == '0' && multibyte) || (kind != '0' && b[i] == kind)) {
                places.add(i);
            }
        }
        int at = places.isEmpty() ? r.nextInt(b.length) : places.get(r.nextInt(places.size()));
        // Before or just after the boundary character.
        return Arrays.copyOf(b, Math.min(b.length, at + r.nextInt(2)));
    }

    /** Replaces a number of the text with a huge, tiny, negative or non-numeric one. */
    private static byte[] replaceNumber(byte[] b, Random r, boolean negate) {
        String text = new String(b, StandardCharsets.UTF_8);
        Matcher m = NUMBER.matcher(text);
        List<int[]> found = new ArrayList<>();
        while (m.find()) {
            found.add(new int[] {m.start(), m.end()});
        }
        if (found.isEmpty()) {
            return b;
        }
        int[] at = found.get(r.nextInt(found.size()));
        String number = text.substring(at[0], at[1]);
        String replacement = negate ? (number.startsWith("-") ? number.substring(1) : "-" + number)
                : HostileText.NUMBERS.get(r.nextInt(HostileText.NUMBERS.size()));
        return (text.substring(0, at[0]) + replacement + text.substring(at[1])).getBytes(StandardCharsets.UTF_8);
    }

    /** A place where a JSON value starts (just after a colon), or anywhere when there is none. */
    private static int valueStart(byte[] b, Random r) {
        List<Integer> colons = new ArrayList<>();
        for (int i = 0; i < b.length; i++) {
            if (b[i] == ':') {
                colons.add(i + 1);
            }
        }
        return colons.isEmpty() ? r.nextInt(b.length + 1) : colons.get(r.nextInt(colons.size()));
    }

    // ---- mutations of gzipped bytes

    static List<Mutation> gzipMutations() {
        return List.of(
                new Mutation("gzip-truncate", (b, r) -> Arrays.copyOf(b, r.nextInt(b.length + 1))),
                new Mutation("gzip-header-cut", (b, r) -> Arrays.copyOf(b, Math.min(b.length, 2 + r.nextInt(9)))),
                new Mutation("gzip-header-flip", (b, r) -> flipIn(b, r, 2, Math.min(b.length, 10))),
                new Mutation("gzip-body-flip", (b, r) -> flipIn(b, r, Math.min(b.length, 10), Math.max(10,
                        b.length - 8))),
                new Mutation("gzip-trailer-flip", (b, r) -> flipIn(b, r, Math.max(0, b.length - 8), b.length)),
                new Mutation("gzip-garbage-after", (b, r) -> {
                    byte[] garbage = new byte[1 + r.nextInt(64)];
                    r.nextBytes(garbage);
                    if (r.nextBoolean() && garbage.length > 2) {
                        garbage[0] = 0x1f;
                        garbage[1] = (byte) 0x8b; // what looks like a second member, and is not
                    }
                    return splice(b, b.length, 0, garbage);
                }),
                new Mutation("gzip-second-member", (b, r) -> splice(b, b.length, 0, b)),
                new Mutation("gzip-double", (b, r) -> Fixtures.gzip(b)));
    }

    private static byte[] flipIn(byte[] b, Random r, int from, int to) {
        byte[] out = b.clone();
        if (to > from) {
            int at = from + r.nextInt(to - from);
            out[at] ^= (byte) (1 + r.nextInt(255));
        }
        return out;
    }

    // ---- line-local mutations

    /** Mutates bytes of one line, never adding or removing a line break or a double quote. */
    private static byte[] mutateWithinLine(byte[] line, Random r) {
        byte[] out = line;
        for (int i = 1 + r.nextInt(3); i > 0; i--) {
            int kind = r.nextInt(4);
            int at = r.nextInt(out.length + 1);
            if (kind == 0) {
                byte[] insert = HostileText.line(r, 8).replace("\"", "'").getBytes(StandardCharsets.UTF_8);
                out = splice(out, at, 0, insert);
            } else if (kind == 1 && at < out.length && out[at] != '"') {
                out = splice(out, at, 1, new byte[0]);
            } else if (kind == 2 && at < out.length && out[at] != '"') {
                byte flipped = (byte) (out[at] ^ (1 << r.nextInt(8)));
                if (flipped != '"' && flipped != '\n' && flipped != '\r') {
                    out = out.clone();
                    out[at] = flipped;
                }
            } else {
                out = splice(out, at, 0, HostileText.INVALID_UTF8.get(r.nextInt(HostileText.INVALID_UTF8.size())));
            }
        }
        return out;
    }

    // ---- bytes and lines

    static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

    /** The lines of the bytes, without their \n; a last line without one is a line too. */
    static List<byte[]> splitLines(byte[] b) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n') {
                lines.add(Arrays.copyOfRange(b, start, i));
                start = i + 1;
            }
        }
        if (start < b.length) {
            lines.add(Arrays.copyOfRange(b, start, b.length));
        }
        return lines;
    }

    static byte[] joinLines(List<byte[]> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] line : lines) {
            out.writeBytes(line);
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static int quotes(byte[] line) {
        int n = 0;
        for (byte b : line) {
            if (b == '"') {
                n++;
            }
        }
        return n;
    }
}
