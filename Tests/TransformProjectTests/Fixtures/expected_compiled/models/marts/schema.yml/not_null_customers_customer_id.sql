
    
    



select customer_id
from "jaffle_shop"."main_marts"."customers"
where customer_id is null


