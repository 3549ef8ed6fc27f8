-- Customer lifetime-value features and targets: one row per customer with at least one order on
-- or before the cutoff, for each cutoff of macro ml_cutoffs (ml_window 'train', 'validate',
-- 'score'). Features use only history up to the cutoff; targets are the ml_target_days (90) days
-- after it: future_revenue_90d (net revenue), future_orders_90d and will_purchase_90d, NULL in
-- the 'score' window, whose future has not happened yet.
{% set horizon = var('ml_target_days') %}
with cutoffs as (
    {{ ml_cutoffs() }}
),

orders as (
    select * from {{ ref('fact_orders') }}
),

history as (
    select
        cutoffs.cutoff_date,
        orders.customer_id,
        count(*) as frequency,
        count(case when orders.is_net_revenue then 1 end) as net_orders,
        sum(orders.net_revenue) as monetary,
        cast(sum(orders.items) as {{ dbt.type_bigint() }}) as items,
        count(case when orders.order_status = 'Returned' then 1 end) as returned_orders,
        count(case when orders.order_status = 'Cancelled' then 1 end) as cancelled_orders,
        count(case when orders.order_date > {{ dbt.dateadd('day', -90, 'cutoffs.cutoff_date') }} then 1 end) as orders_last_90d,
        count(case when orders.order_date > {{ dbt.dateadd('day', -180, 'cutoffs.cutoff_date') }} then 1 end) as orders_last_180d,
        min(orders.ordered_at) as first_order_at,
        max(orders.ordered_at) as last_order_at
    from orders
    inner join cutoffs on orders.order_date <= cutoffs.cutoff_date
    group by cutoffs.cutoff_date, orders.customer_id
),

categories as (
    select cutoffs.cutoff_date, items.customer_id, count(distinct items.category) as categories_bought
    from {{ ref('fact_order_items') }} as items
    inner join cutoffs on items.order_date <= cutoffs.cutoff_date
    where items.order_status <> 'Cancelled'
    group by cutoffs.cutoff_date, items.customer_id
),

engagement as (
    select
        cutoffs.cutoff_date,
        sessions.customer_id,
        count(*) as sessions,
        cast(sum(sessions.event_count) as {{ dbt.type_bigint() }}) as events,
        cast(sum(sessions.product_views) as {{ dbt.type_bigint() }}) as product_views,
        cast(sum(sessions.cart_events) as {{ dbt.type_bigint() }}) as cart_events,
        max(sessions.started_at) as last_session_at
    from {{ ref('fct_sessions') }} as sessions
    inner join cutoffs on sessions.session_date <= cutoffs.cutoff_date
    where sessions.customer_id is not null
    group by cutoffs.cutoff_date, sessions.customer_id
),

support as (
    select
        cutoffs.cutoff_date,
        tickets.user_id as customer_id,
        count(*) as support_tickets,
        avg(cast(tickets.satisfaction_score as {{ double_type() }})) as average_satisfaction
    from {{ ref('stg_support_tickets') }} as tickets
    inner join cutoffs on cast(tickets.opened_at as date) <= cutoffs.cutoff_date
    group by cutoffs.cutoff_date, tickets.user_id
),

future as (
    select
        cutoffs.cutoff_date,
        orders.customer_id,
        count(*) as future_orders,
        sum(orders.net_revenue) as future_revenue
    from orders
    inner join cutoffs
        on orders.order_date > cutoffs.cutoff_date
        and orders.order_date <= {{ dbt.dateadd('day', horizon, 'cutoffs.cutoff_date') }}
    where orders.order_status <> 'Cancelled'
      and cutoffs.ml_window <> 'score'
    group by cutoffs.cutoff_date, orders.customer_id
)

select
    {{ surrogate_key(['history.customer_id', 'history.cutoff_date']) }} as feature_row_id,
    history.customer_id,
    history.cutoff_date,
    cutoffs.ml_window,
    customers.age,
    customers.gender,
    customers.country,
    customers.acquisition_source,
    {{ dbt.datediff('customers.signed_up_at', 'history.cutoff_date', 'day') }} as tenure_days,
    {{ dbt.datediff('history.last_order_at', 'history.cutoff_date', 'day') }} as recency_days,
    {{ dbt.datediff('history.first_order_at', 'history.cutoff_date', 'day') }} as days_since_first_order,
    history.frequency,
    history.net_orders,
    history.monetary,
    {{ safe_divide('history.monetary', 'history.net_orders') }} as average_order_value,
    history.items,
    coalesce(categories.categories_bought, 0) as categories_bought,
    history.orders_last_90d,
    history.orders_last_180d,
    {{ safe_divide('history.returned_orders', 'history.frequency') }} as return_rate,
    {{ safe_divide('history.cancelled_orders', 'history.frequency') }} as cancel_rate,
    coalesce(engagement.sessions, 0) as sessions,
    coalesce(engagement.events, 0) as events,
    coalesce(engagement.product_views, 0) as product_views,
    coalesce(engagement.cart_events, 0) as cart_events,
    {{ dbt.datediff('engagement.last_session_at', 'history.cutoff_date', 'day') }} as days_since_last_session,
    coalesce(support.support_tickets, 0) as support_tickets,
    support.average_satisfaction,
    case when cutoffs.ml_window <> 'score' then coalesce(future.future_orders, 0) end as future_orders_90d,
    case when cutoffs.ml_window <> 'score' then coalesce(future.future_revenue, 0) end as future_revenue_90d,
    case when cutoffs.ml_window <> 'score' then future.future_orders is not null end as will_purchase_90d
from history
inner join cutoffs on history.cutoff_date = cutoffs.cutoff_date
inner join {{ ref('dim_customers') }} as customers on history.customer_id = customers.customer_id
left join categories on history.customer_id = categories.customer_id and history.cutoff_date = categories.cutoff_date
left join engagement on history.customer_id = engagement.customer_id and history.cutoff_date = engagement.cutoff_date
left join support on history.customer_id = support.customer_id and history.cutoff_date = support.cutoff_date
left join future on history.customer_id = future.customer_id and history.cutoff_date = future.cutoff_date
