
    
    



select customer_id
from "jaffle_shop"."main_marts"."orders"
where customer_id is null


