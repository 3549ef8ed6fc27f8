
select * from "memory"."main"."uses_packages" where id > 10
