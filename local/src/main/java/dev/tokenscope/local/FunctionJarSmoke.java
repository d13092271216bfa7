package dev.tokenscope.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import dev.tokenscope.functions.IngestHandler;
import dev.tokenscope.functions.RecomputeHandler;
import dev.tokenscope.functions.SummaryApiHandler;
import java.util.List;
import java.util.Map;

/**
 * Runs one handler the way Lambda does, in a JVM whose class path is one function jar and this class only:
 * built from the environment by its no-arg constructor, then given one event. Proves that a jar holds
 * everything its handler loads. Prints one line: the handler's answer and the milliseconds from JVM start.
 *
 * <p>Only JDK, Lambda event and handler types here: nothing else is on that class path.
 */
public final class FunctionJarSmoke {

    public static void main(String[] args) {
        long started = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        String answer = switch (args[0]) {
            case "ingest" -> new IngestHandler().handleRequest(s3Put(args[1], args[2], args[3]), null);
            case "api" -> {
                APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
                event.setRawPath("/v1/usage");
                event.setQueryStringParameters(Map.of("from", args[1], "to", args[2], "by", "category"));
                event.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("GET").build())
                        .build());
                var response = new SummaryApiHandler().handleRequest(event, null);
                yield response.getStatusCode() + " " + response.getBody();
            }
            // Athena has no local stand-in: building the handler loads its whole wiring, which is what a
            // missing class would break.
            case "recompute" -> new RecomputeHandler().getClass().getSimpleName() + " built";
            default -> throw new IllegalArgumentException("ingest | api | recompute, not " + args[0]);
        };
        System.out.println(answer.replace('\n', ' ') + " ms=" + (System.currentTimeMillis() - started));
    }

    private static S3Event s3Put(String bucket, String key, String etag) {
        var object = new S3EventNotification.S3ObjectEntity(key, 1L, etag, null, "0001");
        var s3 = new S3EventNotification.S3Entity("tokenscope", new S3EventNotification.S3BucketEntity(bucket,
                null, "arn:aws:s3:::" + bucket), object, "1.0");
        var record = new S3EventNotification.S3EventNotificationRecord("us-east-1", "ObjectCreated:Put",
                "aws:s3", "2026-11-05T00:00:00.000Z", "2.1", null, null, s3, null);
        return new S3Event(List.of(record));
    }
}
