-- Every event with the visitor it belongs to and its session under two inactivity timeouts.
-- A visitor is a signed-in user ('user-<id>') or, for anonymous traffic, the tracker's session
-- ('ghost-<uuid>') — macros visitor_id and ghost_session_key. The session numbers (and the rules
-- behind them) come from int_event_session_numbers; a session's id is the event_id of its first
-- event, as in fct_sessions (session_1h_id: the first event of the 1-hour session).
-- A view, not a table: ~2.5 million events, and writing them out again costs more than computing
-- them. Readers pay only for the columns they use: fct_sessions groups by (user_id,
-- ghost_session_id, session_30m_number) and never runs the two id windows below. Its keys are
-- tested on int_event_session_numbers and stg_events, the two tables it is a one-to-one join of
-- (a test on a view recomputes the view each time).
{{ config(materialized='view') }}

with events as (
    select
        events.event_id,
        {{ visitor_id('events.user_id', 'events.source_session_id') }} as visitor_id,
        events.user_id,
        {{ ghost_session_key('events.user_id', 'events.source_session_id') }} as ghost_session_id,
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
    -- left join: an event without session numbers would keep its row with NULL session ids
    -- (assert_every_event_is_sessionised reports it) instead of silently disappearing
    left join {{ ref('int_event_session_numbers') }} as numbers
        on events.event_id = numbers.event_id
)

select
    event_id,
    visitor_id,
    user_id,
    ghost_session_id,
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
    session_30m_number,
    session_1h_number,
    first_value(event_id) over (
        partition by user_id, ghost_session_id, session_30m_number
        order by occurred_at, sequence_number, event_id
    ) as session_id,
    first_value(event_id) over (
        partition by user_id, ghost_session_id, session_1h_number
        order by occurred_at, sequence_number, event_id
    ) as session_1h_id,
    is_session_start,
    seconds_since_previous_event
from events
