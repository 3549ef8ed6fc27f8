-- The marketplace (REES46) funnel per day and top-level category: views, carts, removals and
-- purchases counted once per deduplicated event (stg_clickstream_events), the shoppers and
-- sessions behind them, and purchase revenue from events with a usable price (REES46 has some
-- prices of 0 or below; those purchases are counted but add no revenue).
select
    {{ surrogate_key(['event_date', 'top_category']) }} as funnel_row_id,
    event_date,
    top_category,
    count(*) as events,
    count(case when event_type = 'view' then 1 end) as views,
    count(case when event_type = 'cart' then 1 end) as carts,
    count(case when event_type = 'remove_from_cart' then 1 end) as cart_removals,
    count(case when event_type = 'purchase' then 1 end) as purchases,
    count(distinct user_id) as shoppers,
    count(distinct user_session_id) as sessions,
    coalesce(sum(case when event_type = 'purchase' and has_valid_price then {{ money('price') }} end), 0) as purchase_revenue,
    {{ safe_divide("count(case when event_type = 'purchase' then 1 end)", "count(case when event_type = 'view' then 1 end)") }} as view_to_purchase_rate,
    {{ safe_divide("count(case when event_type = 'purchase' then 1 end)", "count(case when event_type = 'cart' then 1 end)") }} as cart_to_purchase_rate
from {{ ref('stg_clickstream_events') }}
group by event_date, top_category
