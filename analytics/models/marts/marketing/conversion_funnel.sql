-- Sessions by day, traffic source and browser (the device signal the clickstream carries), and
-- how many reached each funnel stage. "Reached" counts sessions whose furthest stage is that
-- stage or later (home < department < product < cart < purchase), so the funnel never widens.
select
    {{ surrogate_key(['session_date', 'traffic_source', 'browser']) }} as funnel_row_id,
    session_date,
    traffic_source,
    browser,
    count(*) as sessions,
    count(case when is_ghost then null else 1 end) as user_sessions,
    count(case when is_ghost then 1 end) as ghost_sessions,
    count(case when reached_home then 1 end) as sessions_reached_home,
    count(case when reached_department then 1 end) as sessions_reached_department,
    count(case when reached_product then 1 end) as sessions_reached_product,
    count(case when reached_cart then 1 end) as sessions_reached_cart,
    count(case when reached_purchase then 1 end) as sessions_reached_purchase,
    {{ safe_divide('count(case when reached_cart then 1 end)', 'count(case when reached_product then 1 end)') }} as product_to_cart_rate,
    {{ safe_divide('count(case when reached_purchase then 1 end)', 'count(case when reached_cart then 1 end)') }} as cart_to_purchase_rate,
    {{ safe_divide('count(case when reached_purchase then 1 end)', 'count(*)') }} as session_conversion_rate
from {{ ref('fct_sessions') }}
group by session_date, traffic_source, browser
