
    
    



with __dbt__cte__stg_payments as (


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
) select payment_id
from __dbt__cte__stg_payments
where payment_id is null


