-- The request shapes of each day and category, rebuilt from the warehouse table: histograms of prompt and
-- completion tokens per request (single-request records only), in the buckets of
-- dev.tokenscope.aggregate.TokenHistogram: a count below 16 is its own bucket; above, bucket
-- 16 * (e - 3) + floor(tokens / 2^(e - 4)) - 16 where e = floor(log2(tokens)). e is corrected against powers of two
-- so that a rounding in log2 cannot move a count to the next bucket: integer arithmetic, as in Java.
-- The rows are gathered into the request-shape items of TokenHistogram.itemKey by the recompute.
-- Parameters: 1 = first day, 2 = last day (YYYY-MM-DD, inclusive). Athena (Trino) SQL; DuckDB through the shim
-- (array_join).
WITH r AS (
    SELECT day, category, upload_id, kind, CASE kind WHEN 'p' THEN prompt_tokens ELSE completion_tokens END AS tokens
    FROM records
    CROSS JOIN (VALUES ('p'), ('c')) AS k (kind)
    WHERE day BETWEEN ? AND ? AND requests = 1
),
g AS (
    SELECT day, category, upload_id, kind, tokens,
           CASE WHEN tokens < 16 THEN 0 ELSE CAST(floor(log2(tokens)) AS integer) END AS e0
    FROM r
),
x AS (
    SELECT day, category, upload_id, kind, tokens,
           e0 + CASE WHEN tokens < 16 THEN 0
                     WHEN power(2, e0 + 1) <= tokens THEN 1
                     WHEN power(2, e0) > tokens THEN -1
                     ELSE 0 END AS e
    FROM g
)
SELECT
    day,
    category,
    kind || CAST(CASE WHEN tokens < 16 THEN greatest(tokens, 0)
                      ELSE 16 * (e - 3) + CAST(floor(tokens / power(2, e - 4)) AS bigint) - 16 END AS varchar) AS bucket,
    count(*) AS requests,
    array_join(array_sort(array_agg(DISTINCT upload_id)), ',') AS upload_ids
FROM x
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3
