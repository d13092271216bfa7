package dev.tokenscope.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import dev.tokenscope.aws.AwsClients;
import dev.tokenscope.catalog.CatalogOverrides;
import dev.tokenscope.catalog.ModelCatalog;
import dev.tokenscope.classify.BedrockClassifier;
import dev.tokenscope.classify.LanguageIdentifier;
import dev.tokenscope.classify.RequestClassifier;
import dev.tokenscope.classify.SampledClassifier;
import dev.tokenscope.classify.UseCaseClassifier;
import dev.tokenscope.config.Settings;
import dev.tokenscope.ingest.Enricher;
import dev.tokenscope.ingest.FormatRegistry;
import dev.tokenscope.ingest.IngestService;
import dev.tokenscope.ingest.Limits;
import dev.tokenscope.ingest.PromptStorage;
import dev.tokenscope.ingest.TimeBudget;
import dev.tokenscope.region.RegionMapping;
import dev.tokenscope.store.DynamoUsageTable;
import dev.tokenscope.store.S3ObjectStore;
import dev.tokenscope.store.UploadStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * S3 upload -> IngestService, for each object the event names. A failure throws, so Lambda retries the event;
 * objects already ingested are then recognised and not counted again. The same S3 event on the ingest's own
 * continuation objects (state/continuations/) goes on with a file the last invocation had no time to finish.
 */
public final class IngestHandler implements RequestHandler<S3Event, String> {

    /**
     * Kept back from the invocation's remaining time: the writes after the last segment (completing the upload, or
     * handing it over) must end before Lambda's timeout stops the function.
     */
    static final Duration SAFETY_MARGIN = Duration.ofSeconds(30);

    private final Supplier<IngestService> ingest;
    /** The LLM classifier when one is configured: its counts go to the log after each event. */
    private final Optional<SampledClassifier> llm;
    /** A shorter budget per invocation than Lambda's remaining time: to show continuations in tests. */
    private final Optional<Duration> budgetCap;

    public IngestHandler() {
        this(Settings.fromEnvironment(Settings.Role.INGEST), AwsClients.fromEnvironment());
    }

    public IngestHandler(IngestService ingest) {
        this(ingest, Optional.empty());
    }

    /** With at most {@code budgetCap} per invocation (also without a Lambda context, as in the local runner). */
    public IngestHandler(IngestService ingest, Optional<Duration> budgetCap) {
        this.ingest = () -> ingest;
        this.llm = Optional.empty();
        this.budgetCap = budgetCap;
    }

    /**
     * The clients, the models and the built-in catalog now, at start (into a SnapStart snapshot too); the bucket's
     * catalog overrides and region mapping on the first event (OnFirstEvent says why).
     */
    private IngestHandler(Settings settings, AwsClients aws) {
        RequestClassifier classifier = classifier(settings, aws);
        DynamoUsageTable table = new DynamoUsageTable(aws.dynamo(Optional.empty()), settings.tableName());
        S3ObjectStore objects = new S3ObjectStore(aws.s3(Optional.empty()));
        ModelCatalog.builtIn();
        this.ingest = new OnFirstEvent<>(() -> wire(settings, table, objects, classifier));
        this.llm = classifier instanceof SampledClassifier sampled ? Optional.of(sampled) : Optional.empty();
        this.budgetCap = Optional.empty();
    }

    private static IngestService wire(Settings settings, DynamoUsageTable table, S3ObjectStore objects,
                                      RequestClassifier classifier) {
        Enricher enricher = new Enricher(CatalogOverrides.load(objects, settings.dataBucket()),
                classifier, RegionMapping.load(objects, settings.dataBucket()));
        return new IngestService(objects, table, table, settings.dataBucket(),
                Path.of(System.getProperty("java.io.tmpdir")), Clock.systemUTC(),
                FormatRegistry.standard(FormatRegistry.parsePrefixMap(settings.formatByPrefix())), Limits.DEFAULT,
                enricher, PromptStorage.of(settings.promptHashKey(), settings.storePromptText()));
    }

    /**
     * The embedded use-case model, or, when a Bedrock model is configured, a sample of requests sent to it with
     * the embedded model for the rest and for any call that fails.
     */
    private static RequestClassifier classifier(Settings settings, AwsClients aws) {
        if (settings.useCaseLlmModelId().isEmpty()) {
            return UseCaseClassifier.standard();
        }
        BedrockClassifier llm = new BedrockClassifier(
                aws.bedrock(Optional.empty(), Duration.ofMillis(settings.useCaseLlmTimeoutMs())),
                settings.useCaseLlmModelId(), LanguageIdentifier.standard());
        return new SampledClassifier(llm, UseCaseClassifier.standard(), settings.useCaseLlmSample());
    }

    /** What is left of this invocation: Lambda's remaining time less the margin, within the cap if one is set. */
    private TimeBudget budget(Context context) {
        long start = System.nanoTime();
        return () -> {
            long left = context == null ? Long.MAX_VALUE
                    : context.getRemainingTimeInMillis() - SAFETY_MARGIN.toMillis();
            if (budgetCap.isPresent()) {
                left = Math.min(left, budgetCap.get().toMillis() - (System.nanoTime() - start) / 1_000_000);
            }
            return left;
        };
    }

    @Override
    public String handleRequest(S3Event event, Context context) {
        TimeBudget budget = budget(context);
        List<String> outcomes = new ArrayList<>();
        for (S3EventNotificationRecord record : event.getRecords()) {
            if (record.getEventName() == null || !record.getEventName().startsWith("ObjectCreated")) {
                continue;
            }
            var object = record.getS3().getObject();
            UploadStatus status = ingest.get().ingest(new IngestService.Upload(
                    record.getS3().getBucket().getName(),
                    object.getUrlDecodedKey(),
                    Optional.ofNullable(object.geteTag()).filter(s -> !s.isBlank()),
                    Optional.ofNullable(object.getSequencer()).filter(s -> !s.isBlank())), budget);
            String outcome = "s3://" + status.bucket() + "/" + status.key() + " " + status.state().name().toLowerCase()
                    + " read=" + status.recordsRead() + " kept=" + status.recordsKept()
                    + " quarantined=" + status.recordsQuarantined() + " rollup_writes=" + status.rollupWrites();
            if (context != null) {
                context.getLogger().log(outcome + "\n");
            }
            outcomes.add(outcome);
        }
        if (context != null && llm.isPresent()) {
            // Totals since the container started: how many requests the LLM labelled, and why any fell back.
            SampledClassifier.Counts c = llm.get().counts();
            context.getLogger().log("llm_classifier sent=" + c.sent() + " answered=" + c.answered() + " fell_back="
                    + c.fellBack() + " by_reason=" + c.byReason() + " breaker_trips=" + c.breakerTrips() + "\n");
        }
        return String.join("\n", outcomes);
    }
}
