package dev.tokenscope.store;

import static dev.tokenscope.store.Attributes.n;
import static dev.tokenscope.store.Attributes.s;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The recompute lease as one item of the table (pk {@code L#recompute}, sk {@code lease}): taken with a put
 * conditional on no holder or a holder whose lease ran out, given back with a delete conditional on the token.
 * No transactions: the condition on the one item is the whole protocol.
 */
public final class DynamoRecomputeLease implements RecomputeLease {

    private static final Map<String, AttributeValue> KEY = Map.of(
            "pk", AttributeValue.builder().s("L#recompute").build(),
            "sk", AttributeValue.builder().s("lease").build());

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoRecomputeLease(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public Optional<Held> acquire(Duration length) {
        Instant now = clock.instant();
        Held held = new Held(UUID.randomUUID().toString(),
                now.plus(length).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        Map<String, AttributeValue> item = new java.util.HashMap<>(KEY);
        item.put("token", s(held.token()));
        // Milliseconds: a lease that ran out a moment ago must be free, whatever the second.
        item.put("until_ms", n(held.until().toEpochMilli()));
        item.put("until", s(held.until().toString()));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(pk) OR until_ms < :now")
                    .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli()))));
            return Optional.of(held);
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    @Override
    public void release(Held lease) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(KEY)
                    .conditionExpression("#token = :token")
                    .expressionAttributeNames(Map.of("#token", "token"))
                    .expressionAttributeValues(Map.of(":token", s(lease.token()))));
        } catch (ConditionalCheckFailedException e) {
            // Our lease ran out and another run took it: it is that run's to give back.
        }
    }

    @Override
    public Optional<Instant> heldUntil() {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(KEY).consistentRead(true))
                .item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        Instant until = Instant.ofEpochMilli(Long.parseLong(item.get("until_ms").n()));
        return until.isAfter(clock.instant()) ? Optional.of(until) : Optional.empty();
    }
}
