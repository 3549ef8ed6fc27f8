-- One row per day from January 1st of the first sign-up year to December 31st of the as-of
-- year, with calendar and fiscal attributes.
--
-- Fiscal calendar: the fiscal year starts on the first day of month var fiscal_year_start_month
-- (default 2 = February) and is named after the calendar year in which it ENDS
-- (start month 2: 2024-02-01 .. 2025-01-31 is fiscal year 2025). With start month 1 the fiscal
-- year equals the calendar year.
{% set start_month = var('fiscal_year_start_month') | int %}
with digits as (
    select 0 as n union all select 1 union all select 2 union all select 3 union all select 4
    union all select 5 union all select 6 union all select 7 union all select 8 union all select 9
),

day_offsets as (
    -- 0 .. 99,999 days, far more than any store history needs
    select ones.n + 10 * tens.n + 100 * hundreds.n + 1000 * thousands.n + 10000 * ten_thousands.n as day_offset
    from digits as ones
    cross join digits as tens
    cross join digits as hundreds
    cross join digits as thousands
    cross join digits as ten_thousands
),

bounds as (
    select
        cast({{ dbt.date_trunc('year', 'min(signed_up_at)') }} as date) as first_day,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('year', 1, dbt.date_trunc('year', as_of_date()))) }} as date) as last_day
    from {{ ref('stg_users') }}
),

days as (
    select cast({{ dbt.dateadd('day', 'day_offsets.day_offset', 'bounds.first_day') }} as date) as date_day
    from day_offsets
    cross join bounds
    where day_offsets.day_offset <= {{ dbt.datediff('bounds.first_day', 'bounds.last_day', 'day') }}
),

calendar as (
    select
        date_day,
        cast(extract(year from date_day) as integer) as calendar_year,
        cast(extract(quarter from date_day) as integer) as calendar_quarter,
        cast(extract(month from date_day) as integer) as calendar_month,
        cast(extract(day from date_day) as integer) as day_of_month,
        cast({{ date_part_number('dow', 'date_day') }} as integer) as day_of_week,
        cast({{ date_part_number('isodow', 'date_day') }} as integer) as iso_day_of_week,
        cast(extract(doy from date_day) as integer) as day_of_year,
        cast(extract(week from date_day) as integer) as iso_week,
        cast({{ date_part_number('isoyear', 'date_day') }} as integer) as iso_year
    from days
)

select
    date_day,
    calendar_year,
    calendar_quarter,
    calendar_month,
    day_of_month,
    day_of_week,
    iso_day_of_week,
    day_of_year,
    iso_week,
    iso_year,
    case calendar_month
        when 1 then 'January' when 2 then 'February' when 3 then 'March' when 4 then 'April'
        when 5 then 'May' when 6 then 'June' when 7 then 'July' when 8 then 'August'
        when 9 then 'September' when 10 then 'October' when 11 then 'November' else 'December'
    end as month_name,
    case day_of_week
        when 0 then 'Sunday' when 1 then 'Monday' when 2 then 'Tuesday' when 3 then 'Wednesday'
        when 4 then 'Thursday' when 5 then 'Friday' else 'Saturday'
    end as day_name,
    day_of_week in (0, 6) as is_weekend,
    cast({{ dbt.date_trunc('week', 'date_day') }} as date) as week_start_date,
    cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start_date,
    cast({{ dbt.date_trunc('quarter', 'date_day') }} as date) as quarter_start_date,
    {% if start_month == 1 -%}
    calendar_year as fiscal_year,
    {%- else -%}
    case when calendar_month >= {{ start_month }} then calendar_year + 1 else calendar_year end as fiscal_year,
    {%- endif %}
    mod(calendar_month - {{ start_month }} + 12, 12) + 1 as fiscal_month,
    cast(floor(mod(calendar_month - {{ start_month }} + 12, 12) / 3) as integer) + 1 as fiscal_quarter
from calendar
