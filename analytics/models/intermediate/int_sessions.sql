-- One row per 30-minute-inactivity session (see int_user_events), with the furthest funnel
-- stage it reached. Browser, traffic source and date are those of the session's first event.
with events as (
    select * from {{ ref('int_user_events') }}
),

aggregated as (
    select
        session_id,
        min(session_1h_id) as session_1h_id,
        min(visitor_id) as visitor_id,
        min(user_id) as user_id,
        min(occurred_at) as started_at,
        max(occurred_at) as ended_at,
        count(*) as event_count,
        max(funnel_stage_rank) as funnel_stage_rank,
        sum(case when event_type = 'home' then 1 else 0 end) as home_views,
        sum(case when event_type = 'department' then 1 else 0 end) as department_views,
        sum(case when event_type = 'product' then 1 else 0 end) as product_views,
        sum(case when event_type = 'cart' then 1 else 0 end) as cart_events,
        sum(case when event_type = 'purchase' then 1 else 0 end) as purchase_events,
        sum(case when event_type = 'cancel' then 1 else 0 end) as cancel_events
    from events
    group by session_id
),

first_events as (
    select session_id, event_date, browser, traffic_source
    from events
    where is_session_start
)

select
    aggregated.session_id,
    aggregated.session_1h_id,
    aggregated.visitor_id,
    aggregated.user_id,
    aggregated.user_id is null as is_ghost,
    first_events.event_date as session_date,
    aggregated.started_at,
    aggregated.ended_at,
    {{ dbt.datediff('aggregated.started_at', 'aggregated.ended_at', 'second') }} as duration_seconds,
    aggregated.event_count,
    first_events.browser,
    first_events.traffic_source,
    aggregated.funnel_stage_rank,
    {{ funnel_stage_name('aggregated.funnel_stage_rank') }} as funnel_stage,
    aggregated.home_views,
    aggregated.department_views,
    aggregated.product_views,
    aggregated.cart_events,
    aggregated.purchase_events,
    aggregated.cancel_events,
    aggregated.purchase_events > 0 as converted
from aggregated
inner join first_events on aggregated.session_id = first_events.session_id
