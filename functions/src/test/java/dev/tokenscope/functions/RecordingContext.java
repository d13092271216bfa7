package dev.tokenscope.functions;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;

/** A Lambda Context for tests: fixed names, and a logger that keeps what the handler logged. */
final class RecordingContext implements Context {

    private final StringBuilder log = new StringBuilder();
    private final int remainingMillis;

    RecordingContext() {
        this(60_000);
    }

    /** An invocation with this much time left, however long it runs. */
    RecordingContext(int remainingMillis) {
        this.remainingMillis = remainingMillis;
    }

    String logged() {
        return log.toString();
    }

    @Override
    public String getAwsRequestId() {
        return "test-request";
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/test";
    }

    @Override
    public String getLogStreamName() {
        return "test-stream";
    }

    @Override
    public String getFunctionName() {
        return "test-function";
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:123456789012:function:test-function";
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return remainingMillis;
    }

    @Override
    public int getMemoryLimitInMB() {
        return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                log.append(message);
            }

            @Override
            public void log(byte[] message) {
                log.append(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
