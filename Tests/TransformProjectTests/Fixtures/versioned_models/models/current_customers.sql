select * from {{ ref('dim_customers') }} where customer_id in (select customer_id from {{ ref('dim_customers', version=2) }})
