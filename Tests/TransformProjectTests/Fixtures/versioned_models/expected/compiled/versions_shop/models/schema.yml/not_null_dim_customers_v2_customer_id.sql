
    
    



select customer_id
from "w"."main"."dim_customers_v2"
where customer_id is null


