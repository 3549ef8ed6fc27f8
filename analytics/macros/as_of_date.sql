{#
  as_of_date(): the date every "days since", lifecycle and recency figure is measured from.
  The project var `as_of_date` wins; when it is null the date of the latest order in the raw data
  is used. Never current_date: rebuilding the same data must give the same marts.
  Renders a SQL expression of type date (a literal or an uncorrelated scalar subquery).
#}
{% macro as_of_date() -%}
    {%- if var('as_of_date', none) -%}
        cast('{{ var("as_of_date") }}' as date)
    {%- else -%}
        (select cast(max(created_at) as date) from {{ source('raw', 'orders') }})
    {%- endif -%}
{%- endmacro %}

{#
  ml_cutoff_date(): the point in time that splits machine-learning features (history up to and
  including the cutoff) from targets (the `ml_target_days` days after it). The var
  `ml_cutoff_date` wins; otherwise as_of_date() minus `ml_target_days`, so the target window is
  fully observed.
#}
{% macro ml_cutoff_date() -%}
    {%- if var('ml_cutoff_date', none) -%}
        cast('{{ var("ml_cutoff_date") }}' as date)
    {%- else -%}
        cast({{ dbt.dateadd('day', -1 * var('ml_target_days') | int, as_of_date()) }} as date)
    {%- endif -%}
{%- endmacro %}

{#
  ml_cutoffs(): the points in time the ML feature marts are taken at, one row each with
  cutoff_date (date) and ml_window:
    'score'    as_of_date(): today's features; their targets lie in the future (NULL);
    'validate' ml_cutoff_date(): the latest cutoff whose ml_target_days are fully observed;
    'train'    var ml_training_windows earlier cutoffs, ml_target_days apart.
  Models learn from 'train' rows and are judged on 'validate' rows, a later period: a split by
  time, so validation figures mean what they will mean in production.
#}
{% macro ml_cutoffs() -%}
    select cast({{ as_of_date() }} as date) as cutoff_date, 'score' as ml_window
    union all
    select {{ ml_cutoff_date() }} as cutoff_date, 'validate' as ml_window
    {%- for k in range(1, (var('ml_training_windows') | int) + 1) %}
    union all
    select cast({{ dbt.dateadd('day', -1 * k * (var('ml_target_days') | int), ml_cutoff_date()) }} as date) as cutoff_date, 'train' as ml_window
    {%- endfor %}
{%- endmacro %}
