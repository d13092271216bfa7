package dev.tokenscope.ingest;

import java.time.LocalDate;

/**
 * A usage record with what it tells about itself made explicit: its UTC day, the model id in normal form, the
 * finish reason in the common vocabulary, and whether it ended in a tool call.
 */
public record EnrichedRecord(
        UsageRecord record,
        LocalDate day,
        String model,
        String finishReason,
        boolean toolCalled) {
}
