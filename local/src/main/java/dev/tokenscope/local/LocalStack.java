package dev.tokenscope.local;

import com.adobe.testing.s3mock.S3MockApplication;
import dev.tokenscope.aws.AwsClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * The local AWS stack, no Docker: S3Mock in this JVM and dynalite under node, each on a free loopback port, data
 * kept under a folder when one is given. Creates the bucket and the table as template.yaml defines them.
 */
public final class LocalStack implements AutoCloseable {

    static final String ACCESS_KEY = "local";
    static final String SECRET_KEY = "local";
    public static final Region REGION = Region.US_EAST_1;

    private final Path projectRoot;
    private final S3MockApplication s3Mock;
    private final Dynalite dynalite;
    private final AwsClients clients;
    private final S3Client s3;
    private final DynamoDbClient dynamo;
    /** The temporary folders of a stack without a data folder, deleted when it stops. */
    private final List<Path> temporary;

    private LocalStack(Path projectRoot, S3MockApplication s3Mock, Dynalite dynalite, List<Path> temporary) {
        this.projectRoot = projectRoot;
        this.s3Mock = s3Mock;
        this.dynalite = dynalite;
        this.temporary = temporary;
        this.clients = new AwsClients(REGION,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)));
        this.s3 = clients.s3(Optional.of(s3Endpoint()));
        this.dynamo = clients.dynamo(Optional.of(dynamoEndpoint()));
    }

    /**
     * Starts both servers. With a data folder, objects and items survive a restart; without, they live in a
     * temporary folder and in memory.
     */
    public static LocalStack start(Path projectRoot, Optional<Path> dataDir, int s3Port) {
        Path s3Root;
        Path logs;
        try {
            s3Root = dataDir.isPresent() ? dataDir.get().resolve("s3") : Files.createTempDirectory("tokenscope-s3");
            Files.createDirectories(s3Root);
            logs = dataDir.isPresent() ? dataDir.get().resolve("logs") : Files.createTempDirectory("tokenscope-logs");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Dynalite dynalite = Dynalite.start(projectRoot, dataDir.map(d -> d.resolve("dynamodb")),
                logs.resolve("dynalite.log"));
        try {
            Map<String, Object> properties = new HashMap<>();
            int httpPort = s3Port == 0 ? Ports.free() : s3Port;
            // S3Mock 5 reads its HTTP port from "http.port" when started in-process and from the property below
            // when run as its exec jar; set both so neither falls back to 9090.
            properties.put("http.port", httpPort);
            properties.put("com.adobe.testing.s3mock.httpPort", httpPort);
            properties.put("server.port", Ports.free());
            properties.put("server.address", "127.0.0.1");
            properties.put("com.adobe.testing.s3mock.store.root", s3Root.toString());
            properties.put("com.adobe.testing.s3mock.store.retainFilesOnExit", dataDir.isPresent());
            properties.put("spring.main.banner-mode", "off");
            properties.put("logging.level.root", "WARN");
            properties.put("logging.level.com.adobe.testing.s3mock", "WARN");
            properties.put("com.adobe.testing.s3mock.max-payload-size", "512MB");
            // S3 keeps a steadily read GET open, and the ingest function reads a large upload for minutes (up to
            // Lambda's 15); S3Mock's responses are Spring MVC async ones, which Tomcat would end after 30 s.
            properties.put("spring.mvc.async.request-timeout", "15m");
            S3MockApplication s3Mock = S3MockApplication.start(properties);
            if (s3Mock.getHttpPort() != httpPort) {
                s3Mock.stop();
                throw new IllegalStateException("S3Mock listens on " + s3Mock.getHttpPort() + ", not on " + httpPort);
            }
            return new LocalStack(projectRoot, s3Mock, dynalite,
                    dataDir.isPresent() ? List.of() : List.of(s3Root, logs));
        } catch (RuntimeException e) {
            dynalite.close();
            throw e;
        }
    }

    public URI s3Endpoint() {
        return URI.create("http://127.0.0.1:" + s3Mock.getHttpPort());
    }

    public URI dynamoEndpoint() {
        return URI.create("http://127.0.0.1:" + dynalite.port());
    }

    /** Kills the local DynamoDB now and starts it again after {@code down}: see Dynalite#restart. */
    java.util.concurrent.CompletableFuture<Void> restartDynamo(Duration down) {
        return dynalite.restart(down);
    }

    public AwsClients clients() {
        return clients;
    }

    public S3Client s3() {
        return s3;
    }

    public DynamoDbClient dynamo() {
        return dynamo;
    }

    public void createBucket(String bucket) {
        try {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (BucketAlreadyOwnedByYouException alreadyThere) {
            // Kept from an earlier run.
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() != 409) {
                throw e;
            }
        }
    }

    /** Creates the table with the key schema of UsageTable in template.yaml, unless it exists. */
    @SuppressWarnings("unchecked")
    public void createTable(String table) {
        try {
            dynamo.describeTable(b -> b.tableName(table));
            return;
        } catch (ResourceNotFoundException absent) {
            // Create it below.
        }
        Map<String, Object> template = CloudFormationYaml.load(projectRoot.resolve("template.yaml"));
        Map<String, Object> resources = (Map<String, Object>) template.get("Resources");
        Map<String, Object> usageTable = (Map<String, Object>) resources.get("UsageTable");
        Map<String, Object> props = (Map<String, Object>) usageTable.get("Properties");
        List<AttributeDefinition> attributes = ((List<Map<String, Object>>) props.get("AttributeDefinitions"))
                .stream().map(a -> AttributeDefinition.builder().attributeName((String) a.get("AttributeName"))
                        .attributeType((String) a.get("AttributeType")).build()).toList();
        List<KeySchemaElement> keys = ((List<Map<String, Object>>) props.get("KeySchema")).stream()
                .map(k -> KeySchemaElement.builder().attributeName((String) k.get("AttributeName"))
                        .keyType((String) k.get("KeyType")).build()).toList();
        dynamo.createTable(b -> b.tableName(table).attributeDefinitions(attributes).keySchema(keys)
                .billingMode(BillingMode.PAY_PER_REQUEST));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (dynamo.describeTable(b -> b.tableName(table)).table().tableStatus() != TableStatus.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("table " + table + " did not become active");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        try {
            s3.close();
            dynamo.close();
            s3Mock.stop();
        } finally {
            dynalite.close();
            // S3Mock leaves its objects behind: without a data folder nothing is kept (a 1 GB bench left 0.5 GB).
            temporary.forEach(LocalStack::deleteRecursively);
        }
    }

    /** Deletes a folder and all below it, as far as it can. */
    static void deleteRecursively(Path folder) {
        try (var walk = Files.walk(folder)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // Best effort: a leftover temporary folder is only clutter.
        }
    }
}
