

select
    order_id,
    order_date,
    status,
    

    (order_date + cast(7 as bigint) * interval 1 day) as due_date,
    
    
    cast(order_id as TEXT)
 as order_key,
    status || '-' || order_id as status_key
from "jaffle_shop"."main_marts"."orders"

