-- experiment_results counts the same (window-complete) users and conversions as experiment_exposure.
select results.experiment_name, results.variant
from {{ ref('experiment_results') }} as results
left join (
    select experiment_name, variant, count(*) as users,
           count(case when converted then 1 end) as converters
    from {{ ref('experiment_exposure') }}
    where is_window_complete
    group by experiment_name, variant
) as exposure
    on results.experiment_name = exposure.experiment_name and results.variant = exposure.variant
where exposure.users is null
   or exposure.users <> results.exposed_users
   or exposure.converters <> results.converted_users
