package dev.tokenscope.ingest;

import dev.tokenscope.catalog.ModelFacts;
import java.time.LocalDate;
import java.util.Optional;

/**
 * A usage record with what it tells about itself made explicit (its UTC day, the model id in normal form, the
 * finish reason in the common vocabulary, whether it ended in a tool call) and what the model catalog knows of
 * its model (empty for a model the catalog does not know: counted as unknown).
 */
public record EnrichedRecord(
        UsageRecord record,
        LocalDate day,
        String model,
        String finishReason,
        boolean toolCalled,
        Optional<ModelFacts> facts) {
}
