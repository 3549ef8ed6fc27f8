select
    id as order_id,
    customer_id,
    amount,
    lower(status) as status,
    ordered_at,
    '{{ env_var("UT_CURRENCY", "EUR") }}' as currency
from {{ ref('raw_orders') }}
