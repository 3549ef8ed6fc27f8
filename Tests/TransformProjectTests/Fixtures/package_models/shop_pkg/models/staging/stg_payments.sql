select
    id as payment_id,
    order_id,
    {{ to_money('amount') }} as amount,
    method
from {{ var('shop_pkg_payments') }}
where amount >= {{ var('min_amount') }}
