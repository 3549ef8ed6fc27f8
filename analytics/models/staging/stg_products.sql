select
    cast(id as bigint) as product_id,
    name as product_name,
    brand,
    category,
    department,
    sku,
    {{ money('cost') }} as cost,
    {{ money('retail_price') }} as retail_price,
    cast(distribution_center_id as bigint) as distribution_center_id
from {{ source('raw', 'products') }}
where id is not null
