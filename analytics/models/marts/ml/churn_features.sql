-- Churn training/scoring table: the ltv_features population and history features at each cutoff
-- (ml_window 'train', 'validate', 'score'), plus the lifecycle stage at the cutoff (macro
-- customer_status), order-rhythm and support-friction signals. Label is_churned: no
-- non-cancelled order in the ml_target_days (90) days after the cutoff; NULL when scoring.
with features as (
    select * from {{ ref('ltv_features') }}
),

cutoffs as (
    select distinct cutoff_date from features
),

recent_support as (
    select
        cutoffs.cutoff_date,
        tickets.user_id as customer_id,
        count(*) as tickets_last_90d,
        count(case when tickets.satisfaction_score <= 2 then 1 end) as unhappy_tickets_last_90d
    from {{ ref('stg_support_tickets') }} as tickets
    inner join cutoffs
        on cast(tickets.opened_at as date) <= cutoffs.cutoff_date
        and cast(tickets.opened_at as date) > {{ dbt.dateadd('day', -90, 'cutoffs.cutoff_date') }}
    group by cutoffs.cutoff_date, tickets.user_id
)

select
    features.feature_row_id,
    features.customer_id,
    features.cutoff_date,
    features.ml_window,
    features.age,
    features.gender,
    features.acquisition_source,
    features.tenure_days,
    features.recency_days,
    features.frequency,
    features.monetary,
    features.average_order_value,
    features.orders_last_90d,
    features.orders_last_180d,
    features.orders_last_180d - features.orders_last_90d as orders_prior_90d,
    {{ safe_divide('features.days_since_first_order - features.recency_days', 'features.frequency - 1') }} as average_days_between_orders,
    features.return_rate,
    features.cancel_rate,
    features.sessions,
    features.days_since_last_session,
    features.support_tickets,
    features.average_satisfaction,
    coalesce(recent_support.tickets_last_90d, 0) as tickets_last_90d,
    coalesce(recent_support.unhappy_tickets_last_90d, 0) as unhappy_tickets_last_90d,
    {{ customer_status('segment', 'features.frequency', 'features.monetary', 'features.recency_days') }} as segment_at_cutoff,
    {{ customer_status('lifecycle', 'features.frequency', 'features.monetary', 'features.recency_days') }} as lifecycle_at_cutoff,
    not features.will_purchase_90d as is_churned
from features
left join recent_support
    on features.customer_id = recent_support.customer_id
    and features.cutoff_date = recent_support.cutoff_date
