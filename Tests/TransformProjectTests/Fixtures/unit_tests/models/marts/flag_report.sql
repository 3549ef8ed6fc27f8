select large_orders, large_orders > 0 as has_large_orders from {{ ref('order_flag_summary') }}
