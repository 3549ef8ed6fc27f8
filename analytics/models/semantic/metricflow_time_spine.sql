-- MetricFlow's time spine: one row per day, the calendar that cumulative metrics, offset windows
-- (same period last year) and join_to_timespine metrics are evaluated over. It is dim_date's day
-- column, so the spine spans exactly the project calendar (January 1st of the first sign-up
-- year to December 31st of the as-of year) and builds unchanged on DuckDB and PostgreSQL.
-- Its extent matters: an all-time cumulative metric has a row for every spine day after the
-- first fact, up to the spine's last day.
select cast(date_day as date) as date_day
from {{ ref('dim_date') }}
