-- The per-day rollups of a window of days, in every dimension, rebuilt from the warehouse table.
-- A record stands for `requests` requests (1 for a request log, a bucket's count for pre-aggregated usage).
-- Each record counts once in every dimension; the values are those of dev.tokenscope.aggregate.Dimension
-- (keep the two equal: the integration tests compare online and recomputed rollups).
-- Parameters: 1 = first day, 2 = last day (YYYY-MM-DD, inclusive). Athena (Trino) SQL; DuckDB runs it through
-- the shim macros in DuckDbQueryEngine (array_join). upload_ids lets the rebuilt item refuse deltas it holds.
WITH base AS (
    SELECT
        day,
        upload_id,
        requests,
        prompt_tokens,
        completion_tokens,
        reasoning_tokens,
        cache_read_tokens,
        cache_write_tokens,
        cost_usd,
        tool_called,
        model_id,
        author,
        model AS v_model,
        category AS v_category,
        CASE WHEN subtag IS NULL THEN category ELSE category || '/' || subtag END AS v_subtag,
        coalesce(language, 'unknown') AS v_language,
        author AS v_author,
        origin AS v_origin,
        open_weights,
        CASE WHEN open_weights THEN 'open' WHEN NOT open_weights THEN 'proprietary' ELSE 'unknown' END
            AS v_open_weights,
        size_bucket AS v_size,
        CASE WHEN reasoning_model THEN 'reasoning' WHEN NOT reasoning_model THEN 'non_reasoning' ELSE 'unknown' END
            AS v_reasoning,
        CASE WHEN tool_called THEN 'called' WHEN tools_offered THEN 'offered' ELSE 'none' END AS v_tool_use,
        coalesce(country, 'unknown') AS v_country,
        coalesce(continent, 'unknown') AS v_continent
    FROM records
    WHERE day BETWEEN ? AND ?
),
-- The pairs, from the single values above.
r AS (
    SELECT
        base.*,
        v_category || '|' || v_open_weights AS v_category_open,
        v_open_weights || '|' || v_origin AS v_open_origin,
        CASE WHEN open_weights THEN model_id ELSE v_open_weights END AS v_open_model,
        CASE WHEN open_weights THEN author ELSE v_open_weights END AS v_open_author,
        v_category || '|' || v_author AS v_category_author
    FROM base
)
-- One scan of the window: each record is joined to the dimension names and takes that dimension's value
-- (a UNION ALL of one SELECT per dimension over r would read the partitions once per dimension on engines that do
-- not keep r).
SELECT
    dimension,
    day,
    CASE dimension
        WHEN 'model' THEN v_model
        WHEN 'category' THEN v_category
        WHEN 'subtag' THEN v_subtag
        WHEN 'language' THEN v_language
        WHEN 'author' THEN v_author
        WHEN 'origin' THEN v_origin
        WHEN 'open_weights' THEN v_open_weights
        WHEN 'size' THEN v_size
        WHEN 'reasoning' THEN v_reasoning
        WHEN 'tool_use' THEN v_tool_use
        WHEN 'country' THEN v_country
        WHEN 'continent' THEN v_continent
        WHEN 'category_open' THEN v_category_open
        WHEN 'open_origin' THEN v_open_origin
        WHEN 'open_model' THEN v_open_model
        WHEN 'open_author' THEN v_open_author
        WHEN 'category_author' THEN v_category_author
    END AS value,
    sum(requests) AS requests,
    sum(prompt_tokens) AS prompt_tokens,
    sum(completion_tokens) AS completion_tokens,
    sum(reasoning_tokens) AS reasoning_tokens,
    sum(cache_read_tokens) AS cache_read_tokens,
    sum(cache_write_tokens) AS cache_write_tokens,
    coalesce(sum(cost_usd), 0) AS cost_usd,
    sum(CASE WHEN cost_usd IS NULL THEN 0 ELSE requests END) AS priced_requests,
    sum(CASE WHEN tool_called THEN requests ELSE 0 END) AS tool_call_requests,
    sum(CASE WHEN cost_usd IS NULL THEN 0 ELSE prompt_tokens + completion_tokens END) AS priced_tokens,
    -- Totals.LONG_PROMPT_TOKENS; a record standing for several requests (a usage bucket) is not counted.
    sum(CASE WHEN requests = 1 AND prompt_tokens > 20000 THEN 1 ELSE 0 END) AS long_prompt_requests,
    array_join(array_sort(array_agg(DISTINCT upload_id)), ',') AS upload_ids
FROM r
CROSS JOIN (VALUES ('model'), ('category'), ('subtag'), ('language'), ('author'), ('origin'), ('open_weights'),
    ('size'), ('reasoning'), ('tool_use'), ('country'), ('continent'), ('category_open'), ('open_origin'),
    ('open_model'), ('open_author'), ('category_author')) AS d (dimension)
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3
