-- Clickstream events. URIs carry the product id (/product/{id}) and the category slug
-- (/department/{department}/category/{slug}/brand/{slug}); both are parsed out here once.
select
    cast(id as bigint) as event_id,
    cast(user_id as bigint) as user_id,
    cast(sequence_number as integer) as sequence_number,
    cast(session_id as {{ dbt.type_string() }}) as source_session_id,
    cast(created_at as timestamp) as occurred_at,
    cast(created_at as date) as event_date,
    ip_address,
    city,
    state,
    cast(postal_code as {{ dbt.type_string() }}) as postal_code,
    browser,
    traffic_source,
    uri,
    event_type,
    case
        when event_type = 'product' then {{ dbt.safe_cast(dbt.split_part('uri', "'/'", 3), 'bigint') }}
    end as product_id,
    case
        when event_type = 'department' then {{ dbt.split_part('uri', "'/'", 3) }}
    end as department_slug,
    case
        when event_type = 'department' then {{ dbt.split_part('uri', "'/'", 5) }}
    end as category_slug,
    user_id is null as is_ghost
from {{ source('raw', 'events') }}
where id is not null
