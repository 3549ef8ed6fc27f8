

with  __dbt__cte__stg_payments as (


with source as (
    select * from "jaffle_shop"."main"."raw_payments"
),

renamed as (

    select
        id as payment_id,
        order_id,
        payment_method,
        -- `amount` is stored in cents, convert it to dollars
        round(amount / 100.0, 2) as amount

    from source

)

select * from renamed
), orders as (

    select * from "jaffle_shop"."main"."stg_orders"

),

payments as (

    select * from __dbt__cte__stg_payments

),

order_payments as (

    select
        order_id,

        sum(case when payment_method = 'credit_card' then amount else 0 end) as credit_card_amount,
        sum(case when payment_method = 'coupon' then amount else 0 end) as coupon_amount,
        sum(case when payment_method = 'bank_transfer' then amount else 0 end) as bank_transfer_amount,
        sum(case when payment_method = 'gift_card' then amount else 0 end) as gift_card_amount,
        sum(amount) as total_amount

    from payments

    group by order_id

),

final as (

    select
        orders.order_id,
        orders.customer_id,
        orders.order_date,
        orders.status,

        order_payments.credit_card_amount,

        order_payments.coupon_amount,

        order_payments.bank_transfer_amount,

        order_payments.gift_card_amount,

        order_payments.total_amount as amount

    from orders


    left join order_payments
        on orders.order_id = order_payments.order_id

)

select * from final
where amount >= 0