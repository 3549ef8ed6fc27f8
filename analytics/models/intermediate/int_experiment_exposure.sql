-- One row per experiment assignment with the user's orders in the conversion window
-- [assigned_at, assigned_at + experiment_conversion_window_days). A conversion is any order
-- placed in the window, whatever happened to it later: cancellation and returns come after the
-- decision the experiment influences. Revenue is reported both gross (every order placed, the
-- experiment's revenue metric) and net (is_net_revenue_status, for finance).
{% set window_days = var('experiment_conversion_window_days') %}
with assignments as (
    select * from {{ ref('stg_experiment_assignments') }}
),

orders as (
    select
        order_id,
        user_id,
        order_status,
        ordered_at,
        sum(sale_price) as gross_revenue,
        sum(net_revenue) as net_revenue
    from {{ ref('int_orders_enriched') }}
    group by order_id, user_id, order_status, ordered_at
),

windowed as (
    select
        assignments.assignment_id,
        orders.order_id,
        orders.ordered_at,
        orders.gross_revenue,
        orders.net_revenue
    from assignments
    inner join orders
        on orders.user_id = assignments.user_id
        and orders.ordered_at >= assignments.assigned_at
        and orders.ordered_at < {{ dbt.dateadd('day', window_days, 'assignments.assigned_at') }}
),

per_assignment as (
    select
        assignment_id,
        count(*) as orders_in_window,
        sum(gross_revenue) as revenue_in_window,
        sum(net_revenue) as net_revenue_in_window,
        min(ordered_at) as first_conversion_at
    from windowed
    group by assignment_id
)

select
    assignments.assignment_id,
    assignments.experiment_name,
    assignments.variant,
    assignments.user_id,
    assignments.assigned_at,
    coalesce(per_assignment.orders_in_window, 0) as orders_in_window,
    coalesce(per_assignment.revenue_in_window, 0) as revenue_in_window,
    coalesce(per_assignment.net_revenue_in_window, 0) as net_revenue_in_window,
    per_assignment.first_conversion_at,
    per_assignment.first_conversion_at is not null as converted,
    {{ dbt.dateadd('day', window_days, 'assignments.assigned_at') }} as window_ends_at,
    -- the data runs to the end of as_of_date; a window still open then would understate conversion
    {{ dbt.dateadd('day', window_days, 'assignments.assigned_at') }} <= {{ dbt.dateadd('day', 1, as_of_date()) }} as is_window_complete
from assignments
left join per_assignment on assignments.assignment_id = per_assignment.assignment_id
