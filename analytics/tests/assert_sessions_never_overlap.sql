-- A visitor's sessions follow one another: each starts after the previous one ended, and more
-- than session_timeout_minutes later (otherwise they would be one session).
with ordered as (
    select
        visitor_id,
        session_id,
        started_at,
        lag(ended_at) over (partition by visitor_id order by started_at, session_id) as previous_ended_at
    from {{ ref('fct_sessions') }}
)

select *
from ordered
where previous_ended_at is not null
  and started_at <= {{ dbt.dateadd('minute', var('session_timeout_minutes'), 'previous_ended_at') }}
