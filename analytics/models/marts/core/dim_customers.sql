-- Customer 360: one row per registered user with lifetime value, recency, assortment breadth,
-- the value segment and lifecycle stage (macro customer_status), the current marketing segment
-- and support history. Users who never ordered are kept, as segment/lifecycle 'Prospect'.
with users as (
    select * from {{ ref('stg_users') }}
),

locations as (
    select * from {{ ref('int_locations_cleaned') }}
),

metrics as (
    select * from {{ ref('int_customer_order_metrics') }}
),

marketing as (
    select user_id, marketing_segment, campaign
    from {{ ref('stg_user_segments') }}
    where is_current
),

support as (
    select
        user_id,
        count(*) as support_tickets,
        avg(cast(satisfaction_score as {{ double_type() }})) as average_satisfaction
    from {{ ref('stg_support_tickets') }}
    group by user_id
),

assembled as (
    select
        users.user_id as customer_id,
        users.first_name,
        users.last_name,
        users.email,
        users.age,
        case
            when users.age < 18 then 'under 18'
            when users.age < 25 then '18-24'
            when users.age < 35 then '25-34'
            when users.age < 45 then '35-44'
            when users.age < 55 then '45-54'
            when users.age < 65 then '55-64'
            else '65+'
        end as age_band,
        users.gender,
        locations.city,
        locations.state,
        locations.postal_code,
        locations.country,
        users.traffic_source as acquisition_source,
        users.signed_up_at,
        cast(users.signed_up_at as date) as signup_date,
        coalesce(metrics.lifetime_orders, 0) as lifetime_orders,
        coalesce(metrics.net_orders, 0) as net_orders,
        coalesce(metrics.cancelled_orders, 0) as cancelled_orders,
        coalesce(metrics.returned_orders, 0) as returned_orders,
        coalesce(metrics.lifetime_items, 0) as lifetime_items,
        coalesce(metrics.gross_revenue, 0) as gross_revenue,
        coalesce(metrics.lifetime_value, 0) as lifetime_value,
        coalesce(metrics.lifetime_gross_profit, 0) as lifetime_gross_profit,
        metrics.average_order_value,
        metrics.first_order_at,
        metrics.last_order_at,
        {{ dbt.datediff('metrics.last_order_at', as_of_date(), 'day') }} as days_since_last_order,
        {{ dbt.datediff('users.signed_up_at', as_of_date(), 'day') }} as tenure_days,
        coalesce(metrics.categories_bought, 0) as categories_bought,
        coalesce(metrics.brands_bought, 0) as brands_bought,
        marketing.marketing_segment,
        marketing.campaign,
        coalesce(support.support_tickets, 0) as support_tickets,
        support.average_satisfaction
    from users
    left join locations on users.user_id = locations.user_id
    left join metrics on users.user_id = metrics.user_id
    left join marketing on users.user_id = marketing.user_id
    left join support on users.user_id = support.user_id
)

select
    *,
    {{ customer_status('segment', 'lifetime_orders', 'lifetime_value', 'days_since_last_order') }} as customer_segment,
    {{ customer_status('lifecycle', 'lifetime_orders', 'lifetime_value', 'days_since_last_order') }} as customer_lifecycle,
    {{ as_of_date() }} as as_of_date
from assembled
