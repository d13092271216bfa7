package dev.tokenscope.ingest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The canonical usage record: one LLM request as tokenscope understands it, whatever log it came from.
 * Every reader produces these; docs/canonical-record.md documents each field and its spelling in files.
 *
 * @param prompt the prompt text when the log has it: used in flight (classification) and never stored by default
 */
public record UsageRecord(
        Optional<String> requestId,
        Instant timestamp,
        Optional<String> accountId,
        Optional<String> userId,
        Optional<String> app,
        Map<String, String> tags,
        Optional<String> provider,
        String model,
        long promptTokens,
        long completionTokens,
        long reasoningTokens,
        long cacheReadTokens,
        long cacheWriteTokens,
        Optional<BigDecimal> costUsd,
        Optional<String> finishReason,
        boolean toolsOffered,
        Optional<Boolean> toolCalled,
        boolean streamed,
        OptionalLong latencyMs,
        Optional<String> country,
        Optional<String> region,
        Optional<String> errorCode,
        Optional<String> prompt) {

    public UsageRecord {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(model, "model");
        tags = Map.copyOf(tags);
    }
}
