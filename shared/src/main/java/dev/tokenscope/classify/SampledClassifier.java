package dev.tokenscope.classify;

import dev.tokenscope.classify.LlmClassifierException.Reason;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Sends a fixed fraction of the requests to an LLM classifier and the rest to the embedded one, and makes
 * the LLM's failures harmless: any exception from it (throttling, timeout, 5xx, an unusable answer) gives the
 * embedded classification for that request and is counted. It never throws what the LLM path throws and
 * never logs; the caller logs {@link #counts()}, which hold numbers and reasons, never text.
 *
 * <p>Which requests go to the LLM is decided by a stable hash of the text (the system prompt and the user
 * text, read over the same bounded head and tail the LLM is shown, plus the user text's length), not by a
 * random draw: the same prompt always goes the same way, in every run and every Lambda instance, so a
 * re-ingest gives the same rows.
 *
 * <p>A circuit breaker keeps a throttled or failing Bedrock from slowing every record: after
 * {@code breakerFailures} consecutive failures the LLM is not called for {@code breakerPause}; then one call
 * is let through, and a success closes the breaker while a failure opens it for another pause. Requests
 * skipped this way fall back too, counted as {@link Reason#CIRCUIT_OPEN}. Thread-safe.
 */
public final class SampledClassifier implements RequestClassifier {

    public static final int DEFAULT_BREAKER_FAILURES = 5;
    public static final Duration DEFAULT_BREAKER_PAUSE = Duration.ofMinutes(1);

    /**
     * What happened so far. {@code sent}: calls made to the LLM; {@code answered}: those that gave a
     * classification; {@code fellBack}: requests picked for the LLM that got the embedded classification
     * instead (failed calls plus those skipped by the open breaker), by {@code reason}. {@code lastFailure}
     * names the last failure's reason and status, never text.
     */
    public record Counts(long sent, long answered, long fellBack, Map<Reason, Long> byReason, long breakerTrips,
            Optional<String> lastFailure) {
    }

    private final RequestClassifier llm;
    private final RequestClassifier embedded;
    private final double fraction;
    private final Breaker breaker;
    private final LongSupplier nanoTime;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong fellBack = new AtomicLong();
    private final Map<Reason, AtomicLong> byReason = new EnumMap<>(Reason.class);
    private volatile String lastFailure;

    /** With the default breaker: 5 consecutive failures pause the LLM for a minute. */
    public SampledClassifier(RequestClassifier llm, RequestClassifier embedded, double fraction) {
        this(llm, embedded, fraction, DEFAULT_BREAKER_FAILURES, DEFAULT_BREAKER_PAUSE, System::nanoTime);
    }

    /**
     * @param fraction        the share of requests sent to the LLM, 0 (never) to 1 (every request with text)
     * @param breakerFailures consecutive failures that open the breaker (at least 1)
     * @param breakerPause    how long an open breaker keeps the LLM uncalled
     * @param nanoTime        the clock, {@code System::nanoTime} outside tests
     */
    public SampledClassifier(RequestClassifier llm, RequestClassifier embedded, double fraction,
            int breakerFailures, Duration breakerPause, LongSupplier nanoTime) {
        this.llm = Objects.requireNonNull(llm, "llm");
        this.embedded = Objects.requireNonNull(embedded, "embedded");
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("the sample fraction must be between 0 and 1, got " + fraction);
        }
        if (breakerFailures < 1) {
            throw new IllegalArgumentException("breakerFailures must be at least 1, got " + breakerFailures);
        }
        this.fraction = fraction;
        this.breaker = new Breaker(breakerFailures, breakerPause.toNanos());
        this.nanoTime = nanoTime;
        for (Reason r : Reason.values()) {
            byReason.put(r, new AtomicLong());
        }
    }

    public double fraction() {
        return fraction;
    }

    @Override
    public UseCaseClassification classify(Optional<String> systemPrompt, String userText, List<String> toolsOffered,
            Optional<String> app) {
        String user = userText == null ? "" : userText;
        Optional<String> system = systemPrompt.filter(s -> !s.isBlank());
        if ((user.isBlank() && system.isEmpty()) || !picked(stableHash(system, user), fraction)) {
            return embedded.classify(systemPrompt, userText, toolsOffered, app);
        }
        if (!breaker.allow(nanoTime.getAsLong())) {
            fellBack(Reason.CIRCUIT_OPEN, null);
            return embedded.classify(systemPrompt, userText, toolsOffered, app);
        }
        sent.incrementAndGet();
        try {
            UseCaseClassification result = llm.classify(systemPrompt, userText, toolsOffered, app);
            if (result == null) {
                throw new LlmClassifierException(Reason.INVALID_ANSWER, "no classification");
            }
            answered.incrementAndGet();
            breaker.success();
            return result;
        } catch (LlmClassifierException e) {
            failed(e.reason(), e.getMessage());
        } catch (RuntimeException e) {
            // Not our exception type: its message may hold anything, so only its class is kept.
            failed(Reason.OTHER, e.getClass().getName());
        }
        return embedded.classify(systemPrompt, userText, toolsOffered, app);
    }

    public Counts counts() {
        Map<Reason, Long> reasons = new EnumMap<>(Reason.class);
        byReason.forEach((r, n) -> {
            if (n.get() > 0) {
                reasons.put(r, n.get());
            }
        });
        return new Counts(sent.get(), answered.get(), fellBack.get(), Map.copyOf(reasons), breaker.trips(),
                Optional.ofNullable(lastFailure));
    }

    private void failed(Reason reason, String description) {
        if (breaker.failure(nanoTime.getAsLong())) {
            description = description + "; breaker opened";
        }
        fellBack(reason, description);
    }

    private void fellBack(Reason reason, String description) {
        fellBack.incrementAndGet();
        byReason.get(reason).incrementAndGet();
        if (description != null) {
            lastFailure = description;
        }
    }

    /** True for the share {@code fraction} of hash values, uniformly: 0 never, 1 always. */
    static boolean picked(long hash, double fraction) {
        double u = (hash >>> 11) * 0x1.0p-53;
        return u < fraction;
    }

    /**
     * FNV-1a (64 bits) over the system prompt's head, the user text's head and tail and the user text's
     * length, finished with the SplitMix64 mix so nearby texts spread over the whole range. The cost is bounded
     * whatever the prompt's length.
     */
    static long stableHash(Optional<String> system, String user) {
        long h = 0xcbf29ce484222325L;
        String s = system.orElse("");
        h = fnv(h, s, 0, Math.min(s.length(), BedrockClassifier.SYSTEM_CHARS));
        h = (h ^ 0x1F) * 0x100000001b3L;
        int head = BedrockClassifier.USER_HEAD_CHARS;
        int tail = BedrockClassifier.USER_TAIL_CHARS;
        if (user.length() <= head + tail) {
            h = fnv(h, user, 0, user.length());
        } else {
            h = fnv(h, user, 0, head);
            h = fnv(h, user, user.length() - tail, user.length());
        }
        h = (h ^ user.length()) * 0x100000001b3L;
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    private static long fnv(long h, String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            h = (h ^ (c & 0xff)) * 0x100000001b3L;
            h = (h ^ (c >>> 8)) * 0x100000001b3L;
        }
        return h;
    }

    /** Consecutive failures open it for a pause; then one trial call decides. */
    private static final class Breaker {
        private final int failures;
        private final long pauseNanos;
        private int consecutive;
        private long openedAt;
        private long trips;

        Breaker(int failures, long pauseNanos) {
            this.failures = failures;
            this.pauseNanos = pauseNanos;
        }

        synchronized boolean allow(long now) {
            if (consecutive < failures) {
                return true;
            }
            if (now - openedAt < pauseNanos) {
                return false;
            }
            // Half open: this call goes through; the others wait for another pause unless it succeeds.
            openedAt = now;
            return true;
        }

        synchronized void success() {
            consecutive = 0;
        }

        /** @return whether this failure opened the breaker */
        synchronized boolean failure(long now) {
            consecutive++;
            if (consecutive >= failures) {
                openedAt = now;
                if (consecutive == failures) {
                    trips++;
                    return true;
                }
            }
            return false;
        }

        synchronized long trips() {
            return trips;
        }
    }
}
