-- One row per user exposed to an experiment (first assignment), with the outcome in the
-- conversion window: converted (any order placed within experiment_conversion_window_days days
-- of assignment), orders, gross and net revenue in the window, and days to the first conversion.
select
    exposure.assignment_id,
    exposure.experiment_name,
    exposure.variant,
    exposure.variant = '{{ var("experiment_control_variant") }}' as is_control,
    exposure.user_id as customer_id,
    exposure.assigned_at,
    cast(exposure.assigned_at as date) as assigned_date,
    customers.customer_segment,
    customers.acquisition_source,
    exposure.converted,
    exposure.orders_in_window,
    exposure.revenue_in_window,
    exposure.net_revenue_in_window,
    exposure.first_conversion_at,
    exposure.window_ends_at,
    exposure.is_window_complete,
    {{ dbt.datediff('exposure.assigned_at', 'exposure.first_conversion_at', 'day') }} as days_to_conversion
from {{ ref('int_experiment_exposure') }} as exposure
left join {{ ref('dim_customers') }} as customers on exposure.user_id = customers.customer_id
