package dev.tokenscope.api;

import java.util.Map;

/** An HTTP request as the API sees it, whatever carried it (API Gateway, the local runner). */
public record ApiRequest(String method, String path, Map<String, String> query) {

    public ApiRequest {
        query = Map.copyOf(query);
    }
}
