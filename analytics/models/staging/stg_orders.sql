select
    cast(order_id as bigint) as order_id,
    cast(user_id as bigint) as user_id,
    status as order_status,
    gender,
    cast(created_at as timestamp) as ordered_at,
    cast(shipped_at as timestamp) as shipped_at,
    cast(delivered_at as timestamp) as delivered_at,
    cast(returned_at as timestamp) as returned_at,
    cast(num_of_item as integer) as item_count
from {{ source('raw', 'orders') }}
where order_id is not null
