-- The marketplace clickstream has no event id, so its key is the whole row: after staging no two
-- rows may be identical (the REES46 export repeats some cart events exactly).
select
    occurred_at, event_type, product_id, category_id, category_code, brand, price, user_id, user_session_id,
    count(*) as copies
from {{ ref('stg_clickstream_events') }}
group by occurred_at, event_type, product_id, category_id, category_code, brand, price, user_id, user_session_id
having count(*) > 1
