select order_id, sum(amount) as paid, count(*) as payments
from {{ ref('stg_payments') }}
group by order_id
