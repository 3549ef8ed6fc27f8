select
    id,
    {{ util_pkg.greet("'ada'") }} as greeting,
    {{ util_pkg.cents('amount') }} as amount_cents,
    {{ util_pkg.label() }} as label,
    {{ dates_pkg.day_name('d') }} as day_name,
    {{ dbt.dateadd('day', 1, 'd') }} as next_day,
    {{ util_pkg.first_column_alias() }} as alias_from_nested_call
from (select 1 as id, 1.5 as amount, date '2024-01-01' as d) as t
