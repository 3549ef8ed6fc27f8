-- Marketing segment history: a user's row is valid from valid_from until the next row's
-- valid_from (valid_to NULL = current).
with deduplicated as (
    select
        cast(user_id as bigint) as user_id,
        segment as marketing_segment,
        campaign,
        cast(valid_from as timestamp) as valid_from,
        row_number() over (partition by user_id, valid_from order by segment, campaign) as copy_number
    from {{ source('raw', 'user_segments') }}
    where user_id is not null
)

select
    {{ surrogate_key(['user_id', 'valid_from']) }} as user_segment_id,
    user_id,
    marketing_segment,
    campaign,
    valid_from,
    lead(valid_from) over (partition by user_id order by valid_from) as valid_to,
    lead(valid_from) over (partition by user_id order by valid_from) is null as is_current
from deduplicated
where copy_number = 1
