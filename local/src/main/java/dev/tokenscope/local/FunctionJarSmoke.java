package dev.tokenscope.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import dev.tokenscope.aws.AwsClients;
import dev.tokenscope.catalog.ModelCatalog;
import dev.tokenscope.classify.UseCaseClassifier;
import dev.tokenscope.functions.IngestHandler;
import dev.tokenscope.functions.RecomputeHandler;
import dev.tokenscope.functions.SummaryApiHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one handler the way Lambda does, in a JVM whose class path is one function jar and this class only:
 * built from the environment by its no-arg constructor, then given one event. Proves that a jar holds
 * everything its handler loads, and is what the benchmarks time and weigh (FunctionJvm starts it).
 *
 * <p>Prints one line: the handler's answer, then {@value #METRICS} and the wall-clock milliseconds at which
 * main began, the handler was built and the event was handled, and the process's peak resident memory. Nothing
 * is measured until the event is handled, so the measuring adds no class loading to the times.
 *
 * <p>Only JDK, Lambda event, handler and shared types here, in this one class: FunctionJvm puts this class file
 * alone in a jar beside the function's.
 */
public final class FunctionJarSmoke {

    static final String METRICS = " | ";
    /** The system property that asks for the ingest handler's start step by step. */
    static final String STEPS = "tokenscope.smoke.steps";
    /** The prefix of a step's metric. */
    static final String STEP = "step_";

    private FunctionJarSmoke() {
    }

    public static void main(String[] args) {
        long mainAt = System.currentTimeMillis();
        long builtAt;
        String answer;
        StringBuilder steps = new StringBuilder();
        switch (args[0]) {
            case "ingest" -> {
                if (Boolean.getBoolean(STEPS)) {
                    warmStepByStep(steps, mainAt);
                }
                IngestHandler handler = new IngestHandler();
                builtAt = System.currentTimeMillis();
                answer = handler.handleRequest(s3Put(args[1], args[2], args[3]), null);
            }
            case "api" -> {
                SummaryApiHandler handler = new SummaryApiHandler();
                builtAt = System.currentTimeMillis();
                APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
                event.setRawPath("/v1/usage");
                event.setQueryStringParameters(Map.of("from", args[1], "to", args[2], "by", "category"));
                event.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("GET").build())
                        .build());
                var response = handler.handleRequest(event, null);
                answer = response.getStatusCode() + " " + response.getBody();
            }
            // Athena has no local stand-in: building the handler loads its whole wiring, which is what a
            // missing class would break.
            case "recompute" -> {
                answer = new RecomputeHandler().getClass().getSimpleName() + " built";
                builtAt = System.currentTimeMillis();
            }
            default -> throw new IllegalArgumentException("ingest | api | recompute, not " + args[0]);
        }
        long handledAt = System.currentTimeMillis();
        String status = "";
        try {
            status = Files.readString(Path.of("/proc/self/status"));
        } catch (IOException notLinux) {
            // No peak to report: statusKb says -1.
        }
        System.out.println(answer.replace('\n', ' ') + METRICS + "main_at=" + mainAt + " built_at=" + builtAt
                + " handled_at=" + handledAt + " peak_rss_kb=" + statusKb(status, "VmHWM")
                + " heap_max_mb=" + (Runtime.getRuntime().maxMemory() >> 20) + steps);
    }

    /**
     * With -D{@value #STEPS}=true, the ingest handler's start is taken apart: what its constructor does first is
     * done here step by step, each timed; the constructor then finds the models and catalog loaded and their classes
     * too, so what it still takes is its own rest (the bucket's overrides read from S3, the wiring).
     */
    private static void warmStepByStep(StringBuilder steps, long mainAt) {
        long t = mainAt;
        AwsClients aws = AwsClients.fromEnvironment();
        t = step(steps, "http_client_and_credentials", t);
        aws.s3(Optional.empty());
        t = step(steps, "s3_client", t);
        aws.dynamo(Optional.empty());
        t = step(steps, "dynamodb_client", t);
        UseCaseClassifier.standard();
        t = step(steps, "classifier_models", t);
        ModelCatalog.builtIn();
        step(steps, "model_catalog", t);
    }

    private static long step(StringBuilder steps, String name, long since) {
        long now = System.currentTimeMillis();
        steps.append(' ').append(STEP).append(name).append("_ms=").append(now - since);
        return now;
    }

    /**
     * A size field of /proc/PID/status ("VmHWM:\t  123456 kB", always in kB), or -1 when the field is missing
     * (not Linux, or an older kernel).
     */
    static long statusKb(String status, String field) {
        for (String line : status.split("\n")) {
            if (line.startsWith(field + ":")) {
                String value = line.substring(field.length() + 1).trim();
                int space = value.indexOf(' ');
                return Long.parseLong(space < 0 ? value : value.substring(0, space));
            }
        }
        return -1;
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
