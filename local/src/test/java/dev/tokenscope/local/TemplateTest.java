package dev.tokenscope.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tokenscope.config.Settings;
import dev.tokenscope.store.WarehouseLayout;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps template.yaml honest: handlers and environment variables match the code, the security rules of the
 * house hold, and cfn-lint accepts it (through tools/lint-template).
 */
class TemplateTest {

    /** The role each function's code reads its settings for; a new function must be added here. */
    private static final Map<String, Settings.Role> ROLES = Map.of(
            "IngestFunction", Settings.Role.INGEST,
            "SummaryApiFunction", Settings.Role.API,
            "RecomputeFunction", Settings.Role.RECOMPUTE);

    private static Path root;
    private static Map<String, Object> template;

    @BeforeAll
    static void loadTemplate() throws IOException {
        root = projectRoot();
        template = CloudFormationYaml.load(root.resolve("template.yaml"));
    }

    // ---------------------------------------------------------------- code

    @Test
    void uploadEvents_shouldFilterAsTheLocalWatcherDoes_whenTheTemplateDeclaresThem() {
        // given the S3 events of IngestFunction
        Map<String, Object> events = map(path(resource("IngestFunction"), "Properties", "Events"));
        Set<String> suffixes = new TreeSet<>();
        Set<String> continuationSuffixes = new TreeSet<>();
        for (Object event : events.values()) {
            if (!"S3".equals(map(event).get("Type"))) {
                continue;
            }
            // when their filter rules are read
            List<?> rules = list(path(map(event), "Properties", "Filter", "S3Key", "Rules"));
            Object prefix = rules.stream().map(TemplateTest::map).filter(r -> "prefix".equals(r.get("Name")))
                    .findFirst().orElseThrow().get("Value");
            boolean continuation = UploadWatcher.CONTINUATIONS_PREFIX.equals(prefix);
            if (!continuation) {
                assertEquals(Map.of("Ref", "LogPrefix"), prefix,
                        "the prefix rule must be LogPrefix, or the ingest's continuations");
            }
            for (Object rule : rules) {
                Map<String, Object> r = map(rule);
                if ("suffix".equals(r.get("Name"))) {
                    (continuation ? continuationSuffixes : suffixes).add((String) r.get("Value"));
                }
            }
        }

        // then the local runner delivers exactly the uploads and continuations AWS would, under the same default
        // prefix
        assertEquals(new TreeSet<>(UploadWatcher.SUFFIXES), suffixes);
        assertEquals(new TreeSet<>(UploadWatcher.CONTINUATION_SUFFIXES), continuationSuffixes);
        assertEquals(LocalRunner.LOG_PREFIX, path(template, "Parameters", "LogPrefix", "Default"));
    }

    @Test
    void handler_shouldNamePublicMethodOfClassOnClasspath_whenFunctionIsDeclared() {
        // given
        Map<String, Map<String, Object>> functions = resourcesOfType("AWS::Serverless::Function");
        assertFalse(functions.isEmpty(), "template.yaml declares no AWS::Serverless::Function");

        for (var function : functions.entrySet()) {
            // when
            String handler = (String) property(function.getValue(), "Handler");
            assertNotNull(handler, function.getKey() + " has no Handler");
            String[] parts = handler.split("::", 2);
            assertEquals(2, parts.length, function.getKey() + ": Handler must be Class::method, got " + handler);

            // then
            Class<?> type;
            try {
                // Not initialised: a handler's static state may need the Lambda environment.
                type = Class.forName(parts[0], false, getClass().getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new AssertionError(function.getKey() + ": handler class " + parts[0] + " is not on the classpath", e);
            }
            boolean hasMethod = Arrays.stream(type.getMethods())
                    .anyMatch(m -> m.getName().equals(parts[1]) && Modifier.isPublic(m.getModifiers()));
            assertTrue(hasMethod, function.getKey() + ": " + type.getName() + " has no public method " + parts[1]);
            try {
                // Lambda builds the handler through its public no-argument constructor.
                type.getConstructor();
            } catch (NoSuchMethodException e) {
                throw new AssertionError(function.getKey() + ": " + type.getName()
                        + " needs a public no-argument constructor", e);
            }
        }
    }

    @Test
    void environment_shouldSetEveryVariableTheRoleReads_whenGlobalsAndFunctionAreMerged() {
        // given
        Map<String, Map<String, Object>> functions = resourcesOfType("AWS::Serverless::Function");
        assertEquals(new TreeSet<>(ROLES.keySet()), new TreeSet<>(functions.keySet()),
                "every function needs a Settings.Role in TemplateTest.ROLES");
        Map<String, Object> globalVariables = map(path(template, "Globals", "Function", "Environment", "Variables"));

        for (var function : functions.entrySet()) {
            // when
            Map<String, Object> variables = new TreeMap<>(globalVariables);
            variables.putAll(map(path(function.getValue(), "Properties", "Environment", "Variables")));

            // then
            List<String> missing = ROLES.get(function.getKey()).variables().stream()
                    .filter(name -> variables.get(name) == null)
                    .toList();
            assertTrue(missing.isEmpty(), function.getKey() + " does not set " + missing);
        }
    }

    @Test
    void sourceCode_shouldReadEnvironmentOnlyInSettings_whenMainSourcesAreScanned() throws IOException {
        // given
        List<Path> sourceRoots = List.of(root.resolve("shared/src/main"), root.resolve("functions/src/main"));

        // when
        List<String> offenders = new ArrayList<>();
        for (Path sourceRoot : sourceRoots) {
            if (!Files.isDirectory(sourceRoot)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(sourceRoot)) {
                for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    if (!file.getFileName().toString().equals("Settings.java")
                            && Files.readString(file, StandardCharsets.UTF_8).contains("System.getenv")) {
                        offenders.add(root.relativize(file).toString());
                    }
                }
            }
        }

        // then
        assertTrue(offenders.isEmpty(), "read the environment through Settings (so this test sees every variable), "
                + "not System.getenv in " + offenders);
    }

    @Test
    void recordsTable_shouldDeclareWarehouseColumnsInOrder_whenComparedWithWarehouseLayout() {
        // given
        Map<String, Object> input = map(path(resource("RecordsTable"), "Properties", "TableInput"));

        // when
        List<String> declared = declaredColumns(input);
        List<String> partitions = partitionKeys(input);

        // then
        assertEquals(WarehouseLayout.COLUMNS.stream().map(c -> c.name() + " " + c.type()).toList(), declared);
        assertEquals(List.of(WarehouseLayout.PARTITION_COLUMN), partitions);
        String location = String.valueOf(path(input, "Parameters", "storage.location.template"));
        assertTrue(location.contains("/" + WarehouseLayout.RECORDS_PREFIX + WarehouseLayout.PARTITION_COLUMN
                + "=${!day}/"), "the partition location names the records prefix: " + location);
    }

    @Test
    void parquetTable_shouldDeclareTheRecordsColumnsAsParquetWithRegisteredPartitions_whenDeclared() {
        // given
        Map<String, Object> input = map(path(resource("RecordsParquetTable"), "Properties", "TableInput"));

        // when
        List<String> declared = declaredColumns(input);
        List<String> partitions = partitionKeys(input);
        Map<String, Object> parameters = map(input.get("Parameters"));

        // then
        assertEquals(WarehouseLayout.PARQUET_TABLE, input.get("Name"));
        assertEquals(WarehouseLayout.COLUMNS.stream().map(c -> c.name() + " " + c.type()).toList(), declared);
        assertEquals(List.of(WarehouseLayout.PARTITION_COLUMN), partitions);
        assertEquals("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
                path(input, "StorageDescriptor", "SerdeInfo", "SerializationLibrary"));
        assertTrue(String.valueOf(path(input, "StorageDescriptor", "InputFormat")).endsWith("MapredParquetInputFormat"));
        assertTrue(parameters.keySet().stream().noneMatch(k -> k.startsWith("projection.")),
                "the compactor registers each partition: projection would ignore them " + parameters);
        assertTrue(literal(path(input, "StorageDescriptor", "Location")).endsWith("/" + WarehouseLayout.PARQUET_PREFIX));
    }

    @Test
    void snapStart_shouldServeEveryEventThroughTheAlias_whenTheFunctionsHaveIt() {
        // given: SnapStart on the published versions, behind the alias SAM publishes
        Map<String, Object> globals = map(path(template, "Globals", "Function"));
        assertEquals("PublishedVersions", path(globals, "SnapStart", "ApplyOn"));
        assertEquals("live", globals.get("AutoPublishAlias"));

        // then: the API, which SAM does not wire, invokes the alias too (SAM points the S3 and schedule events at
        // it); $LATEST has no snapshot, so an integration with the function itself would start cold every time
        Map<String, Object> alias = Map.of("Ref", "SummaryApiFunction.Alias");
        assertEquals(alias, path(resource("UsageApiIntegration"), "Properties", "IntegrationUri"));
        assertEquals(alias, path(resource("SummaryApiInvokePermission"), "Properties", "FunctionName"));
    }

    // ---------------------------------------------------------------- security

    @Test
    void allowStatements_shouldNameActionsAndResources_whenAnyPolicyInTemplateIsRead() {
        // given
        List<String> problems = new ArrayList<>();
        for (var function : resourcesOfType("AWS::Serverless::Function").entrySet()) {
            for (Object policy : list(path(function.getValue(), "Properties", "Policies"))) {
                // A managed policy name or a SAM policy template cannot be checked here: inline statements only.
                if (!(policy instanceof Map<?, ?> document) || !document.containsKey("Statement")) {
                    problems.add(function.getKey() + ": policy is not an inline statement list: " + policy);
                }
            }
        }

        // when
        List<Map<String, Object>> statements = new ArrayList<>();
        collectStatements(template, statements);

        // then
        assertFalse(statements.isEmpty(), "no policy statements found");
        for (Map<String, Object> statement : statements) {
            if (!"Allow".equals(statement.get("Effect"))) {
                // A broad Deny (such as the TLS-only bucket policy) narrows access; only Allow is checked.
                continue;
            }
            if (statement.containsKey("NotAction") || statement.containsKey("NotResource")) {
                problems.add("Allow with NotAction/NotResource grants everything else: " + statement);
            }
            for (Object action : asList(statement.get("Action"))) {
                if (!(action instanceof String name) || name.contains("*")) {
                    problems.add("Allow of a wildcard or computed action " + action + " in " + statement.get("Sid"));
                }
            }
            for (Object resource : asList(statement.get("Resource"))) {
                if (resource == null || "*".equals(literal(resource))) {
                    problems.add("Allow on Resource \"*\" in " + statement.get("Sid"));
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void recomputePolicy_shouldAllowPartitionWritesOnTheParquetTableOnly_whenDeclared() {
        // given
        List<Map<String, Object>> statements = new ArrayList<>();
        collectStatements(path(resource("RecomputeFunction"), "Properties", "Policies"), statements);

        // when: the statements that let Athena's partition DDL change the catalog
        List<Map<String, Object>> writes = statements.stream()
                .filter(s -> asList(s.get("Action")).stream()
                        .anyMatch(a -> String.valueOf(a).matches("glue:(Batch)?(Create|Update|Delete)Partition")))
                .toList();

        // then
        assertEquals(1, writes.size(), "one statement for the partition DDL: " + writes);
        assertTrue(asList(writes.get(0).get("Action")).containsAll(List.of("glue:GetTable", "glue:BatchCreatePartition",
                "glue:UpdatePartition", "glue:BatchDeletePartition")), String.valueOf(writes.get(0).get("Action")));
        List<String> tables = asList(writes.get(0).get("Resource")).stream().map(TemplateTest::literal)
                .filter(r -> r.contains(":table/"))
                .toList();
        assertEquals(List.of("arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:table/${WarehouseDatabase}/"
                + "${RecordsParquetTable}"), tables);
    }

    @Test
    void dataBucket_shouldBeEncryptedPrivateAndTlsOnly_whenDeclared() {
        // given
        Map<String, Object> bucket = map(resource("DataBucket").get("Properties"));

        // when
        Object algorithm = path(list(path(bucket, "BucketEncryption", "ServerSideEncryptionConfiguration")).get(0),
                "ServerSideEncryptionByDefault", "SSEAlgorithm");
        Map<String, Object> publicAccess = map(bucket.get("PublicAccessBlockConfiguration"));
        List<Map<String, Object>> tlsDenies = new ArrayList<>();
        for (Map<String, Object> policy : resourcesOfType("AWS::S3::BucketPolicy").values()) {
            if (Map.of("Ref", "DataBucket").equals(path(policy, "Properties", "Bucket"))) {
                for (Object statement : asList(path(policy, "Properties", "PolicyDocument", "Statement"))) {
                    Map<String, Object> s = map(statement);
                    Object secure = path(s, "Condition", "Bool", "aws:SecureTransport");
                    if ("Deny".equals(s.get("Effect")) && ("false".equals(secure) || Boolean.FALSE.equals(secure))) {
                        tlsDenies.add(s);
                    }
                }
            }
        }

        // then
        assertTrue(Set.of("AES256", "aws:kms", "aws:kms:dsse").contains(algorithm), "bucket encryption: " + algorithm);
        for (String setting : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
            assertEquals(Boolean.TRUE, publicAccess.get(setting), "PublicAccessBlockConfiguration." + setting);
        }
        assertEquals(1, tlsDenies.size(), "one Deny when aws:SecureTransport is false on DataBucket");
        List<String> resources = asList(tlsDenies.get(0).get("Resource")).stream().map(TemplateTest::literal).toList();
        assertTrue(resources.stream().anyMatch(r -> !r.endsWith("/*")), "TLS deny must cover the bucket: " + resources);
        assertTrue(resources.stream().anyMatch(r -> r.endsWith("/*")), "TLS deny must cover the objects: " + resources);
    }

    @Test
    void usageTable_shouldHavePointInTimeRecoveryAndEncryption_whenDeclared() {
        // given
        Map<String, Object> table = map(resource("UsageTable").get("Properties"));

        // when
        Object pitr = path(table, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled");
        Object sse = path(table, "SSESpecification", "SSEEnabled");

        // then
        assertEquals(Boolean.TRUE, pitr, "PointInTimeRecoveryEnabled");
        assertEquals(Boolean.TRUE, sse, "SSEEnabled");
    }

    @Test
    void ingestFunction_shouldSendEventsItGaveUpOnToAnEncryptedQueueWithAnAlarm_whenDeclared() {
        // given
        Map<String, Object> invoke = map(resource("IngestEventInvokeConfig").get("Properties"));
        Map<String, Object> queue = map(resource("IngestFailedEvents").get("Properties"));
        Map<String, Object> alarm = map(resource("IngestFailedEventsAlarm").get("Properties"));

        // when
        Map<String, Object> onFailure = map(path(invoke, "DestinationConfig", "OnFailure"));

        // then an upload's event is never dropped without a trace: Lambda's retries, then the queue, kept 14 days
        assertEquals("live", invoke.get("Qualifier"), "the alias the S3 events invoke");
        assertTrue(String.valueOf(onFailure.get("Destination")).contains("IngestFailedEvents"), onFailure::toString);
        assertEquals(2, invoke.get("MaximumRetryAttempts"));
        assertEquals(Boolean.TRUE, queue.get("SqsManagedSseEnabled"), "SqsManagedSseEnabled");
        assertEquals(1209600, queue.get("MessageRetentionPeriod"));
        assertEquals("AWS/SQS", alarm.get("Namespace"));
        assertTrue(String.valueOf(alarm.get("Dimensions")).contains("IngestFailedEvents"), alarm::toString);
        assertTrue(String.valueOf(alarm.get("AlarmActions")).contains("AlarmTopicArn"),
                "the alarm tells the topic the AlarmTopicArn parameter names: " + alarm);
    }

    @Test
    void logGroups_shouldHaveRetentionAndOneForEachFunction_whenDeclared() {
        // given
        Map<String, Map<String, Object>> logGroups = resourcesOfType("AWS::Logs::LogGroup");

        // when
        Set<String> names = logGroups.values().stream()
                .map(g -> literal(path(g, "Properties", "LogGroupName")))
                .collect(Collectors.toSet());

        // then
        for (var group : logGroups.entrySet()) {
            assertNotNull(path(group.getValue(), "Properties", "RetentionInDays"), group.getKey() + " has no RetentionInDays");
        }
        for (String function : resourcesOfType("AWS::Serverless::Function").keySet()) {
            assertTrue(names.contains("/aws/lambda/${" + function + "}"), "no log group with retention for " + function);
        }
    }

    @Test
    void httpApi_shouldAuthoriseEveryDataRouteWithIamByDefault_whenRoutesAreDeclared() {
        // given
        Map<String, Map<String, Object>> routes = resourcesOfType("AWS::ApiGatewayV2::Route");
        assertTrue(routes.size() >= 3, "routes: " + routes.keySet());
        Object authorised = Map.of("Fn::If", List.of("UseJwt", "JWT", "AWS_IAM"));

        for (var route : routes.entrySet()) {
            // when
            String key = String.valueOf(path(route.getValue(), "Properties", "RouteKey"));
            Object authorization = path(route.getValue(), "Properties", "AuthorizationType");

            // then: only the dashboard's static page is open; every method is GET, so that API Gateway answers
            // CORS preflights itself
            assertTrue(key.startsWith("GET /"), route.getKey() + " " + key);
            if (key.equals("GET /dashboard") || key.equals("GET /dashboard/{proxy+}")) {
                assertEquals("NONE", authorization, route.getKey());
            } else {
                assertEquals(authorised, authorization, route.getKey() + " must be authorised");
            }
        }
        assertEquals("iam", path(template, "Parameters", "ApiAuth", "Default"));
        assertEquals(Map.of("Fn::Equals", List.of(Map.of("Ref", "ApiAuth"), "jwt")),
                path(template, "Conditions", "UseJwt"));
        assertEquals("UseJwt", path(resource("UsageApiJwtAuthorizer"), "Condition"));
        assertEquals("HasCors", list(path(resource("UsageApi"), "Properties", "CorsConfiguration", "Fn::If")).get(0));
    }

    @Test
    void schedules_shouldBeCronOrRateStrings_whenParametersAreResolved() {
        // given
        List<Object> schedules = new ArrayList<>();
        for (var function : resourcesOfType("AWS::Serverless::Function").values()) {
            for (Object event : map(path(function, "Properties", "Events")).values()) {
                if ("Schedule".equals(map(event).get("Type"))) {
                    schedules.add(path(event, "Properties", "Schedule"));
                }
            }
        }
        assertFalse(schedules.isEmpty(), "no Schedule event");

        for (Object schedule : schedules) {
            // when
            Object expression = schedule;
            if (schedule instanceof Map<?, ?> ref && ref.get("Ref") instanceof String parameter) {
                expression = path(template, "Parameters", parameter, "Default");
            }

            // then
            assertTrue(expression instanceof String s && (s.startsWith("cron(") || s.startsWith("rate(")),
                    "schedule must be a quoted cron(...) or rate(...) string, got " + expression);
        }
    }

    // ---------------------------------------------------------------- cfn-lint

    @Test
    void lintTemplate_shouldExitZero_whenRunOnTemplate() throws Exception {
        // given
        if (!onPath("node")) {
            fail("node is not on PATH: tools/lint-template needs Node 20 to run cfn-lint (node_modules/cfn-lint)");
        }
        File output = Files.createTempFile("lint-template", ".log").toFile();
        output.deleteOnExit();
        ProcessBuilder builder = new ProcessBuilder("bash", "tools/lint-template")
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output);
        builder.environment().put("FORCE_COLOR", "0");

        // when
        Process process = builder.start();
        boolean finished = process.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String log = Files.readString(output.toPath(), StandardCharsets.UTF_8);

        // then
        assertTrue(finished, "tools/lint-template did not finish in 120 s:\n" + log);
        assertEquals(0, process.exitValue(), "tools/lint-template failed:\n" + log);
    }

    // ---------------------------------------------------------------- helpers

    private static Path projectRoot() {
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no template.yaml in " + Paths.get("").toAbsolutePath() + " or above");
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Arrays.stream(path.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Paths.get(dir, program))
                .anyMatch(Files::isExecutable);
    }

    /** A Glue table's columns as "name type", in order. */
    private static List<String> declaredColumns(Map<String, Object> tableInput) {
        return list(path(tableInput, "StorageDescriptor", "Columns")).stream()
                .map(c -> map(c).get("Name") + " " + map(c).get("Type"))
                .toList();
    }

    private static List<String> partitionKeys(Map<String, Object> tableInput) {
        return list(tableInput.get("PartitionKeys")).stream()
                .map(c -> String.valueOf(map(c).get("Name")))
                .toList();
    }

    private static Map<String, Object> resource(String logicalId) {
        Object resource = path(template, "Resources", logicalId);
        assertNotNull(resource, "template.yaml has no resource " + logicalId);
        return map(resource);
    }

    private static Map<String, Map<String, Object>> resourcesOfType(String type) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        for (var entry : map(template.get("Resources")).entrySet()) {
            Map<String, Object> resource = map(entry.getValue());
            if (type.equals(resource.get("Type"))) {
                found.put(entry.getKey(), resource);
            }
        }
        return found;
    }

    /** A function's property, falling back to Globals.Function as SAM does. */
    private static Object property(Map<String, Object> function, String name) {
        Object own = path(function, "Properties", name);
        return own != null ? own : path(template, "Globals", "Function", name);
    }

    private static void collectStatements(Object node, List<Map<String, Object>> into) {
        if (node instanceof Map<?, ?> m) {
            if (m.containsKey("Statement")) {
                asList(m.get("Statement")).forEach(s -> into.add(map(s)));
            }
            m.values().forEach(v -> collectStatements(v, into));
        } else if (node instanceof List<?> l) {
            l.forEach(v -> collectStatements(v, into));
        }
    }

    /** The text of a plain string or of a !Sub template, so both can be compared with a literal. */
    private static String literal(Object value) {
        if (value instanceof Map<?, ?> m && m.get("Fn::Sub") instanceof String sub) {
            return sub;
        }
        return String.valueOf(value);
    }

    private static Object path(Object node, String... keys) {
        Object current = node;
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return node instanceof Map<?, ?> ? (Map<String, Object>) node : Map.of();
    }

    private static List<?> list(Object node) {
        return node instanceof List<?> l ? l : List.of();
    }

    private static List<?> asList(Object node) {
        if (node == null) {
            return List.of();
        }
        return node instanceof List<?> l ? l : List.of(node);
    }
}
