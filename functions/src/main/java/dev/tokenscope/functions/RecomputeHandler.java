package dev.tokenscope.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.tokenscope.aws.AwsClients;
import dev.tokenscope.config.Settings;
import dev.tokenscope.recompute.AthenaDdlPartitionCatalog;
import dev.tokenscope.recompute.AthenaQueryEngine;
import dev.tokenscope.recompute.BucketPartitionCatalog;
import dev.tokenscope.recompute.RecomputeBusyException;
import dev.tokenscope.recompute.RecomputeService;
import dev.tokenscope.recompute.RecomputeWindow;
import dev.tokenscope.recompute.WarehouseCompactor;
import dev.tokenscope.store.DynamoRecomputeLease;
import dev.tokenscope.store.DynamoRetentionSnapshots;
import dev.tokenscope.store.DynamoUsageTable;
import dev.tokenscope.store.S3ObjectStore;
import java.time.Clock;
import java.util.Optional;

/**
 * Schedule (or an on-demand invocation with {"detail": {"from": ..., "to": ...}}) -> RecomputeService over the
 * window of days, through Athena, compacting the window into the Parquet table (partition pointers in the bucket,
 * which Athena DDL mirrors into the Glue table).
 */
public final class RecomputeHandler implements RequestHandler<ScheduledEvent, String> {

    private final RecomputeService recompute;
    private final int defaultDays;
    private final Clock clock;

    public RecomputeHandler() {
        this(Settings.fromEnvironment(Settings.Role.RECOMPUTE));
    }

    private RecomputeHandler(Settings settings) {
        this(wire(settings), settings.recomputeDays(), Clock.systemUTC());
    }

    public RecomputeHandler(RecomputeService recompute, int defaultDays, Clock clock) {
        this.recompute = recompute;
        this.defaultDays = defaultDays;
        this.clock = clock;
    }

    private static RecomputeService wire(Settings settings) {
        AwsClients aws = AwsClients.fromEnvironment();
        AthenaQueryEngine athena = new AthenaQueryEngine(aws.athena(Optional.empty()),
                settings.athenaWorkgroup().orElseThrow(), settings.glueDatabase().orElseThrow());
        var dynamo = aws.dynamo(Optional.empty());
        S3ObjectStore objects = new S3ObjectStore(aws.s3(Optional.empty()));
        AthenaDdlPartitionCatalog partitions = new AthenaDdlPartitionCatalog(
                new BucketPartitionCatalog(objects, settings.dataBucket()), athena::execute, settings.dataBucket());
        WarehouseCompactor compactor = new WarehouseCompactor(objects, settings.dataBucket(), athena, partitions,
                Clock.systemUTC());
        return new RecomputeService(athena, new DynamoUsageTable(dynamo, settings.tableName()),
                new DynamoRetentionSnapshots(dynamo, settings.tableName(), Clock.systemUTC()),
                Optional.of(compactor), new DynamoRecomputeLease(dynamo, settings.tableName(), Clock.systemUTC()));
    }

    @Override
    public String handleRequest(ScheduledEvent event, Context context) {
        var window = RecomputeWindow.of(event.getDetail(), defaultDays, clock);
        RecomputeService.Result result;
        try {
            result = recompute.recompute(window);
        } catch (RecomputeBusyException e) {
            // Not a failure to retry: the run that holds the lease does this work.
            String skipped = "recompute " + window.from() + ".." + window.to() + " skipped: " + e.getMessage();
            if (context != null) {
                context.getLogger().log(skipped + "\n");
            }
            return skipped;
        }
        String summary = "recomputed " + result.from() + ".." + result.to() + ": rows=" + result.rows()
                + " written=" + result.written() + " unchanged=" + result.unchanged() + " deleted=" + result.deleted()
                + " conflicts=" + result.conflicts()
                + " retention=" + result.retention().name().toLowerCase(java.util.Locale.ROOT)
                + result.compaction().map(c -> "; parquet: compacted=" + c.compacted().size() + " skipped="
                + c.skipped() + " removed=" + c.removed().size() + " objects_deleted=" + c.objectsDeleted()).orElse("");
        if (context != null) {
            context.getLogger().log(summary + "\n");
        }
        return summary;
    }
}
