select
    id,
    'hello ' || upper('ada') as greeting,
    cast(amount * 100 as bigint) as amount_cents,
    'label from the project' as label,
    dayname(d) as day_name,
    (d + interval 1 day) as next_day,
    upper('nested') as alias_from_nested_call
from (select 1 as id, 1.5 as amount, date '2024-01-01' as d) as t