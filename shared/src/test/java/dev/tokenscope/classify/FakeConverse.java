package dev.tokenscope.classify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tokenscope.aws.AwsClients;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * A local stand-in for the Bedrock Runtime Converse endpoint ({@code POST /model/{modelId}/converse}) on a free
 * loopback port: it records what it receives and answers with the JSON shapes AWS documents, an error in the
 * REST-JSON form (status, {@code X-Amzn-ErrorType} header, {@code {"message"}} body) or a late answer.
 */
final class FakeConverse implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the server saw it; {@code modelId} is url-decoded from the path. */
    record Received(String method, String modelId, String body) {
    }

    /** What the server sends back, after {@code delayMillis}. */
    record Reply(int status, Optional<String> errorType, String body, long delayMillis) {

        /** A 200 whose assistant message holds {@code modelText} as its one text block. */
        static Reply answer(String modelText) {
            ObjectNode root = JSON.createObjectNode();
            ObjectNode message = root.putObject("output").putObject("message");
            message.put("role", "assistant");
            message.putArray("content").addObject().put("text", modelText);
            root.put("stopReason", "end_turn");
            root.putObject("usage").put("inputTokens", 812).put("outputTokens", 21).put("totalTokens", 833);
            root.putObject("metrics").put("latencyMs", 245);
            return new Reply(200, Optional.empty(), root.toString(), 0);
        }

        static Reply error(int status, String type, String message) {
            return new Reply(status, Optional.of(type + ":http://internal.amazon.com/coral/com.amazon.bedrock/"),
                    JSON.createObjectNode().put("message", message).toString(), 0);
        }

        Reply after(Duration delay) {
            return new Reply(status, errorType, body, delay.toMillis());
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Function<String, Reply> responder = body -> Reply.answer(
            "{\"category\":\"other\",\"subtag\":null,\"confidence\":0.9}");

    private FakeConverse(HttpServer server) {
        this.server = server;
    }

    static FakeConverse start() throws IOException {
        // Without it each small answer waits for the client's delayed ACK (about 40 ms a call).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        FakeConverse fake = new FakeConverse(server);
        server.createContext("/", fake::handle);
        server.setExecutor(fake.executor);
        server.start();
        return fake;
    }

    /** Every request gets this reply. */
    FakeConverse replying(Reply reply) {
        this.responder = body -> reply;
        return this;
    }

    /** Each request gets the reply computed from its body. */
    FakeConverse replying(Function<String, Reply> responder) {
        this.responder = responder;
        return this;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A real client, built the way production builds it, pointed here with dummy credentials. */
    BedrockRuntimeClient client(Duration callTimeout) {
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "test-secret"));
        return new AwsClients(Region.US_EAST_1, credentials).bedrock(Optional.of(endpoint()), callTimeout);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            String prefix = "/model/";
            String suffix = "/converse";
            if (!path.startsWith(prefix) || !path.endsWith(suffix) || !"POST".equals(exchange.getRequestMethod())) {
                send(exchange, Reply.error(404, "UnknownOperationException", "not the Converse operation"));
                return;
            }
            received.add(new Received(exchange.getRequestMethod(),
                    path.substring(prefix.length(), path.length() - suffix.length()), body));
            Reply reply = responder.apply(body);
            if (reply.delayMillis() > 0) {
                try {
                    Thread.sleep(reply.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            send(exchange, reply);
        }
    }

    private static void send(HttpExchange exchange, Reply reply) {
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("x-amzn-RequestId", "0f1e2d3c-test");
        reply.errorType().ifPresent(t -> exchange.getResponseHeaders().set("X-Amzn-ErrorType", t));
        try {
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // The client gave up (its timeout): nobody to answer.
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
