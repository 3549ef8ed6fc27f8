select
    cast(ticket_id as bigint) as ticket_id,
    cast(user_id as bigint) as user_id,
    cast(order_id as bigint) as order_id,
    cast(opened_at as timestamp) as opened_at,
    cast(closed_at as timestamp) as closed_at,
    channel,
    category as ticket_category,
    priority,
    cast(satisfaction as integer) as satisfaction_score,
    {{ dbt.datediff('opened_at', 'closed_at', 'hour') }} as resolution_hours,
    closed_at is not null as is_closed
from {{ source('raw', 'support_tickets') }}
where ticket_id is not null
