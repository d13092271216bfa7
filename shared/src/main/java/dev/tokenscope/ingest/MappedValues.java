package dev.tokenscope.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Deque;

/** The parsed lines one mapped value gives, queued for a reader to hand out one at a time. */
final class MappedValues {

    private final String file;
    private final RecordMapper mapper;
    private final Deque<ParsedLine> pending = new ArrayDeque<>();

    MappedValues(String file, RecordMapper mapper) {
        this.file = file;
        this.mapper = mapper;
    }

    /** Maps a value found at a line; its records and errors are then taken with poll(). */
    void map(JsonNode value, long line) {
        try {
            mapper.map(value, new RecordMapper.Sink() {
                @Override
                public void record(UsageRecord record) {
                    pending.add(new ParsedLine.Good(line, record));
                }

                @Override
                public void error(String reason) {
                    pending.add(bad(line, reason));
                }
            });
        } catch (InvalidFieldException e) {
            pending.clear();
            pending.add(bad(line, e.getMessage()));
        }
    }

    ParsedLine bad(long line, String reason) {
        return new ParsedLine.Bad(line, new LineError(file, line, reason));
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    ParsedLine poll() {
        return pending.poll();
    }
}
