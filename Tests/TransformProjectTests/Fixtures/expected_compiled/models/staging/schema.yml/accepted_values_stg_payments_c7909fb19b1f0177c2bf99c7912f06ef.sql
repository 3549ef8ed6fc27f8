
    
    

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
), all_values as (

    select
        payment_method as value_field,
        count(*) as n_records

    from __dbt__cte__stg_payments
    group by payment_method

)

select *
from all_values
where value_field not in (
    'credit_card','coupon','bank_transfer','gift_card'
)


