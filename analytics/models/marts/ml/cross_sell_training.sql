-- Training set for cross-sell: the cross_sell_pairs definition taken at ml_cutoff_date, with
-- features known at the cutoff and the label bought_within_90d: a net-revenue purchase of the
-- category in the ml_target_days (90) days after the cutoff.
{% set cutoff = ml_cutoff_date() %}
with pairs as (
    {{ cross_sell_pairs(cutoff) }}
),

outcomes as (
    select distinct customer_id, category
    from {{ ref('fact_order_items') }}
    where is_net_revenue
      and order_date > {{ cutoff }}
      and order_date <= {{ dbt.dateadd('day', var('ml_target_days'), cutoff) }}
),

history as (
    select
        customer_id,
        count(distinct order_id) as orders_before_cutoff,
        count(distinct category) as categories_bought_before_cutoff,
        max(ordered_at) as last_order_at
    from {{ ref('fact_order_items') }}
    where order_date <= {{ cutoff }}
    group by customer_id
)

select
    {{ surrogate_key(['pairs.user_id', 'pairs.category']) }} as training_row_id,
    pairs.user_id as customer_id,
    pairs.category,
    pairs.department,
    {{ cutoff }} as cutoff_date,
    pairs.category_views,
    {{ dbt.datediff('pairs.last_viewed_at', cutoff, 'day') }} as days_since_last_view,
    coalesce(history.orders_before_cutoff, 0) as orders_before_cutoff,
    coalesce(history.categories_bought_before_cutoff, 0) as categories_bought_before_cutoff,
    {{ dbt.datediff('history.last_order_at', cutoff, 'day') }} as days_since_last_order,
    customers.age,
    customers.gender,
    outcomes.customer_id is not null as bought_within_90d
from pairs
inner join {{ ref('dim_customers') }} as customers on pairs.user_id = customers.customer_id
left join history on pairs.user_id = history.customer_id
left join outcomes on pairs.user_id = outcomes.customer_id and pairs.category = outcomes.category
