-- Per product: how often it was viewed (product-page events) against how often it was bought.
with views as (
    select
        product_id,
        count(*) as product_views,
        count(distinct source_session_id) as viewing_sessions,
        count(case when is_ghost then 1 end) as ghost_views
    from {{ ref('stg_events') }}
    where event_type = 'product' and product_id is not null
    group by product_id
),

purchases as (
    select
        product_id,
        count(*) as units_ordered,
        count(case when is_net_revenue then 1 end) as units_sold_net,
        count(case when order_status = 'Cancelled' then 1 end) as units_cancelled,
        count(case when order_status = 'Returned' then 1 end) as units_returned,
        count(distinct user_id) as buyers
    from {{ ref('int_orders_enriched') }}
    group by product_id
)

select
    products.product_id,
    coalesce(views.product_views, 0) as product_views,
    coalesce(views.viewing_sessions, 0) as viewing_sessions,
    coalesce(views.ghost_views, 0) as ghost_views,
    coalesce(purchases.units_ordered, 0) as units_ordered,
    coalesce(purchases.units_sold_net, 0) as units_sold_net,
    coalesce(purchases.units_cancelled, 0) as units_cancelled,
    coalesce(purchases.units_returned, 0) as units_returned,
    coalesce(purchases.buyers, 0) as buyers,
    {{ safe_divide('purchases.units_ordered', 'views.product_views') }} as view_to_purchase_rate
from {{ ref('stg_products') }} as products
left join views on products.product_id = views.product_id
left join purchases on products.product_id = purchases.product_id
