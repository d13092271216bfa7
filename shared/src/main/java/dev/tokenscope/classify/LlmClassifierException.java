package dev.tokenscope.classify;

/**
 * Why an LLM classifier gave no usable answer for one request. {@link SampledClassifier} catches it, counts it
 * by {@link #reason()} and falls back to the embedded classifier.
 *
 * <p>The message names the reason, the HTTP status and the service's error code, never the prompt text nor
 * the service's or the model's own words (they may quote the prompt); for the same reason the SDK exception
 * is not attached as the cause.
 */
public final class LlmClassifierException extends RuntimeException {

    /** What went wrong, coarse enough to count. */
    public enum Reason {
        /** 429: the account's or the model's quota (ThrottlingException, ModelNotReadyException). */
        THROTTLED,
        /** The client's per-call timeout, or the model's own timeout (408). */
        TIMEOUT,
        /** 5xx from the service. */
        SERVER_ERROR,
        /** Any other 4xx: access denied, unknown model id, validation. Repeats until the settings change. */
        REJECTED,
        /** No HTTP answer at all: connection refused or reset, DNS. */
        UNREACHABLE,
        /** An answer came but was not exactly one JSON object with a known category and a valid sub-tag. */
        INVALID_ANSWER,
        /** Not called: the circuit breaker is open after consecutive failures. */
        CIRCUIT_OPEN,
        /** Anything else. */
        OTHER
    }

    private final Reason reason;

    public LlmClassifierException(Reason reason, String message) {
        super(reason + ": " + message, null, false, true);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
