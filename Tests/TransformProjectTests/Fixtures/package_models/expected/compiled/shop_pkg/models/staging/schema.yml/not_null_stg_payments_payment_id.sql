
    
    



select payment_id
from "shop"."main"."stg_payments"
where payment_id is null


