package dev.tokenscope.local.generate;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One generated request as the generator meant it: what every format writes, plus what no log carries (category,
 * language, cohort, the model's class) so tests can compare what tokenscope recovers with what was planted.
 */
public record SyntheticRequest(String requestId, Instant timestamp, int week, String userId, int cohort,
        String country, String category, String language, WorkloadModel model, long promptTokens,
        long completionTokens, long reasoningTokens, BigDecimal costUsd, String finishReason, boolean toolsOffered,
        boolean toolCalled, List<String> tools, boolean streamed, long latencyMs, String prompt,
        String systemPrompt) {

    public SyntheticRequest {
        tools = List.copyOf(tools);
    }

    /** The report's token volume: prompt plus completion (reasoning is part of the completion). */
    public long tokens() {
        return promptTokens + completionTokens;
    }
}
