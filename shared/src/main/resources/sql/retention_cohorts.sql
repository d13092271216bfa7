-- Retention cohorts per model (figure 10), over every day up to the last day of a recompute: for each model, the
-- users whose first request to it fell in a month (the cohort), and how many of them were active k months after.
-- A user is user_id when the log has one, else account_id (prefixed, so a user and an account never merge);
-- records with neither are in no cohort. A month is numbered year * 12 + month - 1, so k is a difference (the
-- recompute turns the cohort's number back into a month: integer division differs between the engines).
-- Parameter: 1 = last day (YYYY-MM-DD, inclusive). Athena (Trino) SQL; DuckDB runs it as it is.
WITH activity AS (
    SELECT DISTINCT
        model,
        CASE WHEN coalesce(user_id, '') <> '' THEN 'u:' || user_id ELSE 'a:' || account_id END AS identity,
        CAST(substr(day, 1, 4) AS integer) * 12 + CAST(substr(day, 6, 2) AS integer) - 1 AS month_index
    FROM records
    WHERE day <= ? AND requests > 0 AND (coalesce(user_id, '') <> '' OR coalesce(account_id, '') <> '')
),
firsts AS (
    SELECT model, identity, min(month_index) AS cohort
    FROM activity
    GROUP BY model, identity
)
SELECT
    a.model,
    f.cohort AS cohort,
    a.month_index - f.cohort AS k,
    count(*) AS users
FROM activity a
JOIN firsts f ON a.model = f.model AND a.identity = f.identity
GROUP BY a.model, f.cohort, a.month_index - f.cohort
ORDER BY a.model, f.cohort, k
