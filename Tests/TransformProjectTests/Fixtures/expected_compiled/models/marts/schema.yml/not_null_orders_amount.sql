
    
    



select amount
from (select * from "jaffle_shop"."main_marts"."orders" where status != 'returned') dbt_subquery
where amount is null


