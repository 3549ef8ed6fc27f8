-- A user belongs to one variant per experiment: the first assignment counts, later
-- re-assignments (replayed loads, client retries) are dropped.
with ranked as (
    select
        cast(user_id as bigint) as user_id,
        experiment_name,
        variant,
        cast(assigned_at as timestamp) as assigned_at,
        row_number() over (
            partition by user_id, experiment_name
            order by assigned_at, variant
        ) as assignment_number
    from {{ source('raw', 'experiment_assignments') }}
    where user_id is not null and experiment_name is not null
)

select
    {{ surrogate_key(['experiment_name', 'user_id']) }} as assignment_id,
    user_id,
    experiment_name,
    variant,
    assigned_at
from ranked
where assignment_number = 1
