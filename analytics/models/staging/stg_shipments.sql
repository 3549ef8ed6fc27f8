-- One shipment per order; a replayed load may repeat it, the latest shipped_at wins.
with ranked as (
    select
        cast(order_id as bigint) as order_id,
        cast(distribution_center_id as bigint) as distribution_center_id,
        carrier,
        {{ money('shipping_cost') }} as shipping_cost,
        cast(shipped_at as timestamp) as shipped_at,
        cast(delivered_at as timestamp) as delivered_at,
        cast(promised_days as integer) as promised_days,
        cast(actual_days as integer) as actual_days,
        tracking_status,
        row_number() over (partition by order_id order by shipped_at desc) as copy_number
    from {{ source('raw', 'shipments') }}
    where order_id is not null
)

select
    order_id, distribution_center_id, carrier, shipping_cost, shipped_at, delivered_at,
    promised_days, actual_days, tracking_status,
    case when actual_days is not null then actual_days > promised_days end as is_late
from ranked
where copy_number = 1
