package dev.tokenscope.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.tokenscope.api.ApiRequest;
import dev.tokenscope.api.ApiResponse;
import dev.tokenscope.api.SummaryApi;
import dev.tokenscope.aws.AwsClients;
import dev.tokenscope.catalog.CatalogOverrides;
import dev.tokenscope.catalog.ModelCatalog;
import dev.tokenscope.config.Settings;
import dev.tokenscope.store.DynamoRetentionSnapshots;
import dev.tokenscope.store.DynamoUsageTable;
import dev.tokenscope.store.S3ObjectStore;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** HTTP API (payload format 2.0) -> SummaryApi. */
public final class SummaryApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final Supplier<SummaryApi> api;

    public SummaryApiHandler() {
        this(Settings.fromEnvironment(Settings.Role.API), AwsClients.fromEnvironment());
    }

    public SummaryApiHandler(SummaryApi api) {
        this.api = () -> api;
    }

    /**
     * The clients and the built-in catalog now, at start (into a SnapStart snapshot too); the bucket's catalog
     * overrides on the first request (OnFirstEvent says why).
     */
    private SummaryApiHandler(Settings settings, AwsClients aws) {
        var dynamo = aws.dynamo(Optional.empty());
        DynamoUsageTable table = new DynamoUsageTable(dynamo, settings.tableName());
        var retention = new DynamoRetentionSnapshots(dynamo, settings.tableName(), Clock.systemUTC());
        S3ObjectStore objects = new S3ObjectStore(aws.s3(Optional.empty()));
        ModelCatalog.builtIn();
        this.api = new OnFirstEvent<>(() -> new SummaryApi(table, table, retention, settings.dataBucket(),
                Clock.systemUTC(), CatalogOverrides.load(objects, settings.dataBucket())));
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String method = event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                ? event.getRequestContext().getHttp().getMethod() : "GET";
        Map<String, String> query = event.getQueryStringParameters() == null ? Map.of()
                : event.getQueryStringParameters();
        Map<String, String> headers = event.getHeaders() == null ? Map.of() : event.getHeaders();
        ApiResponse response = api.get().handle(new ApiRequest(method, event.getRawPath(), query, headers));
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(response.headers())
                .withBody(response.body())
                .withIsBase64Encoded(false)
                .build();
    }
}
