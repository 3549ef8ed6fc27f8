select 1 as order_id, 10 as customer_id, cast('2024-01-05 10:00:00' as timestamp) as ordered_at, 'Complete' as status, 120.0 as amount
