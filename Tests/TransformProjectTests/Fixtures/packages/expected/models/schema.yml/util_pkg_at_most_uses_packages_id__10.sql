
select * from "shop"."main"."uses_packages" where id > 10
