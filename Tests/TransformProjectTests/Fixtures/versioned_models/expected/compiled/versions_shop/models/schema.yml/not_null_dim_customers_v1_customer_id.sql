
    
    



select customer_id
from "w"."main"."dim_customers_v1"
where customer_id is null


