-- Lifetime order metrics per user who ordered at least once.
with order_totals as (
    select
        order_id,
        user_id,
        order_status,
        ordered_at,
        count(*) as item_count,
        sum(sale_price) as gross_revenue,
        sum(net_revenue) as net_revenue,
        sum(gross_profit) as gross_profit
    from {{ ref('int_orders_enriched') }}
    group by order_id, user_id, order_status, ordered_at
),

per_user as (
    select
        user_id,
        count(*) as lifetime_orders,
        count(case when {{ is_net_revenue_status('order_status') }} then 1 end) as net_orders,
        count(case when order_status = 'Cancelled' then 1 end) as cancelled_orders,
        count(case when order_status = 'Returned' then 1 end) as returned_orders,
        cast(sum(item_count) as {{ dbt.type_bigint() }}) as lifetime_items,
        sum(gross_revenue) as gross_revenue,
        sum(net_revenue) as lifetime_value,
        sum(gross_profit) as lifetime_gross_profit,
        min(ordered_at) as first_order_at,
        max(ordered_at) as last_order_at
    from order_totals
    group by user_id
),

assortment as (
    select
        user_id,
        count(distinct category) as categories_bought,
        count(distinct brand) as brands_bought
    from {{ ref('int_orders_enriched') }}
    where order_status <> 'Cancelled'
    group by user_id
)

select
    per_user.*,
    {{ safe_divide('per_user.lifetime_value', 'per_user.net_orders') }} as average_order_value,
    coalesce(assortment.categories_bought, 0) as categories_bought,
    coalesce(assortment.brands_bought, 0) as brands_bought
from per_user
left join assortment on per_user.user_id = assortment.user_id
