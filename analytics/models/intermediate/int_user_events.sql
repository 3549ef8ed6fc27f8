-- Every event with the visitor it belongs to and its session under two inactivity timeouts.
-- A visitor is a signed-in user ('user-<id>') or, for anonymous traffic, the tracker's session
-- ('ghost-<uuid>'). The session numbers (and the rules behind them) come from
-- int_event_session_numbers; the ids are the visitor id and the number: '<visitor>-<n>' for the
-- 30-minute session, '<visitor>-h<n>' for the 1-hour session.
-- A view, not a table: the rows are ~2.5 million events carrying four ~40-character ids, and
-- writing them out cost more than computing them (about 7 of 11 s at scale 1.0). Readers pay
-- only for the columns they use: cross-sell pairs skip the session join entirely.
{{ config(materialized='view') }}

with events as (
    select
        events.event_id,
        case
            when events.user_id is not null then {{ dbt.concat(["'user-'", "cast(events.user_id as " ~ dbt.type_string() ~ ")"]) }}
            else {{ dbt.concat(["'ghost-'", "events.source_session_id"]) }}
        end as visitor_id,
        events.user_id,
        events.is_ghost,
        events.source_session_id,
        events.sequence_number,
        events.occurred_at,
        events.event_date,
        events.event_type,
        events.browser,
        events.traffic_source,
        events.product_id,
        events.department_slug,
        events.category_slug,
        numbers.session_30m_number,
        numbers.session_1h_number,
        numbers.is_session_start,
        numbers.seconds_since_previous_event
    from {{ ref('stg_events') }} as events
    -- left join: an event without session numbers gets NULL session ids, which the not_null
    -- tests on session_id and session_1h_id report instead of the event silently disappearing
    left join {{ ref('int_event_session_numbers') }} as numbers
        on events.event_id = numbers.event_id
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
    is_session_start,
    seconds_since_previous_event
from events
