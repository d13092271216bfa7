package dev.tokenscope.local;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Everything the pipeline left in one table and one data bucket, in a form two runs compare by: every DynamoDB
 * item and every object (gzip objects by their text). Only the bookkeeping that legitimately differs between a
 * run with faults and a clean one is dropped or reduced:
 * <ul>
 * <li>rollup items: {@code revision} (bumped by every write to the item: a retraction, a re-application refused by
 * its condition after a retry, a recompute's put); in {@code applied}, an upload id together with its retraction
 * {@code -id} (an upload that was counted and taken back: net zero); {@code shape_*} buckets at zero (a retracted
 * bucket); and an item left with every measure zero and nothing applied (touched only by a retracted upload; a
 * clean run never creates it);</li>
 * <li>upload statuses: {@code started_at}, {@code finished_at}, {@code timings_ms} (clock readings) and
 * {@code rollup_writes} (the writes the last attempt issued, including retractions and those its conditions
 * refused);</li>
 * <li>recent-upload items: one per attempt by design (sk {@code <started at>#<upload id>}, {@code expires_at}
 * from the start): reduced to the newest of each source object, without those clock fields;</li>
 * <li>the retention pointer: {@code published_at} (a clock reading).</li>
 * </ul>
 * Anything else that differs, including an item or object one side lacks, is a difference.
 */
record StoreSnapshot(SortedMap<String, SortedMap<String, String>> items, SortedMap<String, String> objects) {

    private static final Set<String> STATUS_CLOCK = Set.of("started_at", "finished_at", "timings_ms",
            "rollup_writes", "expires_at");

    static StoreSnapshot take(DynamoDbClient dynamo, String table, S3Client s3, String bucket) {
        SortedMap<String, SortedMap<String, String>> items = new TreeMap<>();
        Map<String, String> newestAttempt = new HashMap<>();
        for (Map<String, AttributeValue> item : dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true))
                .items()) {
            String pk = item.get("pk").s();
            String sk = item.get("sk").s();
            if (pk.startsWith("R#")) {
                rollup(item).ifPresent(attributes -> items.put(pk + " " + sk, attributes));
            } else if (pk.startsWith("UL#")) {
                // The newest attempt of each source object stands for them all.
                String source = item.get("source_id").s();
                String key = "UL " + source;
                if (sk.compareTo(newestAttempt.getOrDefault(key, "")) > 0) {
                    newestAttempt.put(key, sk);
                    items.put(key, render(item, STATUS_CLOCK, Set.of("pk", "sk")));
                }
            } else if (sk.equals("STATUS")) {
                items.put(pk + " " + sk, render(item, STATUS_CLOCK, Set.of()));
            } else if (pk.equals("F#rollups")) {
                // The API cache's change counter: it counts writes (a retry writes more), not data.
                continue;
            } else if (sk.equals("LEASE")) {
                // Coordination, not data: an invocation killed while holding an object's lease stays among its
                // holders until the lease runs out (by design: it might still be writing), so a crashed run ends
                // with a lease a clean run does not have. Leases are checked in IngestContinuationTest.
                continue;
            } else if (pk.equals("F#retention")) {
                items.put(pk + " " + sk, render(item, Set.of("published_at"), Set.of()));
            } else {
                items.put(pk + " " + sk, render(item, Set.of(), Set.of()));
            }
        }
        SortedMap<String, String> objects = new TreeMap<>();
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
            byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(object.key())).asByteArray();
            objects.put(object.key(), text(bytes));
        }
        return new StoreSnapshot(items, objects);
    }

    /** A rollup item with its bookkeeping reduced; empty when nothing but retracted uploads ever touched it. */
    private static java.util.Optional<SortedMap<String, String>> rollup(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> kept = new HashMap<>(item);
        kept.remove("revision");
        kept.entrySet().removeIf(e -> e.getKey().startsWith("shape_") && isZero(e.getValue()));
        AttributeValue applied = kept.remove("applied");
        List<String> ids = new ArrayList<>(applied == null ? List.of() : applied.ss());
        Set<String> retracted = ids.stream().filter(id -> id.startsWith("-")).map(id -> id.substring(1))
                .collect(Collectors.toSet());
        ids.removeIf(id -> retracted.contains(id) || (id.startsWith("-") && ids.contains(id.substring(1))));
        boolean allZero = kept.values().stream().allMatch(v -> v.n() == null || isZero(v));
        if (ids.isEmpty() && allZero) {
            return java.util.Optional.empty();
        }
        SortedMap<String, String> attributes = render(kept, Set.of(), Set.of());
        attributes.put("applied", ids.stream().sorted().toList().toString());
        return java.util.Optional.of(attributes);
    }

    private static boolean isZero(AttributeValue v) {
        return v.n() != null && new BigDecimal(v.n()).signum() == 0;
    }

    private static SortedMap<String, String> render(Map<String, AttributeValue> item, Set<String> dropped,
                                                    Set<String> alsoDropped) {
        SortedMap<String, String> result = new TreeMap<>();
        item.forEach((name, value) -> {
            if (!dropped.contains(name) && !alsoDropped.contains(name)) {
                result.put(name, render(value));
            }
        });
        return result;
    }

    private static String render(AttributeValue v) {
        if (v.s() != null) {
            return v.s();
        }
        if (v.n() != null) {
            return new BigDecimal(v.n()).stripTrailingZeros().toPlainString();
        }
        if (v.hasSs()) {
            return v.ss().stream().sorted().toList().toString();
        }
        if (v.hasNs()) {
            return v.ns().stream().map(n -> new BigDecimal(n).stripTrailingZeros()).sorted()
                    .map(BigDecimal::toPlainString).toList().toString();
        }
        if (v.hasL()) {
            return v.l().stream().map(StoreSnapshot::render).toList().toString();
        }
        if (v.hasM()) {
            return new TreeMap<>(v.m().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> render(e.getValue())))).toString();
        }
        return String.valueOf(v.bool() != null ? v.bool() : v.nul());
    }

    private static String text(byte[] bytes) {
        if (bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
            try (var in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("a gzip object that does not read back", e);
            }
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * How this state differs from a clean run's: what the clean run has that this one lacks (lost: an item or
     * object missing, a measure smaller, warehouse lines missing), what this one has beyond it (double: an extra
     * item or object, a measure larger, extra lines), and any other difference.
     */
    Diff against(StoreSnapshot clean) {
        Diff diff = new Diff(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        Set<String> keys = new java.util.TreeSet<>(clean.items.keySet());
        keys.addAll(items.keySet());
        for (String key : keys) {
            SortedMap<String, String> want = clean.items.get(key);
            SortedMap<String, String> got = items.get(key);
            if (got == null) {
                diff.lost().add("item " + key);
            } else if (want == null) {
                diff.doubled().add("item " + key + " " + got);
            } else if (!want.equals(got)) {
                classify(diff, "item " + key, want, got);
            }
        }
        keys = new java.util.TreeSet<>(clean.objects.keySet());
        keys.addAll(objects.keySet());
        for (String key : keys) {
            String want = clean.objects.get(key);
            String got = objects.get(key);
            if (got == null) {
                diff.lost().add("object " + key);
            } else if (want == null) {
                diff.doubled().add("object " + key);
            } else if (!want.equals(got)) {
                List<String> missing = new ArrayList<>(want.lines().toList());
                got.lines().toList().forEach(missing::remove);
                List<String> extra = new ArrayList<>(got.lines().toList());
                want.lines().toList().forEach(extra::remove);
                if (!missing.isEmpty()) {
                    diff.lost().add("object " + key + ": " + missing.size() + " lines missing");
                }
                if (!extra.isEmpty()) {
                    diff.doubled().add("object " + key + ": " + extra.size() + " lines extra");
                }
                if (missing.isEmpty() && extra.isEmpty()) {
                    diff.other().add("object " + key + ": same lines, other order");
                }
            }
        }
        return diff;
    }

    /** A numeric attribute smaller than the clean run's is lost, larger double; anything else is other. */
    private static void classify(Diff diff, String what, SortedMap<String, String> want, SortedMap<String, String> got) {
        boolean less = false;
        boolean more = false;
        boolean otherwise = false;
        Set<String> names = new java.util.TreeSet<>(want.keySet());
        names.addAll(got.keySet());
        for (String name : names) {
            String w = want.get(name);
            String g = got.get(name);
            if (java.util.Objects.equals(w, g)) {
                continue;
            }
            BigDecimal wn = number(w);
            BigDecimal gn = number(g);
            if (wn != null && gn != null && !name.equals("applied")) {
                less |= gn.compareTo(wn) < 0;
                more |= gn.compareTo(wn) > 0;
            } else {
                otherwise = true;
            }
        }
        String detail = what + " want " + want + " got " + got;
        if (less) {
            diff.lost().add(detail);
        }
        if (more) {
            diff.doubled().add(detail);
        }
        if (otherwise && !less && !more) {
            diff.other().add(detail);
        }
    }

    private static BigDecimal number(String s) {
        if (s == null) {
            return BigDecimal.ZERO;
        }
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The differences from a clean run, as descriptions. */
    record Diff(List<String> lost, List<String> doubled, List<String> other) {
        boolean exact() {
            return lost.isEmpty() && doubled.isEmpty() && other.isEmpty();
        }

        @Override
        public String toString() {
            return "lost " + first(lost) + "; double " + first(doubled) + "; other " + first(other);
        }

        private static String first(List<String> list) {
            return list.size() + (list.isEmpty() ? "" : " e.g. " + list.subList(0, Math.min(3, list.size())));
        }
    }
}
