
    
    

with child as (
    select method as from_field
    from "shop"."main"."stg_payments"
    where method is not null
),

parent as (
    select code as to_field
    from "shop"."main"."payment_methods"
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null


