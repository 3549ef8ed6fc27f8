-- One row per session (30 minutes of inactivity ends a session; see int_user_events), with the
-- 1-hour-timeout session it belongs to, the furthest funnel stage reached and whether the
-- visitor was signed in ('user') or anonymous ('ghost').
select
    session_id,
    session_1h_id,
    count(*) over (partition by session_1h_id) as sessions_in_1h_session,
    visitor_id,
    user_id as customer_id,
    case when is_ghost then 'ghost' else 'user' end as visitor_type,
    is_ghost,
    session_date,
    started_at,
    ended_at,
    duration_seconds,
    event_count,
    browser,
    traffic_source,
    funnel_stage_rank,
    funnel_stage,
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
    converted,
    cancel_events > 0 and purchase_events = 0 as abandoned_cart
from {{ ref('int_sessions') }}
