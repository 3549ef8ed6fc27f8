select
    id as payment_id,
    order_id,
    {{ to_money('amount') }} as amount,
    method
from {{ source('shop_raw', 'payments') }}
