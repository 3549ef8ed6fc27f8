-- One row per registered user. Raw rows can repeat when a load is replayed: keep the latest copy.
with ranked as (
    select
        cast(id as bigint) as user_id,
        first_name,
        last_name,
        lower(email) as email,
        cast(age as integer) as age,
        gender,
        state,
        street_address,
        cast(postal_code as {{ dbt.type_string() }}) as postal_code,
        city,
        country,
        cast(latitude as {{ double_type() }}) as latitude,
        cast(longitude as {{ double_type() }}) as longitude,
        traffic_source,
        cast(created_at as timestamp) as signed_up_at,
        row_number() over (partition by id order by created_at desc) as copy_number
    from {{ source('raw', 'users') }}
    where id is not null
)

select
    user_id, first_name, last_name, email, age, gender, state, street_address, postal_code,
    city, country, latitude, longitude, traffic_source, signed_up_at
from ranked
where copy_number = 1
