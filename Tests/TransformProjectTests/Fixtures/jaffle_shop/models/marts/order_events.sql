{{
    config(
        materialized='incremental',
        unique_key='order_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns'
    )
}}

select
    order_id,
    order_date,
    status,
    {{ dbt.dateadd('day', 7, 'order_date') }} as due_date,
    {{ dbt.safe_cast('order_id', type_string()) }} as order_key,
    {{ concat(['status', "'-'", 'order_id']) }} as status_key
from {{ ref('orders') }}

{% if is_incremental() %}
where order_date > (select max(order_date) from {{ this }})
{% endif %}
