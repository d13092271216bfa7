package dev.tokenscope.store;

import static dev.tokenscope.store.Attributes.longOf;
import static dev.tokenscope.store.Attributes.n;
import static dev.tokenscope.store.Attributes.s;

import dev.tokenscope.aggregate.RollupKey;
import dev.tokenscope.aggregate.Totals;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The one DynamoDB table: rollups and upload statuses, both keyed by pk/sk (docs/storage.md has the design).
 *
 * <p>Rollup items: pk {@code R#<dimension>#<year>}, sk {@code <yyyy-mm-dd>#<value>}, so a year of one dimension
 * is one partition read with a BETWEEN on sk, and any range up to a year is at most two queries.
 * Upload statuses: pk {@code U#<sourceId>}, sk {@code STATUS}, and a copy per month for the list of recent uploads;
 * beside the status, sk {@code LEASE}: the lease under which one ingest at a time commits an upload of the object.
 */
public final class DynamoUsageTable implements RollupStore, UploadStatusStore {

    private static final String[] MEASURES = {
        "requests", "prompt_tokens", "completion_tokens", "reasoning_tokens", "cache_read_tokens",
        "cache_write_tokens", "cost_usd", "priced_requests", "tool_call_requests", "priced_tokens",
        "long_prompt_requests"};

    /** Request-shape buckets are numeric attributes of their own (shape_p17, shape_c5), so ADD merges them. */
    private static final String SHAPE_PREFIX = "shape_";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoUsageTable(DynamoDbClient dynamo, String table) {
        this(dynamo, table, Clock.systemUTC());
    }

    /** With the clock that says which months are recent. */
    public DynamoUsageTable(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    static String rollupPk(String dimension, int year) {
        return "R#" + dimension + "#" + year;
    }

    static String rollupSk(LocalDate day, String value) {
        return day + "#" + value;
    }

    private static Map<String, AttributeValue> rollupKey(RollupKey key) {
        return Map.of(
                "pk", s(rollupPk(key.dimension(), key.day().getYear())),
                "sk", s(rollupSk(key.day(), key.value())));
    }

    @Override
    public boolean applyDelta(RollupKey key, Totals delta, String uploadId) {
        return conditionalAdd(key, delta, uploadId,
                "attribute_not_exists(applied) OR NOT contains(applied, :id)", uploadId);
    }

    @Override
    public boolean retractDelta(RollupKey key, Totals delta, String uploadId) {
        String retraction = "-" + uploadId;
        return conditionalAdd(key, delta.negate(), retraction,
                "contains(applied, :applied) AND NOT contains(applied, :id)", uploadId);
    }

    /**
     * One UpdateItem that adds the measures, records the marker in the item's applied set and bumps its revision,
     * under a condition on that set: the item protects itself against a second application.
     */
    private boolean conditionalAdd(RollupKey key, Totals delta, String marker, String condition, String uploadId) {
        Map<String, AttributeValue> values = new HashMap<>(measureValues(delta));
        values.put(":marker", AttributeValue.builder().ss(marker).build());
        values.put(":id", s(marker));
        if (condition.contains(":applied")) {
            values.put(":applied", s(uploadId));
        }
        values.put(":one", n(1));
        values.put(":dim", s(key.dimension()));
        values.put(":day", s(key.day().toString()));
        values.put(":value", s(key.value()));
        StringBuilder add = new StringBuilder("ADD ");
        for (String measure : MEASURES) {
            add.append(measure).append(" :").append(measure).append(", ");
        }
        for (String bucket : delta.shape().keySet()) {
            add.append(SHAPE_PREFIX).append(bucket).append(" :").append(SHAPE_PREFIX).append(bucket).append(", ");
        }
        add.append("applied :marker, revision :one SET dim = :dim, #day = :day, #value = :value");
        try {
            dynamo.updateItem(b -> b.tableName(table).key(rollupKey(key))
                    .updateExpression(add.toString())
                    .conditionExpression(condition)
                    .expressionAttributeNames(Map.of("#day", "day", "#value", "value"))
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public List<StoredRollup> query(String dimension, LocalDate from, LocalDate to) {
        List<StoredRollup> result = new ArrayList<>();
        for (int year = from.getYear(); year <= to.getYear(); year++) {
            LocalDate start = year == from.getYear() ? from : LocalDate.of(year, 1, 1);
            LocalDate end = year == to.getYear() ? to : LocalDate.of(year, 12, 31);
            QueryRequest request = QueryRequest.builder().tableName(table)
                    .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                    .expressionAttributeValues(Map.of(
                            ":pk", s(rollupPk(dimension, year)),
                            ":from", s(start + "#"),
                            // '$' sorts right after '#': every value of the last day is below it.
                            ":to", s(end + "$")))
                    .build();
            for (QueryResponse page : dynamo.queryPaginator(request)) {
                for (Map<String, AttributeValue> item : page.items()) {
                    result.add(toRollup(dimension, item));
                }
            }
        }
        return result;
    }

    private static StoredRollup toRollup(String dimension, Map<String, AttributeValue> item) {
        String sk = item.get("sk").s();
        int hash = sk.indexOf('#');
        RollupKey key = new RollupKey(dimension, LocalDate.parse(sk.substring(0, hash)), sk.substring(hash + 1));
        Totals totals = new Totals(
                longOf(item, "requests"), longOf(item, "prompt_tokens"), longOf(item, "completion_tokens"),
                longOf(item, "reasoning_tokens"), longOf(item, "cache_read_tokens"),
                longOf(item, "cache_write_tokens"), decimalOf(item, "cost_usd"), longOf(item, "priced_requests"),
                longOf(item, "tool_call_requests"), longOf(item, "priced_tokens"),
                longOf(item, "long_prompt_requests"), shapeOf(item));
        AttributeValue applied = item.get("applied");
        Set<String> ids = applied == null || !applied.hasSs() ? Set.of() : Set.copyOf(applied.ss());
        return new StoredRollup(key, totals, ids, longOf(item, "revision"));
    }

    @Override
    public boolean replace(RollupKey key, Totals totals, Set<String> uploadIds, Optional<Long> seenRevision) {
        Map<String, AttributeValue> item = new HashMap<>(rollupKey(key));
        measureValues(totals).forEach((name, value) -> item.put(name.substring(1), value));
        item.put("dim", s(key.dimension()));
        item.put("day", s(key.day().toString()));
        item.put("value", s(key.value()));
        if (!uploadIds.isEmpty()) {
            item.put("applied", AttributeValue.builder().ss(uploadIds).build());
        }
        item.put("revision", n(seenRevision.orElse(0L) + 1));
        try {
            if (seenRevision.isPresent()) {
                dynamo.putItem(b -> b.tableName(table).item(item)
                        .conditionExpression("revision = :seen")
                        .expressionAttributeValues(Map.of(":seen", n(seenRevision.get()))));
            } else {
                dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
            }
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean delete(RollupKey key, long seenRevision) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(rollupKey(key))
                    .conditionExpression("revision = :seen")
                    .expressionAttributeValues(Map.of(":seen", n(seenRevision))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<UploadStatus> status(String sourceId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("pk", s("U#" + sourceId), "sk", s("STATUS")))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(statusOf(sourceId, item));
    }

    /**
     * Saves the status, and a copy in the month's list of uploads (pk {@code UL#<yyyy-mm>}, sk
     * {@code <started at>#<upload id>}, expiring after {@link #RECENT_DAYS} days), so that the recent uploads are
     * one query, newest first. The copy is written first and the status item last: a function that dies between
     * the two leaves the status as it was, so the event's retry (which stops early only at a COMPLETE status) does
     * the upload again and writes both; the other order could leave the list saying PROCESSING for good.
     */
    @Override
    public void save(UploadStatus status) {
        Map<String, AttributeValue> listed = statusItem(status);
        listed.put("pk", s(recentPk(YearMonth.from(status.startedAt().atZone(ZoneOffset.UTC)))));
        listed.put("sk", s(status.startedAt() + "#" + status.uploadId()));
        listed.put("source_id", s(status.sourceId()));
        listed.put("expires_at", n(status.startedAt().plus(Duration.ofDays(RECENT_DAYS)).getEpochSecond()));
        dynamo.putItem(b -> b.tableName(table).item(listed));
        Map<String, AttributeValue> item = statusItem(status);
        item.put("pk", s("U#" + status.sourceId()));
        item.put("sk", s("STATUS"));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    static final int RECENT_DAYS = 90;

    /** The change counter (pk {@code F#rollups}, sk {@code changes}): one item, read by every cached API answer. */
    private static final Map<String, AttributeValue> CHANGES_KEY = Map.of(
            "pk", AttributeValue.builder().s("F#rollups").build(),
            "sk", AttributeValue.builder().s("changes").build());

    @Override
    public long changes() {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(CHANGES_KEY)
                .consistentRead(true)).item();
        return item == null || !item.containsKey("count") ? 0 : Long.parseLong(item.get("count").n());
    }

    @Override
    public void changed() {
        dynamo.updateItem(b -> b.tableName(table).key(CHANGES_KEY)
                .updateExpression("ADD #count :one")
                .expressionAttributeNames(Map.of("#count", "count"))
                .expressionAttributeValues(Map.of(":one", n(1))));
    }

    /**
     * The lease is one item beside the status (pk {@code U#<sourceId>}, sk {@code LEASE}): the holding upload's
     * token and the set of its invocations holding it. Taken with a put conditional on no lease or one that ran
     * out (its holders are dead: each renews it within its length); else joined and renewed with an update
     * conditional on the token. The put comes first: most uploads find no lease, and take it in one write. No
     * transactions.
     */
    @Override
    public boolean claimSource(String sourceId, String token, String holder, Instant now, Instant until) {
        // Milliseconds: a lease that ran out a moment ago must be free, whatever the second.
        Map<String, AttributeValue> times = Map.of(":until_ms", n(until.toEpochMilli()), ":until", s(until.toString()),
                ":expires", n(until.plus(Duration.ofDays(1)).getEpochSecond()));
        Map<String, AttributeValue> item = new HashMap<>(leaseKey(sourceId));
        item.put("token", s(token));
        item.put("holders", AttributeValue.builder().ss(holder).build());
        item.put("until_ms", times.get(":until_ms"));
        item.put("until", times.get(":until"));
        item.put("expires_at", times.get(":expires"));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(pk) OR until_ms < :now")
                    .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            // Held and live: joined below if it is this upload's. (Gone meanwhile: refused, and the caller's next
            // try takes it.)
        }
        Map<String, AttributeValue> values = new HashMap<>(times);
        values.put(":token", s(token));
        values.put(":holder", AttributeValue.builder().ss(holder).build());
        try {
            dynamo.updateItem(b -> b.tableName(table).key(leaseKey(sourceId))
                    .updateExpression("SET until_ms = :until_ms, #until = :until, expires_at = :expires "
                            + "ADD holders :holder")
                    .conditionExpression("#token = :token")
                    .expressionAttributeNames(Map.of("#token", "token", "#until", "until"))
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Leaves the holders, then deletes the lease if none is left: while another invocation of the same upload
     * still holds it, another version must not take it. (DynamoDB removes a set that DELETE leaves empty.)
     */
    @Override
    public void releaseSource(String sourceId, String token, String holder) {
        Map<String, String> names = Map.of("#token", "token");
        try {
            dynamo.updateItem(b -> b.tableName(table).key(leaseKey(sourceId))
                    .updateExpression("DELETE holders :holder")
                    .conditionExpression("#token = :token")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(Map.of(":token", s(token),
                            ":holder", AttributeValue.builder().ss(holder).build())));
            dynamo.deleteItem(b -> b.tableName(table).key(leaseKey(sourceId))
                    .conditionExpression("#token = :token AND attribute_not_exists(holders)")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(Map.of(":token", s(token))));
        } catch (ConditionalCheckFailedException e) {
            // Another upload's now (ours ran out), or another invocation of ours still holds it.
        }
    }

    private static Map<String, AttributeValue> leaseKey(String sourceId) {
        return Map.of("pk", s("U#" + sourceId), "sk", s("LEASE"));
    }

    static String recentPk(YearMonth month) {
        return "UL#" + month;
    }

    @Override
    public List<UploadStatus> recent(int limit) {
        Map<String, UploadStatus> latest = new LinkedHashMap<>();
        YearMonth month = YearMonth.now(clock);
        for (YearMonth m : List.of(month, month.minusMonths(1))) {
            QueryRequest request = QueryRequest.builder().tableName(table)
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", s(recentPk(m))))
                    .scanIndexForward(false)
                    .build();
            for (QueryResponse page : dynamo.queryPaginator(request)) {
                for (Map<String, AttributeValue> item : page.items()) {
                    UploadStatus status = statusOf(item.get("source_id").s(), item);
                    // Newest first: the first entry seen of an upload is its latest attempt.
                    latest.putIfAbsent(status.uploadId(), status);
                    if (latest.size() >= limit) {
                        return List.copyOf(latest.values());
                    }
                }
            }
        }
        return List.copyOf(latest.values());
    }

    private static UploadStatus statusOf(String sourceId, Map<String, AttributeValue> item) {
        Map<String, Long> timings = new LinkedHashMap<>();
        if (item.containsKey("timings_ms")) {
            item.get("timings_ms").m().forEach((k, v) -> timings.put(k, Long.parseLong(v.n())));
        }
        return new UploadStatus(
                sourceId,
                item.get("bucket").s(),
                item.get("key").s(),
                item.get("etag").s(),
                item.get("upload_id").s(),
                UploadStatus.State.valueOf(item.get("state").s()),
                longOf(item, "records_read"),
                longOf(item, "records_kept"),
                longOf(item, "records_quarantined"),
                item.containsKey("errors") ? item.get("errors").l().stream().map(AttributeValue::s).toList() : List.of(),
                Optional.ofNullable(item.get("quarantine_key")).map(AttributeValue::s),
                longOf(item, "rollup_items"),
                longOf(item, "rollup_writes"),
                Instant.parse(item.get("started_at").s()),
                Optional.ofNullable(item.get("finished_at")).map(v -> Instant.parse(v.s())),
                timings,
                item.containsKey("format") ? item.get("format").s() : "");
    }

    private static Map<String, AttributeValue> statusItem(UploadStatus status) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("bucket", s(status.bucket()));
        item.put("key", s(status.key()));
        item.put("etag", s(status.etag()));
        item.put("upload_id", s(status.uploadId()));
        item.put("state", s(status.state().name()));
        item.put("records_read", n(status.recordsRead()));
        item.put("records_kept", n(status.recordsKept()));
        item.put("records_quarantined", n(status.recordsQuarantined()));
        if (!status.errors().isEmpty()) {
            item.put("errors", AttributeValue.builder().l(status.errors().stream().map(Attributes::s).toList()).build());
        }
        status.quarantineKey().ifPresent(k -> item.put("quarantine_key", s(k)));
        item.put("rollup_items", n(status.rollupItems()));
        item.put("rollup_writes", n(status.rollupWrites()));
        item.put("started_at", s(status.startedAt().toString()));
        status.finishedAt().ifPresent(t -> item.put("finished_at", s(t.toString())));
        Map<String, AttributeValue> timings = new HashMap<>();
        status.timingsMs().forEach((k, v) -> timings.put(k, n(v)));
        item.put("timings_ms", AttributeValue.builder().m(timings).build());
        if (!status.format().isEmpty()) {
            item.put("format", s(status.format()));
        }
        return item;
    }

    private static Map<String, AttributeValue> measureValues(Totals t) {
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        values.put(":requests", n(t.requests()));
        values.put(":prompt_tokens", n(t.promptTokens()));
        values.put(":completion_tokens", n(t.completionTokens()));
        values.put(":reasoning_tokens", n(t.reasoningTokens()));
        values.put(":cache_read_tokens", n(t.cacheReadTokens()));
        values.put(":cache_write_tokens", n(t.cacheWriteTokens()));
        values.put(":cost_usd", AttributeValue.builder().n(t.costUsd().toPlainString()).build());
        values.put(":priced_requests", n(t.pricedRequests()));
        values.put(":tool_call_requests", n(t.toolCallRequests()));
        values.put(":priced_tokens", n(t.pricedTokens()));
        values.put(":long_prompt_requests", n(t.longPromptRequests()));
        t.shape().forEach((bucket, requests) -> values.put(":" + SHAPE_PREFIX + bucket, n(requests)));
        return values;
    }

    private static java.util.SortedMap<String, Long> shapeOf(Map<String, AttributeValue> item) {
        java.util.SortedMap<String, Long> shape = new java.util.TreeMap<>();
        item.forEach((name, value) -> {
            if (name.startsWith(SHAPE_PREFIX) && value.n() != null) {
                shape.put(name.substring(SHAPE_PREFIX.length()), Long.parseLong(value.n()));
            }
        });
        return shape;
    }

    private static BigDecimal decimalOf(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? BigDecimal.ZERO : new BigDecimal(v.n());
    }
}
