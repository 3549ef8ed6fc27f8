select count(*) filter (where is_large) as large_orders from {{ ref('order_flags') }}
