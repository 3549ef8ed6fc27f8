-- One row per order: status timeline, item totals, net revenue and profit, shipment and the
-- order's position in the customer's history.
with items as (
    select
        order_id,
        count(*) as items,
        sum(sale_price) as gross_revenue,
        sum(net_revenue) as net_revenue,
        sum(net_cost) as net_cost,
        sum(gross_profit) as gross_profit,
        count(distinct category) as distinct_categories
    from {{ ref('int_orders_enriched') }}
    group by order_id
),

orders as (
    select * from {{ ref('stg_orders') }}
)

select
    orders.order_id,
    orders.user_id as customer_id,
    orders.order_status,
    {{ is_net_revenue_status('orders.order_status') }} as is_net_revenue,
    orders.ordered_at,
    cast(orders.ordered_at as date) as order_date,
    orders.shipped_at,
    orders.delivered_at,
    orders.returned_at,
    {{ dbt.datediff('orders.ordered_at', 'orders.shipped_at', 'day') }} as days_to_ship,
    {{ dbt.datediff('orders.ordered_at', 'orders.delivered_at', 'day') }} as days_to_deliver,
    orders.item_count as recorded_item_count,
    coalesce(items.items, 0) as items,
    coalesce(items.distinct_categories, 0) as distinct_categories,
    coalesce(items.gross_revenue, 0) as gross_revenue,
    coalesce(items.net_revenue, 0) as net_revenue,
    coalesce(items.net_cost, 0) as net_cost,
    coalesce(items.gross_profit, 0) as gross_profit,
    shipments.carrier,
    shipments.distribution_center_id as shipping_distribution_center_id,
    shipments.shipping_cost,
    shipments.promised_days,
    shipments.actual_days,
    shipments.is_late,
    shipments.tracking_status,
    row_number() over (partition by orders.user_id order by orders.ordered_at, orders.order_id) as customer_order_number,
    row_number() over (partition by orders.user_id order by orders.ordered_at, orders.order_id) = 1 as is_first_order
from orders
left join items on orders.order_id = items.order_id
left join {{ ref('stg_shipments') }} as shipments on orders.order_id = shipments.order_id
