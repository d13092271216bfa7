package dev.tokenscope.ingest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The canonical usage record: one LLM request as tokenscope understands it, whatever log it came from.
 * Every reader produces these; docs/canonical-record.md documents each field and its spelling in files.
 *
 * @param requests how many requests the record stands for: 1 for a request log; a pre-aggregated usage bucket
 *                 (OpenAI's usage API, OpenRouter's activity) carries its count; 0 for a cost-only line item
 * @param prompt the user's text when the log has it (the user turns of a chat): used in flight (classification)
 *               and never stored by default
 * @param systemPrompt the system (or developer) instructions when the log has them: used in flight, never stored
 * @param tools names of the tools the request offered, when the log lists them (then toolsOffered is true)
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
        long requests,
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
        Optional<String> prompt,
        Optional<String> systemPrompt,
        List<String> tools) {

    public UsageRecord {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(model, "model");
        tags = Map.copyOf(tags);
        tools = List.copyOf(tools);
        toolsOffered = toolsOffered || !tools.isEmpty();
    }

    /** Whether the log holds any text of the request: user text or system instructions. */
    public boolean hasText() {
        return prompt.isPresent() || systemPrompt.isPresent();
    }

    public static Builder builder(Instant timestamp, String model) {
        return new Builder(timestamp, model);
    }

    /** Builds a record field by field: every reader names what its format has and leaves the rest unknown. */
    public static final class Builder {
        private Optional<String> requestId = Optional.empty();
        private final Instant timestamp;
        private Optional<String> accountId = Optional.empty();
        private Optional<String> userId = Optional.empty();
        private Optional<String> app = Optional.empty();
        private Map<String, String> tags = Map.of();
        private Optional<String> provider = Optional.empty();
        private final String model;
        private long requests = 1;
        private long promptTokens;
        private long completionTokens;
        private long reasoningTokens;
        private long cacheReadTokens;
        private long cacheWriteTokens;
        private Optional<BigDecimal> costUsd = Optional.empty();
        private Optional<String> finishReason = Optional.empty();
        private boolean toolsOffered;
        private Optional<Boolean> toolCalled = Optional.empty();
        private boolean streamed;
        private OptionalLong latencyMs = OptionalLong.empty();
        private Optional<String> country = Optional.empty();
        private Optional<String> region = Optional.empty();
        private Optional<String> errorCode = Optional.empty();
        private Optional<String> prompt = Optional.empty();
        private Optional<String> systemPrompt = Optional.empty();
        private List<String> tools = List.of();

        private Builder(Instant timestamp, String model) {
            this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
            this.model = Objects.requireNonNull(model, "model");
        }

        public Builder requestId(Optional<String> v) { requestId = v; return this; }
        public Builder accountId(Optional<String> v) { accountId = v; return this; }
        public Builder userId(Optional<String> v) { userId = v; return this; }
        public Builder app(Optional<String> v) { app = v; return this; }
        public Builder tags(Map<String, String> v) { tags = v; return this; }
        public Builder provider(Optional<String> v) { provider = v; return this; }
        public Builder requests(long v) { requests = v; return this; }
        public Builder promptTokens(long v) { promptTokens = v; return this; }
        public Builder completionTokens(long v) { completionTokens = v; return this; }
        public Builder reasoningTokens(long v) { reasoningTokens = v; return this; }
        public Builder cacheReadTokens(long v) { cacheReadTokens = v; return this; }
        public Builder cacheWriteTokens(long v) { cacheWriteTokens = v; return this; }
        public Builder costUsd(Optional<BigDecimal> v) { costUsd = v; return this; }
        public Builder finishReason(Optional<String> v) { finishReason = v; return this; }
        public Builder toolsOffered(boolean v) { toolsOffered = v; return this; }
        public Builder toolCalled(Optional<Boolean> v) { toolCalled = v; return this; }
        public Builder streamed(boolean v) { streamed = v; return this; }
        public Builder latencyMs(OptionalLong v) { latencyMs = v; return this; }
        public Builder country(Optional<String> v) { country = v; return this; }
        public Builder region(Optional<String> v) { region = v; return this; }
        public Builder errorCode(Optional<String> v) { errorCode = v; return this; }
        public Builder prompt(Optional<String> v) { prompt = v; return this; }
        public Builder systemPrompt(Optional<String> v) { systemPrompt = v; return this; }
        public Builder tools(List<String> v) { tools = v; return this; }

        public UsageRecord build() {
            return new UsageRecord(requestId, timestamp, accountId, userId, app, tags, provider, model, requests,
                    promptTokens, completionTokens, reasoningTokens, cacheReadTokens, cacheWriteTokens, costUsd,
                    finishReason, toolsOffered, toolCalled, streamed, latencyMs, country, region, errorCode, prompt,
                    systemPrompt, tools);
        }
    }
}
