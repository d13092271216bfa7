package dev.tokenscope.store;

import static dev.tokenscope.store.Attributes.longOf;
import static dev.tokenscope.store.Attributes.n;
import static dev.tokenscope.store.Attributes.s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenscope.figures.RetentionCohorts;
import dev.tokenscope.figures.RetentionCohorts.Cohort;
import dev.tokenscope.figures.RetentionCohorts.IdentityBasis;
import dev.tokenscope.figures.RetentionCohorts.ModelCohorts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Retention snapshots in the one DynamoDB table, published without transactions (docs/storage.md):
 * <ul>
 *   <li>a snapshot is one item per model, pk {@code F#retention#<snapshot>}, sk the model, the cohorts as JSON;
 *   the snapshot id is the hash of its content, so the same cohorts are the same snapshot;</li>
 *   <li>the pointer, pk {@code F#retention}, sk {@code current}, names the current snapshot and the one before it.
 *   It is written last and conditionally on the snapshot it replaces: the flip is that one write;</li>
 *   <li>the snapshot before the previous one is deleted after the flip. The previous one is kept, so a reader
 *   that read the pointer just before the flip still finds its items. A publication that crashes before its flip
 *   leaves its items; the next run with the same cohorts rewrites and flips to them (same id). No TTL: a
 *   current snapshot must not expire while the cohorts stay the same.</li>
 * </ul>
 * Readers query the snapshot with consistent reads, so every item written before the flip is seen. A snapshot's
 * items never change once a pointer names it (its id is the hash of its content), so a reader keeps the last one
 * it read and, while the pointer still names it, reads only the pointer (as above, no read spans two flips).
 */
public final class DynamoRetentionSnapshots implements RetentionStore {

    static final String POINTER_PK = "F#retention";
    static final String POINTER_SK = "current";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    /** The models of the snapshot read last, by its id. */
    private volatile Snapshot lastRead;

    private record Snapshot(String id, List<ModelCohorts> models) {
    }

    public DynamoRetentionSnapshots(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public Optional<RetentionCohorts> current() {
        Optional<Pointer> pointer = pointer();
        if (pointer.isEmpty()) {
            return Optional.empty();
        }
        Snapshot snapshot = lastRead;
        if (snapshot == null || !snapshot.id().equals(pointer.get().snapshot())) {
            snapshot = read(pointer.get().snapshot());
            lastRead = snapshot;
        }
        return Optional.of(new RetentionCohorts(pointer.get().through(), pointer.get().identity(), snapshot.models()));
    }

    private Snapshot read(String id) {
        List<ModelCohorts> models = new ArrayList<>();
        QueryRequest request = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(snapshotPk(id))))
                .build();
        for (QueryResponse page : dynamo.queryPaginator(request)) {
            for (Map<String, AttributeValue> item : page.items()) {
                models.add(modelOf(item.get("sk").s(), item.get("body").s()));
            }
        }
        return new Snapshot(id, List.copyOf(models));
    }

    @Override
    public Publication publish(RetentionCohorts cohorts) {
        String snapshot = snapshotId(cohorts);
        Optional<Pointer> seen = pointer();
        if (seen.isPresent() && seen.get().snapshot().equals(snapshot)) {
            return Publication.UNCHANGED;
        }
        for (ModelCohorts model : cohorts.models()) {
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("pk", s(snapshotPk(snapshot)));
            item.put("sk", s(model.model()));
            item.put("body", s(bodyOf(model)));
            dynamo.putItem(b -> b.tableName(table).item(item));
        }
        if (!flip(cohorts, snapshot, seen)) {
            // Another run's snapshot is current; ours goes unless the pointer names it (the same cohorts).
            Optional<Pointer> now = pointer();
            boolean named = now.isPresent() && (now.get().snapshot().equals(snapshot)
                    || now.get().previous().filter(snapshot::equals).isPresent());
            if (!named) {
                deleteSnapshot(snapshot);
            }
            return Publication.SUPERSEDED;
        }
        // The one before the previous: no reader can still be on it (see the class comment).
        seen.flatMap(Pointer::previous)
                .filter(old -> !old.equals(snapshot) && !old.equals(seen.get().snapshot()))
                .ifPresent(this::deleteSnapshot);
        return Publication.PUBLISHED;
    }

    private boolean flip(RetentionCohorts cohorts, String snapshot, Optional<Pointer> seen) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(POINTER_PK));
        item.put("sk", s(POINTER_SK));
        item.put("snapshot", s(snapshot));
        seen.ifPresent(p -> item.put("previous", s(p.snapshot())));
        item.put("through", s(cohorts.through().toString()));
        item.put("user_ids", n(cohorts.identity().userIds()));
        item.put("account_ids", n(cohorts.identity().accountIds()));
        item.put("requests_without_id", n(cohorts.identity().requestsWithoutId()));
        item.put("models", n(cohorts.models().size()));
        item.put("published_at", s(clock.instant().toString()));
        try {
            if (seen.isPresent()) {
                // SNAPSHOT is a DynamoDB reserved word: named through a placeholder.
                dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("#snapshot = :seen")
                        .expressionAttributeNames(Map.of("#snapshot", "snapshot"))
                        .expressionAttributeValues(Map.of(":seen", s(seen.get().snapshot()))));
            } else {
                dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
            }
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private void deleteSnapshot(String snapshot) {
        QueryRequest request = QueryRequest.builder().tableName(table)
                .keyConditionExpression("pk = :pk")
                .projectionExpression("pk, sk")
                .expressionAttributeValues(Map.of(":pk", s(snapshotPk(snapshot))))
                .build();
        for (QueryResponse page : dynamo.queryPaginator(request)) {
            for (Map<String, AttributeValue> item : page.items()) {
                dynamo.deleteItem(b -> b.tableName(table).key(Map.of("pk", item.get("pk"), "sk", item.get("sk"))));
            }
        }
    }

    private record Pointer(String snapshot, Optional<String> previous, LocalDate through, IdentityBasis identity) {
    }

    private Optional<Pointer> pointer() {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("pk", s(POINTER_PK), "sk", s(POINTER_SK)))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Pointer(item.get("snapshot").s(),
                Optional.ofNullable(item.get("previous")).map(AttributeValue::s),
                LocalDate.parse(item.get("through").s()),
                new IdentityBasis(longOf(item, "user_ids"), longOf(item, "account_ids"),
                        longOf(item, "requests_without_id"))));
    }

    static String snapshotPk(String snapshot) {
        return POINTER_PK + "#" + snapshot;
    }

    /** The hash of everything a reader gets: equal cohorts, equal id. */
    static String snapshotId(RetentionCohorts cohorts) {
        StringBuilder content = new StringBuilder(cohorts.through().toString())
                .append('\n').append(cohorts.identity().userIds())
                .append('\n').append(cohorts.identity().accountIds())
                .append('\n').append(cohorts.identity().requestsWithoutId());
        for (ModelCohorts model : cohorts.models()) {
            content.append('\n').append(model.model()).append('\t').append(bodyOf(model));
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(content.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    static String bodyOf(ModelCohorts model) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode cohorts = body.putArray("cohorts");
        for (Cohort cohort : model.cohorts()) {
            ObjectNode node = cohorts.addObject();
            node.put("month", cohort.month().toString());
            node.put("users", cohort.users());
            ArrayNode active = node.putArray("active");
            cohort.active().forEach(active::add);
            node.put("boomerang", cohort.boomerang());
        }
        return body.toString();
    }

    static ModelCohorts modelOf(String model, String body) {
        try {
            List<Cohort> cohorts = new ArrayList<>();
            for (JsonNode node : JSON.readTree(body).path("cohorts")) {
                List<Long> active = new ArrayList<>();
                node.path("active").forEach(a -> active.add(a.asLong()));
                cohorts.add(new Cohort(YearMonth.parse(node.path("month").asText()), node.path("users").asLong(),
                        active, node.path("boomerang").asBoolean()));
            }
            return new ModelCohorts(model, cohorts);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("retention snapshot item for " + model + " is not valid JSON", e);
        }
    }
}
