-- One row per session (30 minutes of inactivity ends a session; see int_event_session_numbers),
-- with the 1-hour-timeout session it belongs to, the furthest funnel stage reached and whether the
-- visitor was signed in ('user') or anonymous ('ghost').
-- A session's id is the event_id of its first event (its landing event in fact_events); a 1-hour
-- session's id is that of its first 30-minute session. Integer ids rather than
-- '<visitor>-<n>' text: writing two ~40-character strings per session cost more than the whole
-- aggregation. One pass over the events, grouped by the visitor's key columns and the session
-- number; the first event's id, browser, traffic source and date are picked inside the same
-- aggregate (each session has exactly one is_session_start event).
with sessions as (
    select
        user_id,
        ghost_session_id,
        session_30m_number,
        -- every event of a 30-minute session lies in the same 1-hour session
        min(session_1h_number) as session_1h_number,
        max(case when is_session_start then event_id end) as session_id,
        max(case when is_session_start then event_date end) as session_date,
        min(occurred_at) as started_at,
        max(occurred_at) as ended_at,
        count(*) as event_count,
        max(case when is_session_start then browser end) as browser,
        max(case when is_session_start then traffic_source end) as traffic_source,
        max(funnel_stage_rank) as funnel_stage_rank,
        count(case when event_type = 'home' then 1 end) as home_views,
        count(case when event_type = 'department' then 1 end) as department_views,
        count(case when event_type = 'product' then 1 end) as product_views,
        count(case when event_type = 'cart' then 1 end) as cart_events,
        count(case when event_type = 'purchase' then 1 end) as purchase_events,
        count(case when event_type = 'cancel' then 1 end) as cancel_events
    from {{ ref('int_user_events') }}
    group by user_id, ghost_session_id, session_30m_number
),

in_one_hour_sessions as (
    select
        *,
        first_value(session_id) over one_hour_session as session_1h_id,
        count(*) over one_hour_session as sessions_in_1h_session
    from sessions
    window one_hour_session as (
        partition by user_id, ghost_session_id, session_1h_number
        order by session_30m_number
        rows between unbounded preceding and unbounded following
    )
)

select
    session_id,
    session_1h_id,
    sessions_in_1h_session,
    {{ visitor_id('user_id', 'ghost_session_id') }} as visitor_id,
    user_id as customer_id,
    case when user_id is null then 'ghost' else 'user' end as visitor_type,
    user_id is null as is_ghost,
    session_date,
    started_at,
    ended_at,
    {{ dbt.datediff('started_at', 'ended_at', 'second') }} as duration_seconds,
    event_count,
    browser,
    traffic_source,
    funnel_stage_rank,
    {{ funnel_stage_name('funnel_stage_rank') }} as funnel_stage,
    funnel_stage_rank >= 1 as reached_home,
    funnel_stage_rank >= 2 as reached_department,
    funnel_stage_rank >= 3 as reached_product,
    funnel_stage_rank >= 4 as reached_cart,
    funnel_stage_rank >= 5 as reached_purchase,
    home_views,
    department_views,
    product_views,
    cart_events,
    purchase_events,
    cancel_events,
    purchase_events > 0 as converted,
    cancel_events > 0 and purchase_events = 0 as abandoned_cart
from in_one_hour_sessions
