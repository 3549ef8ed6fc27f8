-- RFM scores and segments for every customer with at least one order.
--
-- Scores are quintiles (ntile(5)), 5 = best: recency by days since the last order (fewer is
-- better), frequency by lifetime orders, monetary by net lifetime value. Ties are broken by the
-- other measures and then customer_id so every engine gives every customer the same score.
-- fm_score = (frequency_score + monetary_score) / 2 rounded down (integer 1..5).
--
-- Segments, first matching rule wins:
--   Champions            R >= 4 and FM >= 4
--   Loyal Customers      R >= 3 and FM >= 3
--   Potential Loyalists  R >= 4 and FM = 2
--   New Customers        R = 5  and FM = 1
--   Promising            R = 4  and FM = 1
--   Need Attention       R = 3  and FM <= 2
--   At Risk              R <= 2 and FM >= 3
--   Hibernating          R = 2  and FM <= 2
--   Lost                 R = 1  and FM <= 2
with customers as (
    select
        customer_id,
        days_since_last_order as recency_days,
        lifetime_orders as frequency,
        lifetime_value as monetary,
        last_order_at
    from {{ ref('dim_customers') }}
    where lifetime_orders > 0
),

scored as (
    select
        *,
        ntile(5) over (order by recency_days desc, frequency, monetary, customer_id) as recency_score,
        ntile(5) over (order by frequency, monetary, recency_days desc, customer_id) as frequency_score,
        ntile(5) over (order by monetary, frequency, recency_days desc, customer_id) as monetary_score
    from customers
),

combined as (
    select
        *,
        cast(floor((frequency_score + monetary_score) / 2.0) as integer) as fm_score
    from scored
)

select
    customer_id,
    recency_days,
    frequency,
    monetary,
    last_order_at,
    recency_score,
    frequency_score,
    monetary_score,
    fm_score,
    {{ dbt.concat(["cast(recency_score as " ~ dbt.type_string() ~ ")", "cast(frequency_score as " ~ dbt.type_string() ~ ")", "cast(monetary_score as " ~ dbt.type_string() ~ ")"]) }} as rfm_cell,
    case
        when recency_score >= 4 and fm_score >= 4 then 'Champions'
        when recency_score >= 3 and fm_score >= 3 then 'Loyal Customers'
        when recency_score >= 4 and fm_score = 2 then 'Potential Loyalists'
        when recency_score = 5 and fm_score = 1 then 'New Customers'
        when recency_score = 4 and fm_score = 1 then 'Promising'
        when recency_score = 3 then 'Need Attention'
        when fm_score >= 3 then 'At Risk'
        when recency_score = 2 then 'Hibernating'
        else 'Lost'
    end as rfm_segment
from combined
