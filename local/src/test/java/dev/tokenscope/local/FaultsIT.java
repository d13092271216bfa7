package dev.tokenscope.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.aws.AwsClients;
import dev.tokenscope.ingest.IngestService;
import dev.tokenscope.recompute.QueryEngine;
import dev.tokenscope.recompute.RecomputeService;
import dev.tokenscope.store.DynamoRecomputeLease;
import dev.tokenscope.store.DynamoRetentionSnapshots;
import dev.tokenscope.store.DynamoUsageTable;
import dev.tokenscope.store.RollupWrites;
import dev.tokenscope.store.S3ObjectStore;
import dev.tokenscope.store.UploadStatus;
import dev.tokenscope.testing.CrashingRollupStore.SimulatedCrash;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The faults AWS really has, on the real local stack (S3Mock, dynalite, DuckDB): events delivered again and out of
 * order, a function dying at any write, concurrent ingests of the same rollups, throttling, 5xx and broken
 * streams under the SDK's own retries, DynamoDB restarted mid-run. After each case the table and the data bucket
 * equal those of a clean single run into a fresh table and bucket (StoreSnapshot says what bookkeeping may
 * differ): nothing lost, nothing twice. Each test prints a line "FAULTS class: cases=N lost=0 double=0 other=0".
 *
 * <p>IngestIT has the simplest cases (one event three times, a crash after each rollup write of the sample, a new
 * version); these are the many-case versions, on uploads of ten lines over two days (eight records, two bad
 * lines), each touching some 95 rollup items in every dimension.
 */
class FaultsIT {

    private static final LocalDate DAY1 = LocalDate.parse("2026-03-02");
    private static final LocalDate DAY2 = LocalDate.parse("2026-03-03");
    private static final LocalDate DAY3 = LocalDate.parse("2026-03-04");
    private static final QueryEngine.Window WINDOW = new QueryEngine.Window(DAY1, DAY3);
    /**
     * Records a day in an upload. The cost of a case is its rollup writes, which grow with the distinct (dimension,
     * day, value) keys, not with records: four records a day touch some 45 items a day, twelve about 90.
     */
    private static final int PER_DAY = 4;
    private static final String SEQ_1 = "0062A1B2C3D4E5F601";
    private static final String SEQ_2 = "0062A1B2C3D4E5F602";

    @TempDir
    Path work;

    private Rig rig;

    @BeforeEach
    void setUp() throws IOException {
        rig = new Rig(TestStack.get(), TestStack.freshName("faults-src"), work);
    }

    // --- 1. redelivery, in every order ---

    @Test
    void ingest_shouldEqualACleanRunOfTheLatestVersion_whenEventsOfTwoVersionsArriveRepeatedInEveryOrder() {
        Tally tally = new Tally("redelivery-orders");
        // One day each, since these cases are many: the second version drops the first's day (its object is
        // deleted, its items retracted to nothing) and its bad line (the quarantine object is deleted).
        byte[] v1 = upload(1, PER_DAY, true, DAY1);
        // (a) a new version with other content; (b) the same bytes PUT again: same ETag, a later sequencer
        for (byte[] v2 : List.of(upload(2, PER_DAY, false, DAY2), v1)) {
            String key = "logs/orders-" + tally.cases + ".jsonl";
            Delivery e1 = new Delivery(key, rig.put(key, v1), SEQ_1);
            Delivery e2 = new Delivery(key, rig.put(key, v2), SEQ_2);
            StoreSnapshot clean = rig.clean(e2);
            for (int first = 1; first <= 2; first++) {
                for (int second = 1; second <= 2; second++) {
                    for (List<String> order : orders(first, second)) {
                        // given the first version in S3, and a fresh table and bucket
                        rig.put(key, v1);
                        String data = rig.fresh("orders");
                        IngestService ingest = rig.healthy(data);

                        // when the events arrive in this order, the second version PUT at P
                        for (String step : order) {
                            switch (step) {
                                case "P" -> rig.put(key, v2);
                                case "E1" -> rig.deliver(ingest, e1);
                                default -> rig.deliver(ingest, e2);
                            }
                        }

                        // then
                        tally.check(String.join(",", order) + (v2 == v1 ? " same bytes" : ""), rig.snapshot(data),
                                clean);
                    }
                }
            }
        }
        tally.finish("");
    }

    /**
     * Every order of {@code first} deliveries of the first event and {@code second} of the second, with the PUT of
     * the second version (P) anywhere before the second event's first delivery.
     */
    static List<List<String>> orders(int first, int second) {
        List<List<String>> result = new ArrayList<>();
        arrange(new ArrayList<>(), first, second, false, result);
        return result;
    }

    private static void arrange(List<String> prefix, int first, int second, boolean put, List<List<String>> into) {
        if (first == 0 && second == 0 && put) {
            into.add(List.copyOf(prefix));
            return;
        }
        for (String step : List.of("E1", "P", "E2")) {
            boolean possible = switch (step) {
                case "E1" -> first > 0;
                case "P" -> !put;
                default -> put && second > 0;
            };
            if (possible) {
                prefix.add(step);
                arrange(prefix, first - (step.equals("E1") ? 1 : 0), second - (step.equals("E2") ? 1 : 0),
                        put || step.equals("P"), into);
                prefix.remove(prefix.size() - 1);
            }
        }
    }

    // --- 2. a crash at any write, then a retry ---

    @Test
    void ingest_shouldEndExact_whenTheFunctionDiesAtAnyWriteAndTheEventIsRetried() {
        Tally tally = new Tally("crash-and-retry");
        Map<String, Integer> diedAt = new TreeMap<>();
        Versions versions = rig.versions("logs/crash.jsonl", 3);
        try (Faulty faulty = rig.faulty()) {
            // (a) the first version of a key; (b) a second version replacing it: retractions, stale objects
            for (boolean replace : List.of(false, true)) {
                Delivery event = replace ? versions.e2() : versions.e1();
                rig.put(event.key(), replace ? versions.v2() : versions.v1());
                StoreSnapshot clean = rig.clean(event);
                // A healthy run's writes say where to die.
                FaultyHttp.CountWrites counter = new FaultyHttp.CountWrites();
                faulty.http().use(counter);
                rig.deliver(rig.ingest(faulty.s3(), faulty.dynamo(), rig.fresh(replace, versions)), event);
                List<String> writes = List.copyOf(counter.writes);
                for (int k : crashPoints(writes)) {
                    for (boolean tear : writes.get(k).startsWith("s3 PUT") ? List.of(false, true) : List.of(false)) {
                        // given a fresh table and bucket (holding the first version, when replacing)
                        String data = rig.fresh(replace, versions);

                        // when the function dies at write k (torn: half-way through sending it), then the event
                        // is delivered again to a healthy function
                        faulty.http().use(new FaultyHttp.DieAtWrite(k, tear));
                        RuntimeException died = assertThrows(RuntimeException.class,
                                () -> rig.deliver(rig.ingest(faulty.s3(), faulty.dynamo(), data), event));
                        assertTrue(causedBy(died, SimulatedCrash.class), () -> "not the crash: " + died);
                        rig.deliver(rig.healthy(data), event);

                        // then
                        diedAt.merge(writes.get(k) + (tear ? " torn" : ""), 1, Integer::sum);
                        tally.check((replace ? "replace" : "first") + " die at write " + k + " of " + writes.size()
                                + " (" + writes.get(k) + (tear ? ", torn" : "") + ")", rig.snapshot(data), clean);
                    }
                }
            }
        }
        tally.finish("died at " + diedAt);
    }

    @Test
    void recompute_shouldEndExact_whenItDiesAtAnyWriteAndRunsAgain() {
        Tally tally = new Tally("recompute-crash-and-rerun");
        Map<String, Integer> diedAt = new TreeMap<>();
        Delivery e1 = rig.uploaded("logs/recompute-crash.jsonl", 5);
        StoreSnapshot clean = rig.cleanRecomputed(e1);
        try (Faulty faulty = rig.faulty()) {
            String counted = rig.ingestedWithoutRollups(e1);
            FaultyHttp.CountWrites counter = new FaultyHttp.CountWrites();
            faulty.http().use(counter);
            rig.recompute(faulty.dynamo(), counted, Clock.systemUTC());
            List<String> writes = List.copyOf(counter.writes);
            for (int k : crashPoints(writes)) {
                // given the upload ingested, its rollup items gone
                String data = rig.ingestedWithoutRollups(e1);

                // when the recompute dies at write k, and runs again (after its lease ran out)
                faulty.http().use(new FaultyHttp.DieAtWrite(k, false));
                RuntimeException died = assertThrows(RuntimeException.class,
                        () -> rig.recompute(faulty.dynamo(), data, Clock.systemUTC()));
                assertTrue(causedBy(died, SimulatedCrash.class), () -> "not the crash: " + died);
                rig.recompute(rig.stack().dynamo(), data, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(17)));

                // then
                diedAt.merge(writes.get(k), 1, Integer::sum);
                tally.check("die at write " + k + " of " + writes.size() + " (" + writes.get(k) + ")",
                        rig.snapshot(data), clean);
            }
        }
        tally.finish("died at " + diedAt);
    }

    /**
     * Where to die: at every write that is not a rollup write (statuses, warehouse objects, quarantine, manifests,
     * deletes, lease, retention), and at rollup writes spread over each run of them (the first two, the last
     * two, and every n/4 between), since a run of rollup writes is one phase of alike, concurrent steps.
     */
    static List<Integer> crashPoints(List<String> writes) {
        java.util.SortedSet<Integer> points = new java.util.TreeSet<>();
        int i = 0;
        while (i < writes.size()) {
            if (!writes.get(i).endsWith(" R")) {
                points.add(i++);
                continue;
            }
            int start = i;
            while (i < writes.size() && writes.get(i).endsWith(" R")) {
                i++;
            }
            int length = i - start;
            for (int j = 0; j < length; j += Math.max(1, length / 4)) {
                points.add(start + j);
            }
            for (int j = 0; j < Math.min(2, length); j++) {
                points.add(start + j);
                points.add(i - 1 - j);
            }
        }
        return List.copyOf(points);
    }

    // --- 3. concurrent ingests ---

    @Test
    void ingest_shouldEqualTheSumOfCleanRuns_whenEightIngestsOfTheSameRollupsRunAtOnce() throws Exception {
        Tally tally = new Tally("concurrent-8");
        List<Delivery> uploads = new ArrayList<>();
        for (int u = 0; u < 6; u++) {
            String key = "logs/concurrent-" + u + ".jsonl";
            // Every upload has records of the same day and models: they add to the same rollup items.
            uploads.add(new Delivery(key, rig.put(key, upload(10 + u, PER_DAY, u % 2 == 0, DAY1)), SEQ_1));
        }
        StoreSnapshot clean = rig.clean(uploads.toArray(Delivery[]::new));
        java.util.Random random = new java.util.Random(8);
        for (int round = 0; round < 12; round++) {
            // given six uploads and two duplicates of them (in some rounds three copies of one event)
            List<Delivery> events = new ArrayList<>(uploads);
            Delivery twice = uploads.get(random.nextInt(uploads.size()));
            events.add(twice);
            events.add(round % 3 == 0 ? twice : uploads.get(random.nextInt(uploads.size())));
            java.util.Collections.shuffle(events, random);
            String data = rig.fresh("concurrent");

            // when eight functions ingest them at once
            List<UploadStatus> done = rig.deliverAtOnce(data, events);

            // then
            assertTrue(done.stream().allMatch(d -> d.state() == UploadStatus.State.COMPLETE), done::toString);
            tally.check("round " + round, rig.snapshot(data), clean);
        }
        tally.finish("");
    }

    /**
     * Two versions of one key ingested at the same time (a key PUT again while its previous upload is still being
     * ingested; here the same bytes twice, so both pass the ETag check and only the sequencer orders them). The
     * object's lease makes them take turns: the second reads the manifest after the first committed, and either
     * retracts it (it is newer) or is refused by it (it is older).
     */
    @Test
    void ingest_shouldCountOnlyTheNewerVersion_whenTwoVersionsOfAKeyAreIngestedAtOnce() throws Exception {
        Tally tally = new Tally("concurrent-versions");
        String key = "logs/concurrent-versions.jsonl";
        String etag = rig.put(key, upload(40, PER_DAY, false, DAY1));
        Delivery e1 = new Delivery(key, etag, SEQ_1);
        Delivery e2 = new Delivery(key, etag, SEQ_2);
        StoreSnapshot clean = rig.clean(e2);
        for (int round = 0; round < 6; round++) {
            // given
            String data = rig.fresh("versions");

            // when both events are ingested at once
            rig.deliverAtOnce(data, List.of(e1, e2));

            // then only the newer version counts
            tally.check("round " + round, rig.snapshot(data), clean);
        }
        tally.finish("");
    }

    // --- 4. throttling, 5xx, broken streams under the SDK's retries ---

    /**
     * Faults at random, at a rate per service: DynamoDB (nine attempts a call) at rates it rides out; S3 (four) also
     * at rates that exhaust them. The SDK's backoff is real (from 500 ms on throttling), so these cases sleep more
     * than they work; the uploads are of one day each.
     */
    @Test
    void ingest_shouldFailLoudlyOrEndExact_whenAwsThrottlesFailsAndBreaksStreamsAtRandom() {
        Tally tally = new Tally("throttling-5xx-broken-streams");
        byte[] v1 = upload(20, PER_DAY, true, DAY1);
        byte[] v2 = upload(21, PER_DAY, false, DAY2);
        String key = "logs/random-faults.jsonl";
        Versions versions = new Versions(v1, v2, new Delivery(key, rig.put(key, v1), SEQ_1),
                new Delivery(key, rig.put(key, v2), SEQ_2));
        StoreSnapshot cleanReplace = rig.clean(versions.e2());
        rig.put(key, v1);
        StoreSnapshot cleanFirst = rig.clean(versions.e1());
        Map<String, Integer> outcomes = new TreeMap<>();
        Map<FaultyHttp.Fault, Long> injected = new TreeMap<>();
        int seed = 0;
        for (double[] rates : List.of(new double[] {0.05, 0.05}, new double[] {0.2, 0.05}, new double[] {0.05, 0.5},
                new double[] {0.2, 0.3})) {
            for (int i = 0; i < 3; i++) {
                seed++;
                boolean replace = seed % 2 == 0;
                String label = "dynamodb " + rates[0] + " s3 " + rates[1];
                // given a fresh table and bucket (holding the first version, when replacing)
                String data = rig.fresh(replace, versions);
                Delivery event = replace ? versions.e2() : versions.e1();
                StoreSnapshot clean = replace ? cleanReplace : cleanFirst;

                // when the event is delivered as Lambda does (one try and two retries) through clients whose
                // calls meet faults at these rates; then once more, healthy, if all three failed
                String outcome = "needed a healthy redelivery";
                try (Faulty faulty = rig.faulty()) {
                    faulty.http().use(new FaultyHttp.AtRandom(seed, rates[0], rates[1]));
                    for (int attempt = 1; attempt <= 3; attempt++) {
                        try {
                            UploadStatus status = rig.deliver(rig.ingest(faulty.s3(), faulty.dynamo(), data), event);
                            assertEquals(UploadStatus.State.COMPLETE, status.state());
                            // A success must be exact as it stands, before any redelivery.
                            tally.check(label + " seed " + seed + " completed on attempt " + attempt,
                                    rig.snapshot(data), clean);
                            outcome = "completed on attempt " + attempt;
                            break;
                        } catch (RuntimeException loud) {
                            outcomes.merge("failure: " + kind(loud), 1, Integer::sum);
                        }
                    }
                    faulty.http().injected().forEach((f, n) -> injected.merge(f, n, Long::sum));
                }
                outcomes.merge(label + ": " + outcome, 1, Integer::sum);
                rig.deliver(rig.healthy(data), event);

                // then, after a redelivery, too
                tally.check(label + " seed " + seed + " after a redelivery", rig.snapshot(data), clean);
            }
        }
        tally.finish("outcomes " + outcomes + " injected " + injected);
    }

    @Test
    void ingest_shouldFailLoudlyThenEndExact_whenTheUploadsStreamBreaksOrEndsAfterNBytes() throws IOException {
        Tally tally = new Tally("upload-stream-cut");
        Map<String, Integer> outcomes = new TreeMap<>();
        byte[] text = upload(23, PER_DAY, true, DAY1, DAY2);
        java.io.ByteArrayOutputStream gzip = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(gzip)) {
            out.write(text);
        }
        for (byte[] body : List.of(text, gzip.toByteArray())) {
            String key = body == text ? "logs/cut.jsonl" : "logs/cut.jsonl.gz";
            Delivery event = new Delivery(key, rig.put(key, body), SEQ_1);
            StoreSnapshot clean = rig.clean(event);
            try (Faulty faulty = rig.faulty()) {
                for (FaultyHttp.Fault fault : List.of(FaultyHttp.Fault.BODY_BREAKS, FaultyHttp.Fault.BODY_ENDS_EARLY)) {
                    for (long after : List.of(0L, 64L, body.length / 2L, body.length - 1L)) {
                        // given a fresh table and bucket
                        String data = rig.fresh("cut");

                        // when the upload's stream breaks, or ends, after this many bytes: the ingest must fail,
                        // not count a part of the file; then the event is delivered again
                        faulty.http().use(new FaultyHttp.CutUploads(fault, after));
                        RuntimeException loud = assertThrows(RuntimeException.class,
                                () -> rig.deliver(rig.ingest(faulty.s3(), faulty.dynamo(), data), event));
                        outcomes.merge("failed loudly: " + kind(loud), 1, Integer::sum);
                        rig.deliver(rig.healthy(data), event);

                        // then
                        tally.check(key + " " + fault + " after " + after + " of " + body.length + " bytes",
                                rig.snapshot(data), clean);
                    }
                }
            }
        }
        tally.finish("outcomes " + outcomes);
    }

    @Test
    void recompute_shouldFailLoudlyOrEndExact_whenDynamoDbThrottlesAndFailsAtRandom() {
        Tally tally = new Tally("recompute-throttling-5xx");
        Delivery e1 = rig.uploaded("logs/recompute-random.jsonl", 22);
        StoreSnapshot clean = rig.cleanRecomputed(e1);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int seed = 1; seed <= 4; seed++) {
            String data = rig.ingestedWithoutRollups(e1);
            try (Faulty faulty = rig.faulty()) {
                faulty.http().use(new FaultyHttp.AtRandom(100 + seed, seed <= 2 ? 0.1 : 0.2, 0));
                try {
                    rig.recompute(faulty.dynamo(), data, Clock.systemUTC());
                    tally.check("seed " + seed + " completed", rig.snapshot(data), clean);
                    outcomes.merge("completed", 1, Integer::sum);
                } catch (RuntimeException loud) {
                    outcomes.merge("failed loudly: " + kind(loud), 1, Integer::sum);
                    rig.recompute(rig.stack().dynamo(), data, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(17)));
                }
            }
            tally.check("seed " + seed + " after a rerun", rig.snapshot(data), clean);
        }
        tally.finish("outcomes " + outcomes);
    }

    // --- 5. DynamoDB restarted mid-run ---

    @Test
    void ingest_shouldEndExact_whenDynamoDbIsRestartedMidRun() throws Exception {
        Tally tally = new Tally("dynamodb-restart");
        Map<String, Integer> outcomes = new TreeMap<>();
        // A stack of its own, its DynamoDB kept on disk so that it survives the restarts.
        try (LocalStack own = LocalStack.start(TestStack.projectRoot(), Optional.of(work.resolve("restart-stack")), 0)) {
            Rig restarting = new Rig(own, "restart-src", work.resolve("restart-work"));
            Versions versions = restarting.versions("logs/restart.jsonl", 30);
            Delivery e2 = versions.e2();
            StoreSnapshot clean = restarting.clean(e2);
            try (Faulty faulty = restarting.faulty()) {
                for (int atWrite : List.of(3, 60, 150)) {
                    for (Duration down : List.of(Duration.ZERO, Duration.ofSeconds(3))) {
                        // given the first version ingested
                        String data = restarting.fresh(true, versions);

                        // when dynalite is killed at the given DynamoDB write of the second version's ingest, and
                        // comes back after `down`; then the event is delivered again
                        RestartAtWrite restart = new RestartAtWrite(own, atWrite, down);
                        faulty.http().use(restart);
                        String outcome;
                        try {
                            restarting.deliver(restarting.ingest(faulty.s3(), faulty.dynamo(), data), e2);
                            outcome = "completed through the restart";
                        } catch (RuntimeException loud) {
                            outcome = "failed loudly: " + kind(loud);
                        }
                        restart.awaitUp();
                        outcomes.merge((restart.happened() ? "" : "(no restart: fewer writes) ") + outcome, 1,
                                Integer::sum);
                        restarting.deliver(restarting.healthy(data), e2);

                        // then
                        tally.check("restart at dynamodb write " + atWrite + " down " + down + ": " + outcome,
                                restarting.snapshot(data), clean);
                    }
                }
            }
        }
        tally.finish("outcomes " + outcomes);
    }

    /** Restarts dynalite at the k-th DynamoDB write it sees: killed before that write is sent. */
    private static final class RestartAtWrite implements FaultyHttp.Plan {
        private final LocalStack stack;
        private final int at;
        private final Duration down;
        private final java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
        private volatile java.util.concurrent.CompletableFuture<Void> up;

        RestartAtWrite(LocalStack stack, int at, Duration down) {
            this.stack = stack;
            this.at = at;
            this.down = down;
        }

        @Override
        public FaultyHttp.Fault choose(FaultyHttp.Call call) {
            if (call.dynamo() && call.write() && writes.incrementAndGet() == at) {
                up = stack.restartDynamo(down);
            }
            return FaultyHttp.Fault.NONE;
        }

        boolean happened() {
            return up != null;
        }

        void awaitUp() throws Exception {
            if (up != null) {
                up.get();
            }
        }
    }

    // --- helpers ---

    /** One S3 event: the object's key, its ETag and the event's sequencer. */
    private record Delivery(String key, String etag, String sequencer) {
    }

    /** Two versions of an upload key and their events. */
    private record Versions(byte[] v1, byte[] v2, Delivery e1, Delivery e2) {
    }

    /** SDK clients whose HTTP calls go through FaultyHttp. */
    private record Faulty(FaultyHttp http, S3Client s3, DynamoDbClient dynamo) implements AutoCloseable {
        @Override
        public void close() {
            s3.close();
            dynamo.close();
        }
    }

    /**
     * A stack with a bucket of uploads: puts uploads, wires the ingest and the recompute as the functions do (a data
     * bucket and a table of the same name per case), delivers events, takes snapshots and clean runs.
     */
    private record Rig(LocalStack stack, String source, Path work) {

        Rig {
            stack.createBucket(source);
            try {
                Files.createDirectories(work.resolve("scratch"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** An upload of two days under the key, from a seed, and its event. */
        Delivery uploaded(String key, long seed) {
            return new Delivery(key, put(key, upload(seed, PER_DAY, false, DAY1, DAY2)), SEQ_1);
        }

        /**
         * Two versions of one upload key, from a seed: the first with records of two days and a bad line a day, the
         * second of the later day and one more, clean. The key holds the second one after this.
         */
        Versions versions(String key, long seed) {
            byte[] v1 = upload(seed, PER_DAY, true, DAY1, DAY2);
            byte[] v2 = upload(seed + 1, PER_DAY, false, DAY2, DAY3);
            return new Versions(v1, v2, new Delivery(key, put(key, v1), SEQ_1), new Delivery(key, put(key, v2), SEQ_2));
        }

        /**
         * A fresh data bucket and table, and the upload's key holding the version to ingest: the first one, or the
         * second after the first was ingested.
         */
        String fresh(boolean replace, Versions versions) {
            String data = fresh(replace ? "replace" : "first");
            put(versions.e1().key(), versions.v1());
            if (replace) {
                deliver(healthy(data), versions.e1());
                put(versions.e1().key(), versions.v2());
            }
            return data;
        }

        /** A fresh data bucket and table of the same name. */
        String fresh(String prefix) {
            String name = prefix + "-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet();
            stack.createBucket(name);
            stack.createTable(name);
            return name;
        }

        Faulty faulty() {
            FaultyHttp http = new FaultyHttp(UrlConnectionHttpClient.builder().build());
            AwsClients aws = new AwsClients(LocalStack.REGION, StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(LocalStack.ACCESS_KEY, LocalStack.SECRET_KEY)), http);
            return new Faulty(http, aws.s3(Optional.of(stack.s3Endpoint())),
                    aws.dynamo(Optional.of(stack.dynamoEndpoint())));
        }

        /** The ingest as the function wires it, writing to the data bucket and table named {@code data}. */
        IngestService ingest(S3Client s3, DynamoDbClient dynamo, String data) {
            DynamoUsageTable table = new DynamoUsageTable(dynamo, data);
            return new IngestService(new S3ObjectStore(s3), table, table, data, work.resolve("scratch"),
                    Clock.systemUTC());
        }

        IngestService healthy(String data) {
            return ingest(stack.s3(), stack.dynamo(), data);
        }

        UploadStatus deliver(IngestService ingest, Delivery d) {
            return ingest.ingest(new IngestService.Upload(source, d.key(), Optional.of(d.etag()),
                    Optional.of(d.sequencer())));
        }

        /** Delivers the events at once, one thread each, and gives their outcomes. */
        List<UploadStatus> deliverAtOnce(String data, List<Delivery> events) throws Exception {
            ExecutorService threads = Executors.newFixedThreadPool(events.size());
            try {
                CyclicBarrier start = new CyclicBarrier(events.size());
                List<Future<UploadStatus>> done = new ArrayList<>();
                for (Delivery event : events) {
                    IngestService ingest = healthy(data);
                    done.add(threads.submit(() -> {
                        start.await();
                        return deliver(ingest, event);
                    }));
                }
                List<UploadStatus> outcomes = new ArrayList<>();
                for (Future<UploadStatus> f : done) {
                    outcomes.add(f.get());
                }
                return outcomes;
            } finally {
                threads.shutdownNow();
            }
        }

        /** The state of a clean run: the deliveries once each, in order, into a fresh table and bucket. */
        StoreSnapshot clean(Delivery... deliveries) {
            String data = fresh("clean");
            IngestService ingest = healthy(data);
            for (Delivery d : deliveries) {
                assertEquals(UploadStatus.State.COMPLETE, deliver(ingest, d).state());
            }
            return snapshot(data);
        }

        /** A fresh table and bucket holding the upload, its rollup items deleted: a recompute has them to write. */
        String ingestedWithoutRollups(Delivery d) {
            String data = fresh("recompute");
            deliver(healthy(data), d);
            List<java.util.function.Supplier<Object>> deletes = new ArrayList<>();
            for (Map<String, AttributeValue> item : stack.dynamo().scanPaginator(b -> b.tableName(data)).items()) {
                if (item.get("pk").s().startsWith("R#")) {
                    deletes.add(() -> stack.dynamo().deleteItem(b -> b.tableName(data)
                            .key(Map.of("pk", item.get("pk"), "sk", item.get("sk")))));
                }
            }
            RollupWrites.run(deletes);
            return data;
        }

        StoreSnapshot cleanRecomputed(Delivery d) {
            String data = ingestedWithoutRollups(d);
            recompute(stack.dynamo(), data, Clock.systemUTC());
            return snapshot(data);
        }

        /**
         * The recompute as the function runs it (rollups and retention; the Parquet compaction is left out: its
         * folders are named by the run), its DynamoDB calls through the given client. DuckDB reads the warehouse
         * through a healthy client: locally it stands in for Athena, whose faults are not these.
         */
        void recompute(DynamoDbClient dynamo, String data, Clock clock) {
            new RecomputeService(new DuckDbQueryEngine(new WarehouseMirror(new S3ObjectStore(stack.s3()), data,
                    work.resolve("mirror-" + data + "-" + System.nanoTime()))), new DynamoUsageTable(dynamo, data),
                    new DynamoRetentionSnapshots(dynamo, data, clock), Optional.empty(),
                    new DynamoRecomputeLease(dynamo, data, clock)).recompute(WINDOW);
        }

        StoreSnapshot snapshot(String data) {
            return StoreSnapshot.take(stack.dynamo(), data, stack.s3(), data);
        }

        String put(String key, byte[] body) {
            return stack.s3().putObject(b -> b.bucket(source).key(key), RequestBody.fromBytes(body)).eTag()
                    .replace("\"", "");
        }
    }

    private static final java.util.concurrent.atomic.AtomicInteger NAMES = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * An upload of demo traffic: {@code perDay} records on each day, from a seed, as JSON Lines; with a bad line a
     * day (quarantined) when asked.
     */
    static byte[] upload(long seed, int perDay, boolean badLines, LocalDate... days) {
        StringBuilder text = new StringBuilder();
        for (LocalDate day : days) {
            try (var in = new GZIPInputStream(new ByteArrayInputStream(DemoLogs.day(day, perDay, seed)))) {
                text.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (badLines) {
                text.append("{\"timestamp\":\"").append(day).append("T10:00:00Z\",\"model\":\"x\",")
                        .append("\"prompt_tokens\":\"many\"}\n");
            }
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** What a failure was, for the summary: the exception's class and that of its root cause. */
    static String kind(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return e.getClass().getSimpleName() + (root == e ? "" : "<-" + root.getClass().getSimpleName());
    }

    /**
     * CPU time of this JVM (the tests, S3Mock) and of the processes it started (dynalite): on a loaded machine the
     * wall time says little, and on a quiet one a test takes about its CPU time over the cores.
     */
    static double cpuSeconds() {
        double total = cpu(ProcessHandle.current());
        for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
            total += cpu(child);
        }
        return total;
    }

    private static double cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().map(d -> d.toMillis() / 1000.0).orElse(0.0);
    }

    /** The cases of one fault class and how they ended; asserts, after all of them, that none differed. */
    private static final class Tally {
        private final String name;
        private final long started = System.nanoTime();
        private final double cpuAtStart = cpuSeconds();
        int cases;
        int lost;
        int doubled;
        int other;
        private final List<String> failures = new ArrayList<>();

        Tally(String name) {
            this.name = name;
        }

        void check(String label, StoreSnapshot state, StoreSnapshot clean) {
            cases++;
            StoreSnapshot.Diff diff = state.against(clean);
            lost += diff.lost().isEmpty() ? 0 : 1;
            doubled += diff.doubled().isEmpty() ? 0 : 1;
            other += diff.other().isEmpty() ? 0 : 1;
            if (!diff.exact()) {
                failures.add(label + ": " + diff);
            }
        }

        void finish(String notes) {
            System.out.println("FAULTS " + name + ": cases=" + cases + " lost=" + lost + " double=" + doubled
                    + " other=" + other + " time=" + (System.nanoTime() - started) / 1_000_000 + "ms"
                    + String.format(" cpu=%.1fs", cpuSeconds() - cpuAtStart)
                    + (notes.isEmpty() ? "" : " " + notes));
            failures.stream().limit(10).forEach(f -> System.out.println("  differs: " + f));
            assertEquals(List.of(), failures, name);
        }
    }
}
