package dev.tokenscope.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenscope.catalog.ModelCatalog;
import dev.tokenscope.local.generate.FormatWriter;
import dev.tokenscope.local.generate.GenerateCommand;
import dev.tokenscope.local.generate.Workload;
import dev.tokenscope.local.generate.WorkloadPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/** `tokenscope generate --out s3://bucket/prefix`: the same files as in a folder, one object per week. */
class GenerateUploadIT {

    @TempDir
    Path folder;

    @Test
    void upload_shouldPutEachWeeksFileUnderThePrefix_whenTheSameRunInAFolderWritesThoseBytes() throws Exception {
        // given a small plan, written to a folder
        String bucket = TestStack.freshName("generate");
        Workload workload = new Workload(WorkloadPlan.defaults(3_000, 9), ModelCatalog.builtIn());
        FormatWriter writer = FormatWriter.named("openrouter");
        long inFolder = GenerateCommand.write(workload, writer, folder);

        // when the same plan is uploaded under a prefix
        long uploaded = GenerateCommand.upload(workload, writer, TestStack.get().s3(), bucket, "incoming/openrouter");

        // then one object per week, each the bytes of the folder's file of the same name
        assertEquals(inFolder, uploaded);
        List<S3Object> objects = TestStack.get().s3().listObjectsV2Paginator(b -> b.bucket(bucket)).contents()
                .stream().toList();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        assertEquals(52, objects.size());
        assertEquals(files.size(), objects.size());
        for (Path file : files) {
            String key = "incoming/openrouter/" + folder.relativize(file).toString().replace('\\', '/');
            byte[] object = TestStack.get().s3().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
            assertArrayEquals(Files.readAllBytes(file), object, key);
        }
    }
}
