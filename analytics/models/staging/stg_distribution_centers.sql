select
    cast(id as bigint) as distribution_center_id,
    name as distribution_center_name,
    cast(latitude as double precision) as latitude,
    cast(longitude as double precision) as longitude
from {{ source('raw', 'distribution_centers') }}
where id is not null
