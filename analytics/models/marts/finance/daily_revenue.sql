-- One row per calendar day from the first order to as_of_date (days without orders show zeros).
-- Orders are dated by the order's created_at. Net figures (net_orders, net_revenue, cost,
-- gross_profit, average_order_value) leave out Cancelled and Returned orders, the rule of macro
-- is_net_revenue_status; gross_revenue and orders count everything placed.
with orders as (
    select
        order_date,
        count(*) as orders,
        count(case when is_net_revenue then 1 end) as net_orders,
        count(case when order_status = 'Cancelled' then 1 end) as cancelled_orders,
        count(case when order_status = 'Returned' then 1 end) as returned_orders,
        cast(sum(items) as {{ dbt.type_bigint() }}) as items,
        cast(sum(case when is_net_revenue then items else 0 end) as {{ dbt.type_bigint() }}) as net_items,
        sum(gross_revenue) as gross_revenue,
        sum(net_revenue) as net_revenue,
        sum(net_cost) as cost,
        sum(gross_profit) as gross_profit,
        count(distinct customer_id) as customers,
        count(case when is_first_order then 1 end) as first_orders
    from {{ ref('fact_orders') }}
    group by order_date
),

days as (
    select date_day
    from {{ ref('dim_date') }}
    where date_day >= (select min(order_date) from {{ ref('fact_orders') }})
      and date_day <= {{ as_of_date() }}
)

select
    days.date_day as revenue_date,
    coalesce(orders.orders, 0) as orders,
    coalesce(orders.net_orders, 0) as net_orders,
    coalesce(orders.cancelled_orders, 0) as cancelled_orders,
    coalesce(orders.returned_orders, 0) as returned_orders,
    coalesce(orders.items, 0) as items,
    coalesce(orders.net_items, 0) as net_items,
    coalesce(orders.gross_revenue, 0) as gross_revenue,
    coalesce(orders.net_revenue, 0) as net_revenue,
    coalesce(orders.cost, 0) as cost,
    coalesce(orders.gross_profit, 0) as gross_profit,
    {{ safe_divide('orders.gross_profit', 'orders.net_revenue') }} as gross_margin,
    {{ safe_divide('orders.net_revenue', 'orders.net_orders') }} as average_order_value,
    coalesce(orders.customers, 0) as customers,
    coalesce(orders.first_orders, 0) as new_customers
from days
left join orders on days.date_day = orders.order_date
