-- Refunds have a negative amount, so the total amount should always be >= 0.
select
    order_id,
    sum(amount) as total_amount
from "jaffle_shop"."main_marts"."orders"
group by 1
having not(sum(amount) >= 0)