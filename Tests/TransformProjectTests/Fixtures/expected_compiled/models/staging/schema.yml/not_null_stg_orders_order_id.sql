
    
    



select order_id
from "jaffle_shop"."main"."stg_orders"
where order_id is null


