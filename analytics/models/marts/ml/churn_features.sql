-- Churn training/scoring table: the ltv_features customers still active at each cutoff (an order
-- in the ml_churn_active_days (365) days before it: one who left years ago has churned already,
-- not at risk of it) with their history features (ml_window 'train', 'validate', 'score'), the
-- lifecycle stage at the cutoff (macro customer_status), the CRM's marketing segment in force
-- then, order-rhythm and support-friction signals. Label is_churned: no non-cancelled order in
-- the ml_target_days (90) days after the cutoff; NULL when scoring.
with features as (
    select * from {{ ref('ltv_features') }}
    where recency_days <= {{ var('ml_churn_active_days') }}
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
),

marketing as (
    select cutoffs.cutoff_date, segments.user_id as customer_id, segments.marketing_segment
    from {{ ref('stg_user_segments') }} as segments
    inner join cutoffs
        on cast(segments.valid_from as date) <= cutoffs.cutoff_date
        and (segments.valid_to is null or cast(segments.valid_to as date) > cutoffs.cutoff_date)
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
    coalesce(marketing.marketing_segment, 'none') as marketing_segment,
    not features.will_purchase_90d as is_churned
from features
left join recent_support
    on features.customer_id = recent_support.customer_id
    and features.cutoff_date = recent_support.cutoff_date
left join marketing
    on features.customer_id = marketing.customer_id
    and features.cutoff_date = marketing.cutoff_date
