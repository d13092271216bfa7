package dev.tokenscope.testing;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.GetQueryExecutionRequest;
import software.amazon.awssdk.services.athena.model.GetQueryExecutionResponse;
import software.amazon.awssdk.services.athena.model.GetQueryResultsRequest;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionResponse;
import software.amazon.awssdk.services.athena.model.StopQueryExecutionRequest;
import software.amazon.awssdk.services.athena.model.StopQueryExecutionResponse;

/**
 * An Athena client in memory: records every start request (query text, execution parameters, workgroup) and
 * answers with the given states, in turn (the last one repeats), and result pages (the next token is the page's
 * index).
 */
public final class FakeAthena implements AthenaClient {

    public final List<QueryExecutionState> states;
    public final List<GetQueryResultsResponse> pages;
    public StartQueryExecutionRequest started;
    public final List<StartQueryExecutionRequest> starts = new ArrayList<>();
    public final List<String> tokensAsked = new ArrayList<>();
    public boolean stopped;

    public FakeAthena(List<QueryExecutionState> states, List<GetQueryResultsResponse> pages) {
        this.states = new ArrayList<>(states);
        this.pages = pages;
    }

    @Override
    public StartQueryExecutionResponse startQueryExecution(StartQueryExecutionRequest request) {
        started = request;
        starts.add(request);
        return StartQueryExecutionResponse.builder().queryExecutionId("q-" + starts.size()).build();
    }

    @Override
    public GetQueryExecutionResponse getQueryExecution(GetQueryExecutionRequest request) {
        QueryExecutionState state = states.size() > 1 ? states.remove(0) : states.get(0);
        return GetQueryExecutionResponse.builder().queryExecution(q -> q.queryExecutionId(request.queryExecutionId())
                .status(s -> s.state(state).stateChangeReason("SYNTAX_ERROR: line 1:8"))).build();
    }

    @Override
    public GetQueryResultsResponse getQueryResults(GetQueryResultsRequest request) {
        tokensAsked.add(request.nextToken());
        int page = request.nextToken() == null ? 0 : Integer.parseInt(request.nextToken());
        return pages.get(page);
    }

    @Override
    public StopQueryExecutionResponse stopQueryExecution(StopQueryExecutionRequest request) {
        stopped = true;
        return StopQueryExecutionResponse.builder().build();
    }

    @Override
    public String serviceName() {
        return "athena";
    }

    @Override
    public void close() {
    }
}
