-- The marketplace clickstream has no event id, so its key is the whole row: after staging no two
-- rows may be identical (the REES46 export repeats some cart events exactly).
-- Where the engine has a 64-bit row hash, only rows whose hash repeats are compared whole: on the
-- 42M-row October export that took this test from 16.5 s to 5.9 s on DuckDB (scripts/bench rees46).
{%- set columns = ['occurred_at', 'event_type', 'product_id', 'category_id', 'category_code', 'brand', 'price', 'user_id', 'user_session_id'] %}
{%- set fingerprint = row_fingerprint(columns) %}
with candidates as (
    select * from {{ ref('stg_clickstream_events') }}
    {%- if fingerprint %}
    where {{ fingerprint }} in (
        select {{ fingerprint }} from {{ ref('stg_clickstream_events') }}
        group by {{ fingerprint }}
        having count(*) > 1
    )
    {%- endif %}
)

select
    {{ columns | join(', ') }},
    count(*) as copies
from candidates
group by {{ columns | join(', ') }}
having count(*) > 1
