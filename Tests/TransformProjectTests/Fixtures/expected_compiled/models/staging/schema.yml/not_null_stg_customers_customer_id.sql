
    
    



select customer_id
from "jaffle_shop"."main"."stg_customers"
where customer_id is null


