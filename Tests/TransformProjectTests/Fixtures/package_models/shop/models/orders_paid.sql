select
    t.order_id,
    t.paid,
    t.payments,
    m.label as first_method
from {{ ref('shop_pkg', 'payment_totals') }} as t
left join {{ ref('stg_payments') }} as p on p.order_id = t.order_id and p.payment_id = (
    select min(payment_id) from {{ ref('stg_payments') }} where order_id = t.order_id)
left join {{ ref('payment_methods') }} as m on m.code = p.method
