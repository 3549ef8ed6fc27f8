
    
    

with all_values as (

    select
        tier as value_field,
        count(*) as n_records

    from "w"."main"."dim_customers_v2"
    group by tier

)

select *
from all_values
where value_field not in (
    'gold','silver'
)


