-- Every event with the visitor it belongs to and its session under two inactivity timeouts.
-- A visitor is a signed-in user ('user-<id>') or, for anonymous traffic, the tracker's session
-- ('ghost-<uuid>'). A new session starts at a visitor's first event and after every gap longer
-- than session_timeout_minutes (30) — or session_timeout_long_minutes (60) for the 1-hour ids.
-- A 60-minute boundary is always also a 30-minute boundary, so every 30-minute session lies
-- inside exactly one 1-hour session.
-- A view, not a table: the rows are ~2.5 million events carrying four ~40-character ids, and
-- writing them out cost more than computing them (about 7 of 11 s at scale 1.0). Readers pay
-- only for the columns they use: cross-sell pairs skip the session windows entirely, and
-- int_sessions (the one reader that needs the sessions) scans it once.
{{ config(materialized='view') }}

with events as (
    select
        event_id,
        user_id,
        source_session_id,
        sequence_number,
        occurred_at,
        event_date,
        event_type,
        browser,
        traffic_source,
        product_id,
        department_slug,
        category_slug,
        is_ghost,
        -- partition key without string building: signed-in users by id, ghosts by tracker session
        case when user_id is null then source_session_id end as ghost_session_id
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
        case
            when previous_occurred_at is null then 1
            when occurred_at > {{ dbt.dateadd('minute', var('session_timeout_minutes'), 'previous_occurred_at') }} then 1
            else 0
        end as starts_session_30m,
        case
            when previous_occurred_at is null then 1
            when occurred_at > {{ dbt.dateadd('minute', var('session_timeout_long_minutes'), 'previous_occurred_at') }} then 1
            else 0
        end as starts_session_1h
    from with_previous
),

numbered as (
    select
        *,
        sum(starts_session_30m) over (
            partition by user_id, ghost_session_id order by occurred_at, sequence_number, event_id
            rows between unbounded preceding and current row
        ) as session_30m_number,
        sum(starts_session_1h) over (
            partition by user_id, ghost_session_id order by occurred_at, sequence_number, event_id
            rows between unbounded preceding and current row
        ) as session_1h_number
    from flagged
),

-- the visitor id is built after the windows so their sorts do not carry it
with_visitor as (
    select
        *,
        case
            when user_id is not null then {{ dbt.concat(["'user-'", "cast(user_id as " ~ dbt.type_string() ~ ")"]) }}
            else {{ dbt.concat(["'ghost-'", "source_session_id"]) }}
        end as visitor_id
    from numbered
)

select
    event_id,
    visitor_id,
    user_id,
    is_ghost,
    source_session_id,
    sequence_number,
    occurred_at,
    event_date,
    event_type,
    {{ funnel_stage_rank('event_type') }} as funnel_stage_rank,
    browser,
    traffic_source,
    product_id,
    department_slug,
    category_slug,
    {{ dbt.concat(["visitor_id", "'-'", "cast(session_30m_number as " ~ dbt.type_string() ~ ")"]) }} as session_id,
    {{ dbt.concat(["visitor_id", "'-h'", "cast(session_1h_number as " ~ dbt.type_string() ~ ")"]) }} as session_1h_id,
    starts_session_30m = 1 as is_session_start,
    {{ dbt.datediff('previous_occurred_at', 'occurred_at', 'second') }} as seconds_since_previous_event
from with_visitor
