
    
    



select order_id
from "jaffle_shop"."main_marts"."orders"
where order_id is null


