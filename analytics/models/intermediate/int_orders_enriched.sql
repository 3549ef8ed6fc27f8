-- One row per order line with the order, product, inventory cost and shipment attached.
-- Net revenue, cost and gross profit follow is_net_revenue_status: Cancelled and Returned lines
-- contribute 0 (their gross sale price stays in sale_price).
with items as (
    select * from {{ ref('stg_order_items') }}
),

orders as (
    select * from {{ ref('stg_orders') }}
),

products as (
    select * from {{ ref('stg_products') }}
),

inventory as (
    select inventory_item_id, cost from {{ ref('stg_inventory_items') }}
),

shipments as (
    select * from {{ ref('stg_shipments') }}
),

order_sizes as (
    select order_id, count(*) as order_line_count
    from items
    group by order_id
),

joined as (
    select
        items.order_item_id,
        items.order_id,
        orders.user_id,
        items.product_id,
        items.inventory_item_id,
        orders.order_status,
        orders.ordered_at,
        cast(orders.ordered_at as date) as order_date,
        items.created_at as item_created_at,
        items.shipped_at,
        items.delivered_at,
        items.returned_at,
        products.product_name,
        products.brand,
        products.category,
        products.department,
        products.retail_price,
        items.sale_price,
        coalesce(inventory.cost, products.cost) as unit_cost,
        {{ is_net_revenue_status('orders.order_status') }} as is_net_revenue,
        shipments.carrier,
        shipments.distribution_center_id as shipping_distribution_center_id,
        shipments.promised_days,
        shipments.actual_days,
        shipments.is_late,
        shipments.shipping_cost / order_sizes.order_line_count as allocated_shipping_cost
    from items
    inner join orders on items.order_id = orders.order_id
    left join products on items.product_id = products.product_id
    left join inventory on items.inventory_item_id = inventory.inventory_item_id
    left join shipments on items.order_id = shipments.order_id
    left join order_sizes on items.order_id = order_sizes.order_id
)

select
    *,
    case when is_net_revenue then sale_price else 0 end as net_revenue,
    case when is_net_revenue then unit_cost else 0 end as net_cost,
    case when is_net_revenue then sale_price - unit_cost else 0 end as gross_profit
from joined
