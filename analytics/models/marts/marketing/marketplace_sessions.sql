-- The REES46 marketplace clickstream sessionised: one row per session the export names
-- (user_session), with the shopper, when it started and ended, what happened in it and whether
-- it bought. Events without a session id (the export has a few) belong to no session.
-- Grouped by session and shopper: a session id shared by two shoppers would give two rows and
-- fail the unique test on marketplace_session_id instead of being folded into one.
select
    user_session_id as marketplace_session_id,
    user_id,
    cast(min(occurred_at) as date) as session_date,
    min(occurred_at) as started_at,
    max(occurred_at) as ended_at,
    {{ dbt.datediff('min(occurred_at)', 'max(occurred_at)', 'second') }} as duration_seconds,
    count(*) as events,
    count(case when event_type = 'view' then 1 end) as views,
    count(case when event_type = 'cart' then 1 end) as carts,
    count(case when event_type = 'remove_from_cart' then 1 end) as cart_removals,
    count(case when event_type = 'purchase' then 1 end) as purchases,
    count(case when event_type = 'purchase' then 1 end) > 0 as converted,
    coalesce(sum(case when event_type = 'purchase' and has_valid_price then {{ money('price') }} end), 0) as purchase_revenue
from {{ ref('stg_clickstream_events') }}
where user_session_id is not null
group by user_session_id, user_id
