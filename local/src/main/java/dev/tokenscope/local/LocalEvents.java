package dev.tokenscope.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the events AWS would deliver, so the local runner calls the very same handlers: an S3 ObjectCreated
 * notification for an upload, an HTTP API (payload 2.0) event for a request, as `sam local` does.
 */
final class LocalEvents {

    private LocalEvents() {
    }

    static S3Event objectCreated(String bucket, String key, long size, String etag, String sequencer) {
        // S3 URL-encodes keys in notifications (spaces as '+'); the handler decodes them.
        String encoded = URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
        var object = new S3EventNotification.S3ObjectEntity(encoded, size, etag, null, sequencer);
        var bucketEntity = new S3EventNotification.S3BucketEntity(bucket,
                new S3EventNotification.UserIdentityEntity("local"), "arn:aws:s3:::" + bucket);
        var entity = new S3EventNotification.S3Entity("local-upload-watcher", bucketEntity, object, "1.0");
        var record = new S3EventNotification.S3EventNotificationRecord(LocalStack.REGION.id(),
                "ObjectCreated:Put", "aws:s3", Instant.now().toString(), "2.1",
                new S3EventNotification.RequestParametersEntity("127.0.0.1"),
                new S3EventNotification.ResponseElementsEntity("local", "local"), entity,
                new S3EventNotification.UserIdentityEntity("local"));
        return new S3Event(List.of(record));
    }

    static APIGatewayV2HTTPEvent httpRequest(String method, String rawPath, String rawQuery,
                                             Map<String, String> headers) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                // API Gateway joins repeated parameters with commas.
                query.merge(name, value, (a, b) -> a + "," + b);
            }
        }
        var http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod(method).withPath(rawPath).withProtocol("HTTP/1.1").withSourceIp("127.0.0.1").build();
        var context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withHttp(http).withRouteKey("ANY /{proxy+}").withStage("$default")
                .withTimeEpoch(System.currentTimeMillis()).build();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("ANY /{proxy+}")
                .withRawPath(rawPath)
                .withRawQueryString(rawQuery == null ? "" : rawQuery)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withHeaders(headers)
                .withRequestContext(context)
                .build();
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // A malformed escape reaches the handler as it was typed; it answers 400 if it matters.
            return text;
        }
    }
}
