-- A customer cannot order before signing up.
select orders.order_id, orders.customer_id, orders.ordered_at, customers.signed_up_at
from {{ ref('fact_orders') }} as orders
inner join {{ ref('dim_customers') }} as customers on orders.customer_id = customers.customer_id
where orders.ordered_at < customers.signed_up_at
