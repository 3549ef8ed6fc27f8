select
    cast(id as bigint) as order_item_id,
    cast(order_id as bigint) as order_id,
    cast(user_id as bigint) as user_id,
    cast(product_id as bigint) as product_id,
    cast(inventory_item_id as bigint) as inventory_item_id,
    status as item_status,
    cast(created_at as timestamp) as created_at,
    cast(shipped_at as timestamp) as shipped_at,
    cast(delivered_at as timestamp) as delivered_at,
    cast(returned_at as timestamp) as returned_at,
    {{ money('sale_price') }} as sale_price
from {{ source('raw', 'order_items') }}
where id is not null
