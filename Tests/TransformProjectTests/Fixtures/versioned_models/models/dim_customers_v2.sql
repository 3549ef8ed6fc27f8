select id as customer_id, name, tier from {{ ref('raw_customers') }}
