-- Training and validation set for cross-sell: the pairs and features of macro
-- cross_sell_features at each labelled cutoff of macro ml_cutoffs (ml_window 'train' or
-- 'validate') and the label bought_within_90d: a net-revenue purchase of the category in the
-- ml_target_days (90) days after the cutoff. cross_sell_candidates holds the rows to score.
with cutoffs as (
    select cutoff_date, ml_window from ({{ ml_cutoffs() }}) as all_cutoffs
    where ml_window <> 'score'
),

features as (
    {{ cross_sell_features('cutoffs') }}
),

outcomes as (
    select distinct cutoffs.cutoff_date, items.customer_id, items.category
    from {{ ref('fact_order_items') }} as items
    inner join cutoffs
        on items.order_date > cutoffs.cutoff_date
        and items.order_date <= {{ dbt.dateadd('day', var('ml_target_days'), 'cutoffs.cutoff_date') }}
    where items.is_net_revenue
)

select
    {{ surrogate_key(['features.customer_id', 'features.category', 'features.cutoff_date']) }} as training_row_id,
    features.customer_id,
    features.category,
    features.department,
    features.cutoff_date,
    features.ml_window,
    features.category_views,
    features.days_since_last_view,
    features.category_units_last_90d,
    features.orders_before_cutoff,
    features.categories_bought_before_cutoff,
    features.days_since_last_order,
    features.co_purchase_rate,
    features.age,
    features.gender,
    outcomes.customer_id is not null as bought_within_90d
from features
left join outcomes
    on features.customer_id = outcomes.customer_id
    and features.category = outcomes.category
    and features.cutoff_date = outcomes.cutoff_date
