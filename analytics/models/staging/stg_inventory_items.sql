select
    cast(id as bigint) as inventory_item_id,
    cast(product_id as bigint) as product_id,
    cast(created_at as timestamp) as stocked_at,
    cast(sold_at as timestamp) as sold_at,
    {{ money('cost') }} as cost,
    product_category,
    product_name,
    product_brand,
    {{ money('product_retail_price') }} as product_retail_price,
    product_department,
    product_sku,
    cast(product_distribution_center_id as bigint) as distribution_center_id,
    sold_at is not null as is_sold
from {{ source('raw', 'inventory_items') }}
where id is not null
