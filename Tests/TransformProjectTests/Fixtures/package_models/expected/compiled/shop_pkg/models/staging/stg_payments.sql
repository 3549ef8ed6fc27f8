select
    id as payment_id,
    order_id,
    round(cast(amount as decimal(12, 4)), 2) as amount,
    method
from "shop"."main"."raw_payments"
where amount >= 6