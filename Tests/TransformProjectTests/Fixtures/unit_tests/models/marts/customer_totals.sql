select
    c.id as customer_id,
    c.name,
    count(o.order_id) as orders,
    coalesce(sum(o.amount), 0) as revenue
from {{ source('shop', 'customers') }} as c
left join {{ ref('stg_orders') }} as o
    on o.customer_id = c.id and o.amount >= {{ var('min_amount') }}
group by 1, 2
