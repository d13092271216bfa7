package dev.tokenscope.aws;

import dev.tokenscope.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The one place AWS clients are built: explicit region, the light url-connection HTTP client, and an endpoint
 * from the standard AWS_ENDPOINT_URL variables when set (the SDK reads them), so the same code runs on AWS, on
 * LocalStack and on the local stack. The local runner passes its endpoints explicitly.
 */
public final class AwsClients {

    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient http;

    public AwsClients(Region region, AwsCredentialsProvider credentials) {
        this(region, credentials, UrlConnectionHttpClient.builder().build());
    }

    /**
     * With the HTTP client every AWS client built here sends through: the fault tests put one that injects
     * throttling, 5xx and broken streams in front of the real one, so the SDK's own retries are what they test.
     */
    public AwsClients(Region region, AwsCredentialsProvider credentials, SdkHttpClient http) {
        this.region = region;
        this.credentials = credentials;
        this.http = http;
    }

    /** For Lambda: region and credentials from the environment Lambda provides. */
    public static AwsClients fromEnvironment() {
        return new AwsClients(Region.of(Settings.region()), DefaultCredentialsProvider.builder().build());
    }

    public S3Client s3(Optional<URI> endpoint) {
        var builder = S3Client.builder().region(region).credentialsProvider(credentials).httpClient(http);
        endpoint.ifPresent(builder::endpointOverride);
        // Local S3s and LocalStack are addressed by path, AWS by virtual host.
        boolean local = endpoint.isPresent() || Settings.standardEndpointOverride("s3").isPresent();
        return builder.forcePathStyle(local).build();
    }

    public DynamoDbClient dynamo(Optional<URI> endpoint) {
        var builder = DynamoDbClient.builder().region(region).credentialsProvider(credentials).httpClient(http);
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public AthenaClient athena(Optional<URI> endpoint) {
        var builder = AthenaClient.builder().region(region).credentialsProvider(credentials).httpClient(http);
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /**
     * For the LLM classifier: every call ends within {@code callTimeout} and is tried once. A slow or throttled
     * model costs an ingest at most the timeout per record (and the classifier's circuit breaker stops calling
     * it after a few failures); retrying would multiply the stall, and the embedded classifier answers instead.
     */
    public BedrockRuntimeClient bedrock(Optional<URI> endpoint, Duration callTimeout) {
        var builder = BedrockRuntimeClient.builder().region(region).credentialsProvider(credentials).httpClient(http)
                .overrideConfiguration(c -> c.apiCallTimeout(callTimeout).apiCallAttemptTimeout(callTimeout)
                        .retryStrategy(AwsRetryStrategy.doNotRetry()));
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
