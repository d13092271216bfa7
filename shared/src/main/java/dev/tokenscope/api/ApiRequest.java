package dev.tokenscope.api;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request as the API sees it, whatever carried it (API Gateway, the local runner). Header names are
 * compared in lower case, as HTTP/2 and API Gateway's payload 2.0 send them.
 */
public record ApiRequest(String method, String path, Map<String, String> query, Map<String, String> headers) {

    public ApiRequest {
        query = Map.copyOf(query);
        Map<String, String> lower = new TreeMap<>();
        headers.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
        headers = Map.copyOf(lower);
    }

    public ApiRequest(String method, String path, Map<String, String> query) {
        this(method, path, query, Map.of());
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
}
