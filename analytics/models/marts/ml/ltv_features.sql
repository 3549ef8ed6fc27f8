-- Customer lifetime-value training/scoring table: one row per customer with at least one order
-- on or before the cutoff (macro ml_cutoff_date). Features use only history up to the cutoff;
-- targets are the ml_target_days (90) days after it: future_revenue_90d (net revenue),
-- future_orders_90d and will_purchase_90d.
{% set cutoff = ml_cutoff_date() %}
{% set horizon = var('ml_target_days') %}
with orders as (
    select * from {{ ref('fact_orders') }}
),

history as (
    select
        customer_id,
        count(*) as frequency,
        count(case when is_net_revenue then 1 end) as net_orders,
        sum(net_revenue) as monetary,
        cast(sum(items) as {{ dbt.type_bigint() }}) as items,
        count(case when order_status = 'Returned' then 1 end) as returned_orders,
        count(case when order_status = 'Cancelled' then 1 end) as cancelled_orders,
        count(case when order_date > {{ dbt.dateadd('day', -90, cutoff) }} then 1 end) as orders_last_90d,
        count(case when order_date > {{ dbt.dateadd('day', -180, cutoff) }} then 1 end) as orders_last_180d,
        min(ordered_at) as first_order_at,
        max(ordered_at) as last_order_at
    from orders
    where order_date <= {{ cutoff }}
    group by customer_id
),

categories as (
    select customer_id, count(distinct category) as categories_bought
    from {{ ref('fact_order_items') }}
    where order_date <= {{ cutoff }} and order_status <> 'Cancelled'
    group by customer_id
),

engagement as (
    select
        customer_id,
        count(*) as sessions,
        cast(sum(event_count) as {{ dbt.type_bigint() }}) as events,
        cast(sum(product_views) as {{ dbt.type_bigint() }}) as product_views,
        cast(sum(cart_events) as {{ dbt.type_bigint() }}) as cart_events,
        max(started_at) as last_session_at
    from {{ ref('fct_sessions') }}
    where customer_id is not null and session_date <= {{ cutoff }}
    group by customer_id
),

support as (
    select
        user_id as customer_id,
        count(*) as support_tickets,
        avg(cast(satisfaction_score as double precision)) as average_satisfaction
    from {{ ref('stg_support_tickets') }}
    where cast(opened_at as date) <= {{ cutoff }}
    group by user_id
),

future as (
    select
        customer_id,
        count(*) as future_orders,
        sum(net_revenue) as future_revenue
    from orders
    where order_date > {{ cutoff }}
      and order_date <= {{ dbt.dateadd('day', horizon, cutoff) }}
      and order_status <> 'Cancelled'
    group by customer_id
)

select
    history.customer_id,
    {{ cutoff }} as cutoff_date,
    customers.age,
    customers.gender,
    customers.country,
    customers.acquisition_source,
    {{ dbt.datediff('customers.signed_up_at', cutoff, 'day') }} as tenure_days,
    {{ dbt.datediff('history.last_order_at', cutoff, 'day') }} as recency_days,
    {{ dbt.datediff('history.first_order_at', cutoff, 'day') }} as days_since_first_order,
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
    {{ dbt.datediff('engagement.last_session_at', cutoff, 'day') }} as days_since_last_session,
    coalesce(support.support_tickets, 0) as support_tickets,
    support.average_satisfaction,
    coalesce(future.future_orders, 0) as future_orders_90d,
    coalesce(future.future_revenue, 0) as future_revenue_90d,
    future.future_orders is not null as will_purchase_90d
from history
inner join {{ ref('dim_customers') }} as customers on history.customer_id = customers.customer_id
left join categories on history.customer_id = categories.customer_id
left join engagement on history.customer_id = engagement.customer_id
left join support on history.customer_id = support.customer_id
left join future on history.customer_id = future.customer_id
