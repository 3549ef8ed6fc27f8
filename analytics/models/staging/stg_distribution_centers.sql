select
    cast(id as bigint) as distribution_center_id,
    name as distribution_center_name,
    cast(latitude as {{ double_type() }}) as latitude,
    cast(longitude as {{ double_type() }}) as longitude
from {{ source('raw', 'distribution_centers') }}
where id is not null
