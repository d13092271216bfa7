package dev.tokenscope.store;

import java.time.LocalDate;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where things live in the data bucket, and the schema of the warehouse table (the Glue table in template.yaml
 * declares the same columns; a test keeps them equal).
 */
public final class WarehouseLayout {

    public static final String RECORDS_PREFIX = "warehouse/records/";
    public static final String QUARANTINE_PREFIX = "quarantine/";
    public static final String STATE_PREFIX = "state/uploads/";
    /** What each segment after the first of an upload added: its deltas and objects (UploadManifest.Segment). */
    public static final String SEGMENTS_PREFIX = "state/segments/";
    /**
     * Hand-overs of uploads too long for one invocation: the ingest function's own S3 event on this prefix (suffix
     * {@link #CONTINUATION_SUFFIX}) invokes it again to go on (template.yaml).
     */
    public static final String CONTINUATIONS_PREFIX = "state/continuations/";
    public static final String CONTINUATION_SUFFIX = ".json";
    /** The Parquet copy of the records: one folder per compaction run, then per day (WarehouseCompactor). */
    public static final String PARQUET_PREFIX = "warehouse/parquet/";
    /** The Glue table over the Parquet copy; its partitions are registered, not projected. */
    public static final String PARQUET_TABLE = "records_parquet";

    /** Column name and Hive/Athena type, in file order; `day` is the partition column. */
    public record Column(String name, String type) {
    }

    public static final List<Column> COLUMNS = List.of(
            new Column("upload_id", "string"),
            new Column("source_key", "string"),
            new Column("source_line", "bigint"),
            new Column("request_id", "string"),
            new Column("ts", "string"),
            new Column("account_id", "string"),
            new Column("user_id", "string"),
            new Column("app", "string"),
            new Column("tags", "map<string,string>"),
            new Column("provider", "string"),
            new Column("model", "string"),
            new Column("model_raw", "string"),
            new Column("requests", "bigint"),
            new Column("model_id", "string"),
            new Column("author", "string"),
            new Column("origin", "string"),
            new Column("open_weights", "boolean"),
            new Column("size_bucket", "string"),
            new Column("reasoning_model", "boolean"),
            new Column("language", "string"),
            new Column("category", "string"),
            new Column("subtag", "string"),
            new Column("category_confidence", "double"),
            new Column("prompt_tokens", "bigint"),
            new Column("completion_tokens", "bigint"),
            new Column("reasoning_tokens", "bigint"),
            new Column("cache_read_tokens", "bigint"),
            new Column("cache_write_tokens", "bigint"),
            new Column("cost_usd", "decimal(38,10)"),
            new Column("cost_source", "string"),
            new Column("cost_mismatch", "boolean"),
            new Column("finish_reason", "string"),
            new Column("tools_offered", "boolean"),
            new Column("tool_called", "boolean"),
            new Column("streamed", "boolean"),
            new Column("latency_ms", "bigint"),
            new Column("country", "string"),
            new Column("continent", "string"),
            new Column("region", "string"),
            new Column("error_code", "string"),
            new Column("prompt_hash", "string"),
            new Column("prompt_text", "string"));

    public static final String PARTITION_COLUMN = "day";

    private static final String RUN_FOLDER = Pattern.quote(PARQUET_PREFIX) + "run=(\\d{8}T\\d{6}Z-[0-9a-f]{6})/";

    /**
     * A folder {@link #parquetRunPrefix} names, and nothing else: group 1 is the run id. Strict, as UNLOAD writes
     * such a folder into its text (its TO cannot be a parameter).
     */
    public static final Pattern PARQUET_RUN_FOLDER = Pattern.compile(RUN_FOLDER);

    /**
     * A folder {@link #parquetDayPrefix} names, and nothing else: group 1 is the run id, group 2 the day. Strict, as
     * the partition DDL writes such a folder into its text.
     */
    public static final Pattern PARQUET_DAY_FOLDER = Pattern.compile(RUN_FOLDER + PARTITION_COLUMN
            + "=(\\d{4}-\\d{2}-\\d{2})/");

    /**
     * An S3 bucket name as S3 allows it (lower-case letters, digits, dots and hyphens): no quote, space, comment or
     * line break, nothing that could end a SQL string literal. Checked before a bucket is written into SQL text.
     */
    public static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private WarehouseLayout() {
    }

    /** The warehouse object for one source object's records of one day: a re-ingest overwrites it. */
    public static String recordsKey(LocalDate day, String sourceId) {
        return recordsDayPrefix(day) + sourceId + ".json.gz";
    }

    /** The folder of one day's raw records, as the partition projection of `records` names it. */
    public static String recordsDayPrefix(LocalDate day) {
        return RECORDS_PREFIX + PARTITION_COLUMN + "=" + day + "/";
    }

    /** The folder one compaction run writes its Parquet files under. */
    public static String parquetRunPrefix(String runId) {
        return PARQUET_PREFIX + "run=" + runId + "/";
    }

    /** The folder of one day of one compaction run: what the day's partition points at. */
    public static String parquetDayPrefix(String runId, LocalDate day) {
        return parquetRunPrefix(runId) + PARTITION_COLUMN + "=" + day + "/";
    }

    /**
     * The warehouse object for one segment of an upload of a source object, for one day. Segment 0's is {@link
     * #recordsKey(LocalDate, String)}, so a file of one segment writes what it wrote before segments existed; a
     * later segment's names its upload, so no other version of the object ever writes it (docs/storage.md).
     */
    public static String recordsKey(LocalDate day, String sourceId, String uploadId, int segment) {
        return recordsKey(day, segmentSource(sourceId, uploadId, segment));
    }

    public static String quarantineKey(String sourceId) {
        return QUARANTINE_PREFIX + sourceId + ".jsonl";
    }

    /** The bad lines of one segment of an upload; segment 0's is {@link #quarantineKey(String)}. */
    public static String quarantineKey(String sourceId, String uploadId, int segment) {
        return quarantineKey(segmentSource(sourceId, uploadId, segment));
    }

    private static String segmentSource(String sourceId, String uploadId, int segment) {
        return segment == 0 ? sourceId : sourceId + "." + uploadId + "." + segment;
    }

    /** The record of one segment (after the first) of an upload of a source object. */
    public static String segmentKey(String sourceId, String segmentId) {
        return SEGMENTS_PREFIX + sourceId + "/" + segmentId + ".json";
    }

    /** Every segment record of one upload: upload ids have a fixed length, so the dot ends the id. */
    public static String segmentsPrefix(String sourceId, String uploadId) {
        return SEGMENTS_PREFIX + sourceId + "/" + uploadId + ".";
    }

    /** The continuation that starts the given segment of an upload in a new invocation. */
    public static String continuationKey(String sourceId, String segmentId) {
        return CONTINUATIONS_PREFIX + sourceId + "/" + segmentId + CONTINUATION_SUFFIX;
    }

    public static String manifestKey(String sourceId) {
        return STATE_PREFIX + sourceId + ".json";
    }
}
