-- The per-day, per-model usage rollup of a window of days, rebuilt from the warehouse table.
-- A record stands for `requests` requests (1 for a request log, a bucket's count for pre-aggregated usage).
-- Parameters: 1 = first day, 2 = last day (YYYY-MM-DD, inclusive). Athena (Trino) SQL; DuckDB runs it through
-- the shim macros in DuckDbQueryEngine (array_join). upload_ids lets the rebuilt item refuse deltas it holds.
SELECT
    day,
    model,
    sum(requests) AS requests,
    sum(prompt_tokens) AS prompt_tokens,
    sum(completion_tokens) AS completion_tokens,
    sum(reasoning_tokens) AS reasoning_tokens,
    sum(cache_read_tokens) AS cache_read_tokens,
    sum(cache_write_tokens) AS cache_write_tokens,
    coalesce(sum(cost_usd), 0) AS cost_usd,
    sum(CASE WHEN cost_usd IS NULL THEN 0 ELSE requests END) AS priced_requests,
    sum(CASE WHEN tool_called THEN requests ELSE 0 END) AS tool_call_requests,
    array_join(array_sort(array_agg(DISTINCT upload_id)), ',') AS upload_ids
FROM records
WHERE day BETWEEN ? AND ?
GROUP BY day, model
ORDER BY day, model
