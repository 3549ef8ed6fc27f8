-- Scoring set for cross-sell: (customer, category) pairs the customer viewed but has not bought
-- as of as_of_date, with the features the model reads (macro cross_sell_features, the same as
-- in cross_sell_training), the customer's current segment and lifecycle, and a per-customer rank
-- (most viewed, then most recently viewed, first).
with cutoffs as (
    select cast({{ as_of_date() }} as date) as cutoff_date, 'score' as ml_window
),

features as (
    {{ cross_sell_features('cutoffs') }}
)

select
    {{ surrogate_key(['features.customer_id', 'features.category']) }} as candidate_id,
    features.customer_id,
    features.category,
    features.department,
    features.cutoff_date,
    features.category_views,
    features.last_viewed_at,
    features.days_since_last_view,
    features.category_units_last_90d,
    features.orders_before_cutoff,
    features.categories_bought_before_cutoff,
    features.days_since_last_order,
    features.co_purchase_rate,
    features.age,
    features.gender,
    customers.customer_segment,
    customers.customer_lifecycle,
    row_number() over (
        partition by features.customer_id
        order by features.category_views desc, features.last_viewed_at desc, features.category
    ) as candidate_rank
from features
inner join {{ ref('dim_customers') }} as customers on features.customer_id = customers.customer_id
