package dev.tokenscope.local;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    private String run(String function, String table, String bucket, String... args)
            throws IOException, InterruptedException {
        FunctionJvm jvm = new FunctionJvm(TestStack.projectRoot(), TestStack.get(), work);
        FunctionJvm.Run run = jvm.run(function, List.of(), table, bucket, Duration.ofSeconds(120), args);
        return run.answer() + " ms=" + run.totalMs();
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
        System.out.println("fresh JVM started -> event handled: " + ingest.substring(ingest.lastIndexOf("ms=")));
    }
}
