

select id as gap from "shop"."main"."uses_packages"
