package dev.tokenscope.local;

import dev.tokenscope.api.SummaryApi;
import dev.tokenscope.catalog.CatalogOverrides;
import dev.tokenscope.catalog.ModelCatalog;
import dev.tokenscope.classify.UseCaseClassifier;
import dev.tokenscope.functions.IngestHandler;
import dev.tokenscope.functions.RecomputeHandler;
import dev.tokenscope.functions.SummaryApiHandler;
import dev.tokenscope.ingest.Enricher;
import dev.tokenscope.ingest.FormatRegistry;
import dev.tokenscope.ingest.IngestService;
import dev.tokenscope.ingest.Limits;
import dev.tokenscope.ingest.PromptStorage;
import dev.tokenscope.recompute.BucketPartitionCatalog;
import dev.tokenscope.recompute.RecomputeService;
import dev.tokenscope.recompute.WarehouseCompactor;
import dev.tokenscope.region.RegionMapping;
import dev.tokenscope.store.DynamoRecomputeLease;
import dev.tokenscope.store.DynamoRetentionSnapshots;
import dev.tokenscope.store.DynamoUsageTable;
import dev.tokenscope.store.S3ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The three Lambda handlers wired to the local stack through their test constructors: the same handler code as
 * on AWS, with DuckDB over local warehouse copies in place of Athena. The Parquet table's partition pointers are
 * the same objects as on AWS; with no Glue table here, no DDL follows them (the mirror reads them instead).
 */
public record LocalFunctions(IngestHandler ingest, SummaryApiHandler api, RecomputeHandler recompute,
                             RecomputeService recomputeService, DynamoUsageTable table) {

    public static LocalFunctions wire(LocalStack stack, String bucket, String table, Path workDir, int recomputeDays,
                                      Clock clock) {
        try {
            Files.createDirectories(workDir.resolve("scratch"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        S3ObjectStore objects = new S3ObjectStore(stack.s3());
        DynamoUsageTable usage = new DynamoUsageTable(stack.dynamo(), table);
        ModelCatalog catalog = CatalogOverrides.load(objects, bucket);
        IngestService ingest = new IngestService(objects, usage, usage, bucket, workDir.resolve("scratch"), clock,
                FormatRegistry.standard(Map.of()), Limits.DEFAULT,
                new Enricher(catalog, UseCaseClassifier.standard(), RegionMapping.load(objects, bucket)),
                PromptStorage.NONE);
        DynamoRetentionSnapshots retention = new DynamoRetentionSnapshots(stack.dynamo(), table, clock);
        DuckDbQueryEngine duckDb = new DuckDbQueryEngine(
                new WarehouseMirror(objects, bucket, workDir.resolve("warehouse-mirror")));
        WarehouseCompactor compactor = new WarehouseCompactor(objects, bucket, duckDb,
                new BucketPartitionCatalog(objects, bucket), clock);
        RecomputeService recompute = new RecomputeService(duckDb, usage, retention, Optional.of(compactor),
                new DynamoRecomputeLease(stack.dynamo(), table, clock));
        return new LocalFunctions(
                new IngestHandler(ingest),
                new SummaryApiHandler(new SummaryApi(usage, usage, retention, bucket, clock, catalog)),
                new RecomputeHandler(recompute, recomputeDays, clock),
                recompute,
                usage);
    }
}
