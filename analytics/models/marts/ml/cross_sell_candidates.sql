-- Scoring set for cross-sell: (customer, category) pairs the customer viewed but has not bought
-- as of as_of_date (macro cross_sell_pairs), with the category's recent popularity and a
-- per-customer rank (most viewed, then most recently viewed, first).
with pairs as (
    {{ cross_sell_pairs(as_of_date()) }}
),

popularity as (
    select category, count(*) as category_units_last_90d
    from {{ ref('fact_order_items') }}
    where is_net_revenue
      and order_date > {{ dbt.dateadd('day', -90, as_of_date()) }}
      and order_date <= {{ as_of_date() }}
    group by category
)

select
    {{ surrogate_key(['pairs.user_id', 'pairs.category']) }} as candidate_id,
    pairs.user_id as customer_id,
    pairs.category,
    pairs.department,
    pairs.category_views,
    pairs.last_viewed_at,
    {{ dbt.datediff('pairs.last_viewed_at', as_of_date(), 'day') }} as days_since_last_view,
    coalesce(popularity.category_units_last_90d, 0) as category_units_last_90d,
    customers.customer_segment,
    customers.customer_lifecycle,
    row_number() over (
        partition by pairs.user_id
        order by pairs.category_views desc, pairs.last_viewed_at desc, pairs.category
    ) as candidate_rank
from pairs
inner join {{ ref('dim_customers') }} as customers on pairs.user_id = customers.customer_id
left join popularity on pairs.category = popularity.category
