-- The session arithmetic, kept narrow: per event, the number of its session within its
-- visitor's history under the 30-minute and the 1-hour inactivity timeout (1, 2, ...).
-- A visitor is a signed-in user, or for anonymous traffic the tracker's session (macro
-- ghost_session_key). A new session starts at a visitor's first event and after every gap longer
-- than session_timeout_minutes (or session_timeout_long_minutes for the 1-hour numbers); a
-- 60-minute boundary is always also a 30-minute boundary, so every 30-minute session lies inside
-- exactly one 1-hour session.
-- Why a table of its own, and only keys and integers: the two window passes over ~2.5 million
-- events are the expensive part of sessionising, and writing rows costs about as much as
-- computing them, so the table holds nothing a reader can take from stg_events instead.
-- int_user_events (a view) joins it back to the events; fct_sessions aggregates that view.
-- The event keys are tested here, on the table, where a test costs one scan of integers.
with events as (
    select
        event_id,
        user_id,
        {{ ghost_session_key('user_id', 'source_session_id') }} as ghost_session_id,
        sequence_number,
        occurred_at
    from {{ ref('stg_events') }}
),

with_previous as (
    select
        *,
        lag(occurred_at) over (
            partition by user_id, ghost_session_id order by occurred_at, sequence_number, event_id
        ) as previous_occurred_at
    from events
),

flagged as (
    select
        *,
        previous_occurred_at is null
            or occurred_at > {{ dbt.dateadd('minute', var('session_timeout_minutes'), 'previous_occurred_at') }}
            as starts_session_30m,
        previous_occurred_at is null
            or occurred_at > {{ dbt.dateadd('minute', var('session_timeout_long_minutes'), 'previous_occurred_at') }}
            as starts_session_1h
    from with_previous
)

-- A session's number is how many sessions have started so far in the visitor's history
-- (count, not sum of 0/1 flags: a bigint on every engine rather than DuckDB's 128-bit sum).
select
    event_id,
    count(case when starts_session_30m then 1 end) over (
        partition by user_id, ghost_session_id order by occurred_at, sequence_number, event_id
        rows between unbounded preceding and current row
    ) as session_30m_number,
    count(case when starts_session_1h then 1 end) over (
        partition by user_id, ghost_session_id order by occurred_at, sequence_number, event_id
        rows between unbounded preceding and current row
    ) as session_1h_number,
    starts_session_30m as is_session_start,
    {{ dbt.datediff('previous_occurred_at', 'occurred_at', 'second') }} as seconds_since_previous_event
from flagged
