select
    order_id,
    status = 'returned' as is_returned,
    amount > {{ large_order_threshold() }} as is_large
from {{ ref('stg_orders') }}
