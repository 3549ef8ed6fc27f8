-- Users' addresses with one spelling per country and the literal city "null" as SQL NULL.
select
    user_id,
    {{ null_if_blank('city') }} as city,
    {{ null_if_blank('state') }} as state,
    {{ null_if_blank('postal_code') }} as postal_code,
    {{ clean_country('country') }} as country,
    latitude,
    longitude,
    country as raw_country,
    city as raw_city,
    (coalesce({{ clean_country('country') }}, '') <> coalesce(country, '')
        or coalesce({{ null_if_blank('city') }}, '') <> coalesce(city, '')) as was_cleaned
from {{ ref('stg_users') }}
