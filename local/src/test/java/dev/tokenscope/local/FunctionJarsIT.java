package dev.tokenscope.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Each function's own jar, alone on a fresh JVM's class path, builds its handler from the environment and
 * handles an event against the local stack: the jars hold everything their handlers load.
 */
class FunctionJarsIT {

    @TempDir
    Path work;

    private static Path jar(String function) {
        return TestStack.projectRoot().resolve("functions/target/tokenscope-" + function + "-lambda.jar");
    }

    /** The smoke class alone, in a directory of its own, so the test class path does not leak in. */
    private Path smokeClassDirectory() throws IOException {
        Path dir = work.resolve("smoke/dev/tokenscope/local");
        Files.createDirectories(dir);
        String name = "FunctionJarSmoke.class";
        try (var in = FunctionJarsIT.class.getResourceAsStream(name)) {
            Files.copy(in, dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return work.resolve("smoke");
    }

    private String run(String function, String table, String bucket, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", jar(function) + java.io.File.pathSeparator + smokeClassDirectory(),
                "dev.tokenscope.local.FunctionJarSmoke", function));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("TABLE_NAME", table);
        env.put("DATA_BUCKET", bucket);
        env.put("ATHENA_WORKGROUP", "tokenscope-local");
        env.put("GLUE_DATABASE", "tokenscope_local");
        env.put("RECOMPUTE_DAYS", "7");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_ENDPOINT_URL_S3", TestStack.get().s3Endpoint().toString());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", TestStack.get().dynamoEndpoint().toString());
        Process process = builder.start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), function + " did not finish");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, process.exitValue(), function + " failed:\n" + output);
        String[] lines = output.split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void functionJars_shouldEachHandleAnEventOnTheirOwn_whenRunOnAFreshJvm() throws Exception {
        // given: the sample uploaded
        String name = TestStack.freshName("jars");
        byte[] sample = TestStack.sample("sample-usage.jsonl");
        String etag = TestStack.get().s3().putObject(b -> b.bucket(name).key("logs/sample-usage.jsonl"),
                RequestBody.fromBytes(sample)).eTag().replace("\"", "");

        // when each function's jar runs its handler
        String ingest = run("ingest", name, name, name, "logs/sample-usage.jsonl", etag);
        String api = run("api", name, name, "2026-11-02", "2026-11-03");
        String recompute = run("recompute", name, name);

        // then: ingest counted all 8 records, the API answers from the rollups it wrote (category split), and
        // the recompute handler builds
        assertTrue(ingest.startsWith("s3://" + name + "/logs/sample-usage.jsonl complete read=8 kept=8"), ingest);
        assertTrue(api.startsWith("200 "), api);
        assertTrue(api.contains("\"requests\":8"), api);
        assertTrue(api.contains("\"category\":"), api);
        assertTrue(recompute.startsWith("RecomputeHandler built"), recompute);
        System.out.println("fresh JVM, jar -> event handled: " + ingest.substring(ingest.lastIndexOf("ms=")));
    }
}
