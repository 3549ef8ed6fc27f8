
    
    

select
    id as unique_field,
    count(*) as n_records

from "shop"."main"."uses_packages"
where id is not null
group by id
having count(*) > 1


