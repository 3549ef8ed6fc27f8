{#
  date_part_number(part, expression): extract(part from expression) for the parts PostgreSQL and
  DuckDB name dow (0 = Sunday), isodow (1 = Monday), doy, week (ISO) and isoyear. Spark spells
  some of them differently (dayofweek counts from 1, dayofweek_iso, yearofweek).
#}
{% macro date_part_number(part, expression) -%}
    {{ return(adapter.dispatch('date_part_number')(part, expression)) }}
{%- endmacro %}

{% macro default__date_part_number(part, expression) -%}
    extract({{ part }} from {{ expression }})
{%- endmacro %}

{% macro spark__date_part_number(part, expression) -%}
    {%- if part == 'dow' -%}
        (extract(dayofweek from {{ expression }}) - 1)
    {%- elif part == 'isodow' -%}
        extract(dayofweek_iso from {{ expression }})
    {%- elif part == 'isoyear' -%}
        extract(yearofweek from {{ expression }})
    {%- else -%}
        extract({{ part }} from {{ expression }})
    {%- endif -%}
{%- endmacro %}
