{#
  Custom schemas are used as written (staging, intermediate, marts, snapshots) instead of dbt's
  default `<target schema>_<custom schema>`, so dashboards and users address `marts.dim_customers`
  on every target. Models without a custom schema go to the target's schema.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
