{# A package test whose config() sits in the macro it dispatches to, as dbt_utils' tests do:
   failures are sum(gap), a warning above 0, an error above `at_most`. #}
{% test row_gap(model, column_name, at_most) %}
    {{ return(adapter.dispatch('test_row_gap', 'util_pkg')(model, column_name, at_most)) }}
{% endtest %}

{% macro default__test_row_gap(model, column_name, at_most) %}
{{ config(fail_calc = 'sum(gap)', warn_if = '> 0', error_if = '> ' ~ at_most) }}
select {{ column_name }} as gap from {{ model }}
{% endmacro %}
