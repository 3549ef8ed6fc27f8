-- One row per 30-minute-inactivity session (see int_user_events), with the furthest funnel
-- stage it reached. Browser, traffic source and date are those of the session's first event.
-- One pass over the events: int_user_events is a view (a join on event_id runs on every read),
-- so the first event's attributes are picked inside the same aggregate (each session has
-- exactly one is_session_start event) instead of by a second read joined back.
select
    session_id,
    min(session_1h_id) as session_1h_id,
    min(visitor_id) as visitor_id,
    min(user_id) as user_id,
    min(user_id) is null as is_ghost,
    max(case when is_session_start then event_date end) as session_date,
    min(occurred_at) as started_at,
    max(occurred_at) as ended_at,
    {{ dbt.datediff('min(occurred_at)', 'max(occurred_at)', 'second') }} as duration_seconds,
    count(*) as event_count,
    max(case when is_session_start then browser end) as browser,
    max(case when is_session_start then traffic_source end) as traffic_source,
    max(funnel_stage_rank) as funnel_stage_rank,
    {{ funnel_stage_name('max(funnel_stage_rank)') }} as funnel_stage,
    sum(case when event_type = 'home' then 1 else 0 end) as home_views,
    sum(case when event_type = 'department' then 1 else 0 end) as department_views,
    sum(case when event_type = 'product' then 1 else 0 end) as product_views,
    sum(case when event_type = 'cart' then 1 else 0 end) as cart_events,
    sum(case when event_type = 'purchase' then 1 else 0 end) as purchase_events,
    sum(case when event_type = 'cancel' then 1 else 0 end) as cancel_events,
    sum(case when event_type = 'purchase' then 1 else 0 end) > 0 as converted
from {{ ref('int_user_events') }}
group by session_id
