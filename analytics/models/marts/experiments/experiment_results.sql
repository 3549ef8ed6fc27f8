-- One row per experiment and variant, each treatment compared with the experiment's control
-- (var experiment_control_variant).
--
-- conversion_rate      converted users / exposed users (conversion = any order placed within
--                      experiment_conversion_window_days (30) of assignment)
-- revenue_per_user     gross revenue of those orders / exposed users
-- absolute_lift        conversion_rate - control conversion_rate
-- relative_lift        absolute_lift / control conversion_rate
-- ci_95_low/high       absolute_lift -/+ 1.96 * sqrt(p1(1-p1)/n1 + p0(1-p0)/n0)  (Wald interval)
-- z_score, p_value     two-proportion z-test with the pooled proportion; p_value two-sided via
--                      the portable normal_cdf macro (erf approximation, error < 1.5e-7)
-- srm_chi_square       sum over the experiment's variants of (n - N/k)^2 / (N/k), expected an
--                      equal split; srm_p_value from chi_square_p_value with k - 1 degrees of
--                      freedom; srm_detected when srm_p_value < var srm_alpha (0.001)
-- Only exposures whose conversion window had closed by as_of_date are analysed (a window still
-- open would understate conversion); immature_users counts the ones left out.
-- Lift and test columns are NULL on the control row itself.
{% set control = var('experiment_control_variant') %}
with per_variant as (
    select
        experiment_name,
        variant,
        count(*) as exposed_users,
        count(case when converted then 1 end) as converted_users,
        sum(revenue_in_window) as revenue,
        sum(net_revenue_in_window) as net_revenue,
        cast(sum(orders_in_window) as {{ dbt.type_bigint() }}) as orders
    from {{ ref('experiment_exposure') }}
    where is_window_complete
    group by experiment_name, variant
),

immature as (
    select experiment_name, variant, count(*) as immature_users
    from {{ ref('experiment_exposure') }}
    where not is_window_complete
    group by experiment_name, variant
),

experiment_totals as (
    select
        experiment_name,
        sum(exposed_users) as experiment_users,
        count(*) as variant_count
    from per_variant
    group by experiment_name
),

sample_ratio as (
    select
        per_variant.experiment_name,
        sum(
            power(per_variant.exposed_users - cast(totals.experiment_users as {{ double_type() }}) / totals.variant_count, 2)
            / (cast(totals.experiment_users as {{ double_type() }}) / totals.variant_count)
        ) as srm_chi_square
    from per_variant
    inner join experiment_totals as totals on per_variant.experiment_name = totals.experiment_name
    group by per_variant.experiment_name
),

rates as (
    select
        per_variant.*,
        {{ safe_divide('per_variant.converted_users', 'per_variant.exposed_users') }} as conversion_rate,
        {{ safe_divide('per_variant.revenue', 'per_variant.exposed_users') }} as revenue_per_user
    from per_variant
),

compared as (
    select
        rates.*,
        rates.variant = '{{ control }}' as is_control,
        control.exposed_users as control_exposed_users,
        control.conversion_rate as control_conversion_rate,
        control.revenue_per_user as control_revenue_per_user,
        case when rates.variant <> '{{ control }}' then rates.conversion_rate - control.conversion_rate end as absolute_lift,
        case when rates.variant <> '{{ control }}' then sqrt(
            rates.conversion_rate * (1 - rates.conversion_rate) / rates.exposed_users
            + control.conversion_rate * (1 - control.conversion_rate) / control.exposed_users
        ) end as standard_error,
        case when rates.variant <> '{{ control }}' then
            cast(rates.converted_users + control.converted_users as {{ double_type() }})
            / (rates.exposed_users + control.exposed_users)
        end as pooled_rate
    from rates
    left join rates as control
        on rates.experiment_name = control.experiment_name
        and control.variant = '{{ control }}'
),

tested as (
    select
        compared.*,
        {{ safe_divide('absolute_lift', 'sqrt(pooled_rate * (1 - pooled_rate) * (1.0 / exposed_users + 1.0 / control_exposed_users))') }} as z_score
    from compared
)

select
    {{ surrogate_key(['tested.experiment_name', 'tested.variant']) }} as experiment_variant_id,
    tested.experiment_name,
    tested.variant,
    tested.is_control,
    tested.exposed_users,
    coalesce(immature.immature_users, 0) as immature_users,
    tested.converted_users,
    tested.orders,
    tested.revenue,
    tested.net_revenue,
    tested.conversion_rate,
    tested.revenue_per_user,
    tested.control_conversion_rate,
    tested.control_revenue_per_user,
    tested.absolute_lift,
    {{ safe_divide('tested.absolute_lift', 'tested.control_conversion_rate') }} as relative_lift,
    case when not tested.is_control then tested.revenue_per_user - tested.control_revenue_per_user end as revenue_per_user_lift,
    tested.absolute_lift - 1.96 * tested.standard_error as ci_95_low,
    tested.absolute_lift + 1.96 * tested.standard_error as ci_95_high,
    tested.z_score,
    case when tested.z_score is not null then {{ two_sided_p_value('tested.z_score') }} end as p_value,
    case when tested.z_score is not null then {{ two_sided_p_value('tested.z_score') }} < {{ var('experiment_alpha') }} end as is_significant,
    totals.variant_count,
    {{ safe_divide('tested.exposed_users', 'totals.experiment_users') }} as traffic_share,
    sample_ratio.srm_chi_square,
    {{ chi_square_p_value('sample_ratio.srm_chi_square', 'totals.variant_count - 1') }} as srm_p_value,
    {{ chi_square_p_value('sample_ratio.srm_chi_square', 'totals.variant_count - 1') }} < {{ var('srm_alpha') }} as srm_detected
from tested
inner join experiment_totals as totals on tested.experiment_name = totals.experiment_name
inner join sample_ratio on tested.experiment_name = sample_ratio.experiment_name
left join immature on tested.experiment_name = immature.experiment_name and tested.variant = immature.variant
