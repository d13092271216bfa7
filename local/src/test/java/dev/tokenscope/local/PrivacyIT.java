package dev.tokenscope.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.ingest.Ids;
import dev.tokenscope.store.UploadStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * With default settings no prompt text reaches storage: after ingesting prompts that carry a unique marker (in a
 * good line and in a quarantined one), every object the product wrote and every DynamoDB item is searched for it.
 */
class PrivacyIT {

    @TempDir
    Path work;

    @Test
    void ingest_shouldStoreNoPromptText_whenPromptsAreInTheLogs() throws IOException {
        // given
        LocalStack stack = TestStack.get();
        String name = TestStack.freshName("privacy");
        LocalFunctions functions = LocalFunctions.wire(stack, name, name, work, 7, Clock.systemUTC());
        String marker = "marker-" + UUID.randomUUID();
        String log = "{\"timestamp\":\"2026-11-02T10:00:00Z\",\"model\":\"openai/gpt-4o-mini\",\"prompt_tokens\":12,"
                + "\"prompt\":\"Please summarise " + marker + " for the board\","
                + "\"system_prompt\":\"You brief the board of " + marker + ".\"}\n"
                + "{\"timestamp\":\"2026-11-02T10:01:00Z\",\"model\":\"openai/gpt-4o-mini\",\"prompt_tokens\":\"many\","
                + "\"prompt\":\"Draft a note about " + marker + "\"}\n";
        String key = "logs/privacy/prompts.jsonl";
        String etag = stack.s3().putObject(b -> b.bucket(name).key(key),
                RequestBody.fromString(log, StandardCharsets.UTF_8)).eTag().replace("\"", "");

        // when
        functions.ingest().handleRequest(LocalEvents.objectCreated(name, key, log.length(), etag, "0001"), null);

        // then: the upload counted one record and quarantined one line...
        UploadStatus status = functions.table().status(Ids.sourceId(name, key)).orElseThrow();
        assertEquals(1, status.recordsKept());
        assertEquals(1, status.recordsQuarantined());
        // ...and nothing tokenscope wrote holds the marker: objects (gunzipped when gzip) and items
        int objects = 0;
        for (S3Object object : stack.s3().listObjectsV2Paginator(b -> b.bucket(name)).contents()) {
            if (object.key().equals(key)) {
                continue;
            }
            byte[] bytes = stack.s3().getObjectAsBytes(b -> b.bucket(name).key(object.key())).asByteArray();
            assertFalse(text(bytes).contains(marker), "prompt text in s3://" + name + "/" + object.key());
            objects++;
        }
        assertTrue(objects >= 3, "warehouse, quarantine and manifest objects were searched: " + objects);
        int items = 0;
        for (Map<String, AttributeValue> item : stack.dynamo().scanPaginator(b -> b.tableName(name)).items()) {
            assertFalse(item.toString().contains(marker), "prompt text in DynamoDB item " + item.get("pk"));
            items++;
        }
        assertTrue(items >= 2, "rollup and status items were searched: " + items);
    }

    private static String text(byte[] bytes) throws IOException {
        if (bytes.length > 1 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
