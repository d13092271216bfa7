package dev.tokenscope.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;

class DynamoUsageTableTest {

    /**
     * Regression: the status item was written before its copy in the list of recent uploads, so a function that
     * died between the two left the list saying PROCESSING for good: the event's retry found the status COMPLETE
     * and stopped early, never writing the copy (FaultsIT, a crash at each write).
     */
    @Test
    void save_shouldWriteTheStatusItemLast_whenItSavesAStatusAndItsRecentCopy() {
        // given
        List<String> written = new ArrayList<>();
        DynamoUsageTable table = new DynamoUsageTable(recording(written), "usage");
        UploadStatus status = new UploadStatus("src1", "bucket", "logs/a.jsonl", "e1", "up1",
                UploadStatus.State.COMPLETE, 3, 3, 0, List.of(), Optional.empty(), 10, 10,
                Instant.parse("2026-03-02T10:00:00Z"), Optional.of(Instant.parse("2026-03-02T10:00:05Z")), Map.of(),
                "canonical");

        // when
        table.save(status);

        // then
        assertEquals(List.of("UL#2026-03 2026-03-02T10:00:00Z#up1", "U#src1 STATUS"), written);
    }

    /** A DynamoDB client that records the key of every PutItem. */
    private static DynamoDbClient recording(List<String> keys) {
        return new DynamoDbClient() {
            @Override
            public PutItemResponse putItem(PutItemRequest request) {
                keys.add(request.item().get("pk").s() + " " + request.item().get("sk").s());
                return PutItemResponse.builder().build();
            }

            @Override
            public String serviceName() {
                return "dynamodb";
            }

            @Override
            public void close() {
            }
        };
    }
}
