select order_id, sum(amount) as paid, count(*) as payments
from "shop"."main"."stg_payments"
group by order_id