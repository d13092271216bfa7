package dev.tokenscope.ingest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Maps one value of a format (a JSON value, or a CSV row seen as an object of strings) to canonical records. A
 * value may hold many records (a page of usage buckets, a batch of spans) or none (a span or observation that is
 * not a model call).
 */
@FunctionalInterface
public interface RecordMapper {

    /** Emits the value's records and errors. Throwing InvalidFieldException makes the whole value one error. */
    void map(JsonNode value, Sink sink);

    /** Where a mapper puts what it found in one value. */
    interface Sink {
        void record(UsageRecord record);

        void error(String reason);
    }
}
