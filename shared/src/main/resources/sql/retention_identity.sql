-- How the users of the retention cohorts were identified: distinct user_ids, distinct account_ids of records
-- without a user_id, and requests with neither (in no cohort).
-- Parameter: 1 = last day (YYYY-MM-DD, inclusive). Athena (Trino) SQL; DuckDB runs it as it is.
SELECT
    count(DISTINCT CASE WHEN coalesce(user_id, '') <> '' THEN user_id END) AS user_ids,
    count(DISTINCT CASE WHEN coalesce(user_id, '') = '' AND coalesce(account_id, '') <> '' THEN account_id END)
        AS account_ids,
    coalesce(sum(CASE WHEN coalesce(user_id, '') = '' AND coalesce(account_id, '') = '' THEN requests END), 0)
        AS requests_without_id
FROM records
WHERE day <= ? AND requests > 0
