-- One row per product: traffic (product-page views), purchases, conversion, revenue, profit and
-- returns. conversion_rate = units ordered / product views; return_rate = returned units / units
-- that were not cancelled (only those could be returned).
with sales as (
    select
        product_id,
        sum(sale_price) as gross_revenue,
        sum(net_revenue) as net_revenue,
        sum(net_cost) as net_cost,
        sum(gross_profit) as gross_profit
    from {{ ref('fact_order_items') }}
    group by product_id
)

select
    products.product_id,
    products.product_name,
    products.brand,
    products.category,
    products.department,
    products.retail_price,
    funnel.product_views,
    funnel.viewing_sessions,
    funnel.units_ordered,
    funnel.units_sold_net,
    funnel.units_cancelled,
    funnel.units_returned,
    funnel.buyers,
    funnel.view_to_purchase_rate as conversion_rate,
    coalesce(sales.gross_revenue, 0) as gross_revenue,
    coalesce(sales.net_revenue, 0) as net_revenue,
    coalesce(sales.net_cost, 0) as net_cost,
    coalesce(sales.gross_profit, 0) as gross_profit,
    {{ safe_divide('sales.gross_profit', 'sales.net_revenue') }} as gross_margin,
    {{ safe_divide('funnel.units_returned', 'funnel.units_ordered - funnel.units_cancelled') }} as return_rate,
    rank() over (order by coalesce(sales.net_revenue, 0) desc) as revenue_rank
from {{ ref('dim_products') }} as products
inner join {{ ref('int_product_views_vs_purchases') }} as funnel on products.product_id = funnel.product_id
left join sales on products.product_id = sales.product_id
