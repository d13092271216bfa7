package dev.tokenscope.ingest;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tokenscope.catalog.ModelFacts;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * Writes enriched records as gzip JSON Lines, one temporary file per UTC day, ready to upload as the day's
 * warehouse object. Spills to disk so an upload of any size needs constant memory. The prompt is not written
 * unless the user turned on its keyed hash or its text ({@link PromptStorage}); both are null otherwise.
 */
final class WarehouseWriter implements Closeable {

    private static final JsonFactory JSON = new JsonFactory();

    private final Path directory;
    private final String uploadId;
    private final String sourceKey;
    private final Map<LocalDate, DayFile> days = new TreeMap<>();
    private final Optional<PromptStorage.Hasher> hasher;
    private final boolean storeText;

    WarehouseWriter(Path directory, String uploadId, String sourceKey, PromptStorage prompts) {
        this.directory = directory;
        this.uploadId = uploadId;
        this.sourceKey = sourceKey;
        this.hasher = prompts.hasher();
        this.storeText = prompts.storeText();
    }

    private static final class DayFile {
        final Path path;
        final OutputStream out;
        final JsonGenerator json;

        DayFile(Path path) throws IOException {
            this.path = path;
            this.out = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(path), 1 << 16), 1 << 16);
            this.json = JSON.createGenerator(out, JsonEncoding.UTF8);
            this.json.setRootValueSeparator(null);
        }
    }

    void write(EnrichedRecord enriched, long sourceLine) {
        try {
            DayFile file = days.get(enriched.day());
            if (file == null) {
                file = new DayFile(Files.createTempFile(directory, "day-" + enriched.day() + "-", ".json.gz"));
                days.put(enriched.day(), file);
            }
            writeRecord(file.json, enriched, sourceLine);
            file.json.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the warehouse file for " + enriched.day(), e);
        }
    }

    private void writeRecord(JsonGenerator g, EnrichedRecord e, long sourceLine) throws IOException {
        UsageRecord r = e.record();
        g.writeStartObject();
        g.writeStringField("upload_id", uploadId);
        g.writeStringField("source_key", sourceKey);
        g.writeNumberField("source_line", sourceLine);
        optional(g, "request_id", r.requestId());
        g.writeStringField("ts", r.timestamp().toString());
        optional(g, "account_id", r.accountId());
        optional(g, "user_id", r.userId());
        optional(g, "app", r.app());
        g.writeObjectFieldStart("tags");
        for (Map.Entry<String, String> tag : r.tags().entrySet()) {
            g.writeStringField(tag.getKey(), tag.getValue());
        }
        g.writeEndObject();
        optional(g, "provider", r.provider());
        g.writeStringField("model", e.model());
        g.writeStringField("model_raw", r.model());
        g.writeNumberField("requests", r.requests());
        writeFacts(g, e);
        g.writeNumberField("prompt_tokens", r.promptTokens());
        g.writeNumberField("completion_tokens", r.completionTokens());
        g.writeNumberField("reasoning_tokens", r.reasoningTokens());
        g.writeNumberField("cache_read_tokens", r.cacheReadTokens());
        g.writeNumberField("cache_write_tokens", r.cacheWriteTokens());
        if (e.cost().isPresent()) {
            g.writeNumberField("cost_usd", e.cost().get());
        } else {
            g.writeNullField("cost_usd");
        }
        g.writeStringField("cost_source", e.costSource());
        g.writeBooleanField("cost_mismatch", e.costMismatch());
        g.writeStringField("finish_reason", e.finishReason());
        g.writeBooleanField("tools_offered", r.toolsOffered());
        g.writeBooleanField("tool_called", e.toolCalled());
        g.writeBooleanField("streamed", r.streamed());
        if (r.latencyMs().isPresent()) {
            g.writeNumberField("latency_ms", r.latencyMs().getAsLong());
        } else {
            g.writeNullField("latency_ms");
        }
        optional(g, "country", e.country());
        optional(g, "continent", e.continent());
        optional(g, "region", r.region());
        optional(g, "error_code", r.errorCode());
        optional(g, "prompt_hash", hasher.flatMap(h -> r.prompt().map(h::hash)));
        optional(g, "prompt_text", storeText ? r.prompt() : Optional.empty());
        g.writeEndObject();
    }

    /** What the catalog knows of the model; a model it does not know is "unknown" (its facts null). */
    private static void writeFacts(JsonGenerator g, EnrichedRecord e) throws IOException {
        Optional<ModelFacts> facts = e.facts();
        g.writeStringField("model_id", facts.map(ModelFacts::id).orElse(e.model()));
        g.writeStringField("author", facts.map(ModelFacts::author).orElse(ModelFacts.UNKNOWN));
        g.writeStringField("origin", facts.map(ModelFacts::origin).orElse(ModelFacts.UNKNOWN));
        optionalFlag(g, "open_weights", facts.flatMap(ModelFacts::openWeights));
        g.writeStringField("size_bucket", facts.map(ModelFacts::sizeBucket).orElse(ModelFacts.UNKNOWN));
        optionalFlag(g, "reasoning_model", facts.flatMap(ModelFacts::reasoning));
        optional(g, "language", e.language());
        g.writeStringField("category", e.useCase().category());
        optional(g, "subtag", e.useCase().subtag());
        g.writeNumberField("category_confidence", Math.round(e.useCase().confidence() * 1000) / 1000.0);
    }

    private static void optionalFlag(JsonGenerator g, String field, Optional<Boolean> value) throws IOException {
        if (value.isPresent()) {
            g.writeBooleanField(field, value.get());
        } else {
            g.writeNullField(field);
        }
    }

    private static void optional(JsonGenerator g, String field, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            g.writeStringField(field, value.get());
        } else {
            g.writeNullField(field);
        }
    }

    /** Finishes every day's file and returns them by day. */
    Map<LocalDate, Path> finish() {
        Map<LocalDate, Path> result = new TreeMap<>();
        for (Map.Entry<LocalDate, DayFile> entry : days.entrySet()) {
            try {
                entry.getValue().json.close();
                entry.getValue().out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("could not finish the warehouse file for " + entry.getKey(), e);
            }
            result.put(entry.getKey(), entry.getValue().path);
        }
        return result;
    }

    @Override
    public void close() {
        for (DayFile file : days.values()) {
            try {
                file.json.close();
                file.out.close();
            } catch (IOException ignored) {
                // Best effort: the files are temporary and deleted next.
            }
            try {
                Files.deleteIfExists(file.path);
            } catch (IOException ignored) {
                // A leftover temp file is harmless.
            }
        }
    }
}
