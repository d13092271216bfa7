package dev.tokenscope.local;

import dev.tokenscope.testing.CrashingRollupStore.SimulatedCrash;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * The HTTP client under the SDK, with the faults AWS and the network have: DynamoDB throttling and 5xx answered
 * without the call being carried out, a 5xx answered after it was (the write happened, the caller cannot know),
 * S3 503 SlowDown, an object's body that breaks or ends early after some bytes, and a process that dies at its
 * k-th write (that write's body torn half-way, if asked). The SDK above it retries as it would against AWS, so
 * what these tests exercise is the real retry strategy of the clients AwsClients builds.
 */
final class FaultyHttp implements SdkHttpClient {

    /** What happens to one call. */
    enum Fault {
        NONE,
        /** DynamoDB: ProvisionedThroughputExceededException, not carried out. */
        THROUGHPUT_EXCEEDED,
        /** DynamoDB: ThrottlingException, not carried out. */
        THROTTLING,
        /** DynamoDB InternalServerError, S3 InternalError: not carried out. */
        SERVER_ERROR,
        /** The same 5xx, but after the server carried the call out. */
        SERVER_ERROR_AFTER,
        /** S3 503 SlowDown, not carried out. */
        SLOW_DOWN,
        /** A GetObject body that throws (a connection reset) after some bytes. */
        BODY_BREAKS,
        /** A GetObject body that ends (end of stream) after some bytes, short of its Content-Length. */
        BODY_ENDS_EARLY,
        /** The process dies: this call and every later one fail, nothing is sent. */
        DIE,
        /** The process dies while sending this write: half its body reaches the server. */
        TEAR_AND_DIE
    }

    /** One call as a fault plan sees it: the service, the operation, and whether it writes. */
    record Call(String service, String operation, boolean write) {
        boolean dynamo() {
            return service.equals("dynamodb");
        }
    }

    /** Decides the fault of each call; called from many threads. */
    interface Plan {
        Fault choose(Call call);

        /** After how many of its {@code length} bytes a body breaks or ends: at random unless a plan says. */
        default long cutAfter(long length, java.util.Random random) {
            return length <= 1 ? 0 : random.nextLong(length);
        }
    }

    static final Plan HEALTHY = call -> Fault.NONE;

    private final SdkHttpClient real;
    private volatile Plan plan = HEALTHY;
    private volatile boolean dead;
    private final Map<Fault, AtomicLong> injected = new ConcurrentHashMap<>();
    private final Random bodyCuts = new Random(7);

    FaultyHttp(SdkHttpClient real) {
        this.real = real;
    }

    /** From now on, calls meet this plan; a process that died stays dead until the next plan. */
    void use(Plan next) {
        plan = next;
        dead = false;
    }

    /** How many calls met each fault so far. */
    Map<Fault, Long> injected() {
        Map<Fault, Long> counts = new java.util.TreeMap<>();
        injected.forEach((fault, n) -> counts.put(fault, n.get()));
        return counts;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            private volatile ExecutableHttpRequest sent;

            @Override
            public HttpExecuteResponse call() throws IOException {
                Call call = describe(request);
                Fault fault = dead ? Fault.DIE : plan.choose(call);
                if (fault != Fault.NONE) {
                    injected.computeIfAbsent(fault, f -> new AtomicLong()).incrementAndGet();
                }
                switch (fault) {
                    case NONE:
                        sent = real.prepareRequest(request);
                        return sent.call();
                    case DIE:
                        dead = true;
                        throw new SimulatedCrash(-1);
                    case TEAR_AND_DIE:
                        dead = true;
                        tear(request);
                        throw new SimulatedCrash(-1);
                    case SERVER_ERROR_AFTER:
                        sent = real.prepareRequest(request);
                        HttpExecuteResponse done = sent.call();
                        if (done.responseBody().isPresent()) {
                            done.responseBody().get().close();
                        }
                        return error(call, Fault.SERVER_ERROR);
                    case BODY_BREAKS, BODY_ENDS_EARLY:
                        sent = real.prepareRequest(request);
                        return cutBody(sent.call(), fault);
                    default:
                        return error(call, fault);
                }
            }

            @Override
            public void abort() {
                if (sent != null) {
                    sent.abort();
                }
            }
        };
    }

    private static final Set<String> DYNAMO_WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem",
            "TransactWriteItems");

    private static final java.util.regex.Pattern PARTITION = java.util.regex.Pattern.compile(
            "\"pk\":\\{\"S\":\"([A-Z]+)#");

    /**
     * The service and operation of a call, with what it touches: for DynamoDB the kind of item (the pk's prefix:
     * R rollup, U status, UL recent upload, F retention, L lease), for S3 the key's first folder.
     */
    private static Call describe(HttpExecuteRequest request) {
        SdkHttpRequest http = request.httpRequest();
        Optional<String> target = http.firstMatchingHeader("X-Amz-Target");
        if (target.isPresent()) {
            String operation = target.get().substring(target.get().indexOf('.') + 1);
            String item = "";
            if (request.contentStreamProvider().isPresent()) {
                try (InputStream body = request.contentStreamProvider().get().newStream()) {
                    java.util.regex.Matcher m = PARTITION.matcher(new String(body.readAllBytes(),
                            StandardCharsets.UTF_8));
                    item = m.find() ? " " + m.group(1) : "";
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return new Call("dynamodb", operation + item, DYNAMO_WRITES.contains(operation));
        }
        SdkHttpMethod method = http.method();
        boolean write = method == SdkHttpMethod.PUT || method == SdkHttpMethod.POST || method == SdkHttpMethod.DELETE;
        // Path-style: /bucket/folder/...
        String[] path = http.encodedPath().split("/", 4);
        String folder = http.rawQueryParameters().containsKey("list-type") ? "list"
                : path.length > 3 ? path[2] : "object";
        return new Call("s3", method + " " + folder, write);
    }

    /** Sends the write with its body cut half-way: the server sees a connection drop mid-request. */
    private void tear(HttpExecuteRequest request) {
        Optional<ContentStreamProvider> body = request.contentStreamProvider();
        if (body.isEmpty()) {
            return;
        }
        long length = request.httpRequest().firstMatchingHeader("Content-Length").map(Long::parseLong).orElse(2L);
        HttpExecuteRequest torn = HttpExecuteRequest.builder().request(request.httpRequest())
                .contentStreamProvider(() -> new Cut(body.get().newStream(), Math.max(1, length / 2), true))
                .build();
        try {
            HttpExecuteResponse response = real.prepareRequest(torn).call();
            response.responseBody().ifPresent(b -> {
                try {
                    b.close();
                } catch (IOException ignored) {
                    // The process is dying anyway.
                }
            });
        } catch (IOException | RuntimeException expected) {
            // The body broke as intended.
        }
    }

    private HttpExecuteResponse cutBody(HttpExecuteResponse response, Fault fault) {
        if (response.responseBody().isEmpty() || response.httpResponse().statusCode() != 200) {
            return response;
        }
        long length = response.httpResponse().firstMatchingHeader("Content-Length").map(Long::parseLong).orElse(64L);
        long after;
        synchronized (bodyCuts) {
            after = plan.cutAfter(length, bodyCuts);
        }
        AbortableInputStream body = response.responseBody().get();
        return HttpExecuteResponse.builder().response(response.httpResponse())
                .responseBody(AbortableInputStream.create(new Cut(body, after, fault == Fault.BODY_BREAKS), body))
                .build();
    }

    private static HttpExecuteResponse error(Call call, Fault fault) {
        int status;
        String contentType;
        String body;
        if (call.dynamo()) {
            contentType = "application/x-amz-json-1.0";
            String type = switch (fault) {
                case THROUGHPUT_EXCEEDED -> "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException";
                case THROTTLING -> "com.amazon.coral.availability#ThrottlingException";
                default -> "com.amazonaws.dynamodb.v20120810#InternalServerError";
            };
            status = fault == Fault.SERVER_ERROR ? 500 : 400;
            body = "{\"__type\":\"" + type + "\",\"message\":\"injected by FaultyHttp\"}";
        } else {
            contentType = "application/xml";
            String code = fault == Fault.SLOW_DOWN ? "SlowDown" : "InternalError";
            status = fault == Fault.SLOW_DOWN ? 503 : 500;
            body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code
                    + "</Code><Message>injected by FaultyHttp</Message><RequestId>fault</RequestId></Error>";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpResponse http = SdkHttpResponse.builder().statusCode(status)
                .putHeader("Content-Type", contentType)
                .putHeader("Content-Length", Integer.toString(bytes.length))
                .putHeader("x-amzn-RequestId", "fault")
                .putHeader("x-amz-request-id", "fault")
                .build();
        return HttpExecuteResponse.builder().response(http)
                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes))).build();
    }

    @Override
    public void close() {
        real.close();
    }

    /** A stream that, after a number of bytes, throws (a reset connection) or ends (a short read). */
    private static final class Cut extends FilterInputStream {
        private long left;
        private final boolean breaks;

        Cut(InputStream in, long after, boolean breaks) {
            super(in);
            this.left = after;
            this.breaks = breaks;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return end();
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left <= 0) {
                return end();
            }
            int n = super.read(buffer, offset, (int) Math.min(length, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        private int end() throws IOException {
            if (breaks) {
                throw new IOException("Connection reset (injected)");
            }
            return -1;
        }
    }

    // --- plans ---

    /**
     * A process that dies at its (k+1)-th write, after k writes went through: DynamoDB PutItem / UpdateItem /
     * DeleteItem and S3 PUT / DELETE each count once, whether or not a condition lets them change anything.
     */
    static final class DieAtWrite implements Plan {
        private final int allowed;
        private final boolean tear;
        private final AtomicInteger writes = new AtomicInteger();

        DieAtWrite(int allowed, boolean tear) {
            this.allowed = allowed;
            this.tear = tear;
        }

        @Override
        public Fault choose(Call call) {
            if (!call.write()) {
                return Fault.NONE;
            }
            if (writes.incrementAndGet() <= allowed) {
                return Fault.NONE;
            }
            return tear ? Fault.TEAR_AND_DIE : Fault.DIE;
        }
    }

    /** Every GetObject of an upload (under logs/) breaks or ends after a given number of bytes. */
    record CutUploads(Fault fault, long after) implements Plan {
        @Override
        public Fault choose(Call call) {
            return call.operation().equals("GET logs") ? fault : Fault.NONE;
        }

        @Override
        public long cutAfter(long length, java.util.Random random) {
            return Math.min(after, length - 1);
        }
    }

    /** Counts the writes of a healthy run, and their operations in order (sequential steps are in order). */
    static final class CountWrites implements Plan {
        final java.util.List<String> writes = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

        @Override
        public Fault choose(Call call) {
            if (call.write()) {
                writes.add(call.service() + " " + call.operation());
            }
            return Fault.NONE;
        }
    }

    /**
     * Each call meets a fault with its service's probability, drawn from a seeded generator among those that fit it:
     * DynamoDB throttling of both kinds and 5xx before or after; S3 SlowDown and 5xx before or after, and on a
     * GetObject a body that breaks or ends early.
     */
    static final class AtRandom implements Plan {
        private final java.util.Random random;
        private final double dynamoRate;
        private final double s3Rate;

        AtRandom(long seed, double dynamoRate, double s3Rate) {
            this.random = new java.util.Random(seed);
            this.dynamoRate = dynamoRate;
            this.s3Rate = s3Rate;
        }

        @Override
        public synchronized Fault choose(Call call) {
            if (random.nextDouble() >= (call.dynamo() ? dynamoRate : s3Rate)) {
                return Fault.NONE;
            }
            Fault[] fits;
            if (call.dynamo()) {
                fits = new Fault[] {Fault.THROUGHPUT_EXCEEDED, Fault.THROTTLING, Fault.SERVER_ERROR,
                    Fault.SERVER_ERROR_AFTER};
            } else if (call.operation().startsWith("GET ") && !call.operation().equals("GET list")) {
                fits = new Fault[] {Fault.SLOW_DOWN, Fault.SERVER_ERROR, Fault.BODY_BREAKS, Fault.BODY_ENDS_EARLY};
            } else {
                fits = new Fault[] {Fault.SLOW_DOWN, Fault.SERVER_ERROR, Fault.SERVER_ERROR_AFTER};
            }
            return fits[random.nextInt(fits.length)];
        }
    }
}
