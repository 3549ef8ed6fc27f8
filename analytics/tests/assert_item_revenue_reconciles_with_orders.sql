-- Revenue must agree at every grain: each order's gross and net revenue equal the sum of its
-- lines, its line count equals the count recorded on the order, and daily_revenue adds up to
-- fact_orders. Returns the disagreeing orders or days.
with lines as (
    select order_id, count(*) as items, sum(sale_price) as gross_revenue, sum(net_revenue) as net_revenue
    from {{ ref('fact_order_items') }}
    group by order_id
)

select
    'order' as grain,
    cast(orders.order_id as {{ dbt.type_string() }}) as key_value,
    orders.gross_revenue as expected,
    coalesce(lines.gross_revenue, 0) as actual
from {{ ref('fact_orders') }} as orders
left join lines on orders.order_id = lines.order_id
where abs(orders.gross_revenue - coalesce(lines.gross_revenue, 0)) > 0.005
   or abs(orders.net_revenue - coalesce(lines.net_revenue, 0)) > 0.005
   or orders.recorded_item_count <> coalesce(lines.items, 0)

union all

select
    'day' as grain,
    cast(days.revenue_date as {{ dbt.type_string() }}) as key_value,
    days.net_revenue as expected,
    coalesce(orders.net_revenue, 0) as actual
from {{ ref('daily_revenue') }} as days
left join (
    select order_date, sum(net_revenue) as net_revenue, sum(gross_revenue) as gross_revenue
    from {{ ref('fact_orders') }}
    group by order_date
) as orders on days.revenue_date = orders.order_date
where abs(days.net_revenue - coalesce(orders.net_revenue, 0)) > 0.005
   or abs(days.gross_revenue - coalesce(orders.gross_revenue, 0)) > 0.005
