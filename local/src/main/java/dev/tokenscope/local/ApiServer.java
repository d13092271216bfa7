package dev.tokenscope.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves the summary API on loopback the way API Gateway does: each HTTP request becomes a payload-2.0 event for
 * the SummaryApiHandler, and its response goes back as it is.
 */
final class ApiServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private ApiServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static ApiServer start(int port, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) {
        // The JDK server leaves Nagle's algorithm on: a response's headers and body go out as two small writes, and
        // the second waits for the client's delayed ACK, about 40 ms on every keep-alive request. Read when the
        // server's configuration is first loaded; a value given on the command line wins.
        System.getProperties().putIfAbsent("sun.net.httpserver.nodelay", "true");
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
            ExecutorService executor = Executors.newFixedThreadPool(16);
            server.setExecutor(executor);
            server.createContext("/", exchange -> serve(exchange, handler));
            server.start();
            return new ApiServer(server, executor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + " (in use? try --port): "
                    + e.getMessage(), e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void serve(HttpExchange exchange,
                              RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) throws IOException {
        try (exchange) {
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
            APIGatewayV2HTTPResponse response;
            try {
                response = handler.handleRequest(LocalEvents.httpRequest(exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(), headers), null);
            } catch (RuntimeException e) {
                // As API Gateway does when a function fails: a bare 500, no detail.
                response = APIGatewayV2HTTPResponse.builder().withStatusCode(500)
                        .withHeaders(Map.of("content-type", "application/json"))
                        .withBody("{\"message\":\"Internal Server Error\"}").build();
            }
            if (response.getHeaders() != null) {
                response.getHeaders().forEach((name, value) -> exchange.getResponseHeaders().put(name, List.of(value)));
            }
            byte[] body = response.getBody() == null ? new byte[0] : response.getBody().getBytes(StandardCharsets.UTF_8);
            boolean head = "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
            exchange.sendResponseHeaders(response.getStatusCode(), head || body.length == 0 ? -1 : body.length);
            if (!head && body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
