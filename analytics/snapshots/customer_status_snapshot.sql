{#
  History of each customer's value segment and lifecycle stage (SCD type 2). Each snapshot run
  closes the current row (dbt_valid_to) of a customer whose segment or lifecycle changed and
  opens a new one, so "how many VIPs did we have on date X" stays answerable.
#}
{% snapshot customer_status_snapshot %}
{{
    config(
        target_schema='snapshots',
        unique_key='customer_id',
        strategy='check',
        check_cols=['customer_segment', 'customer_lifecycle']
    )
}}
select
    customer_id,
    customer_segment,
    customer_lifecycle,
    lifetime_orders,
    lifetime_value,
    last_order_at,
    as_of_date
from {{ ref('dim_customers') }}
{% endsnapshot %}
