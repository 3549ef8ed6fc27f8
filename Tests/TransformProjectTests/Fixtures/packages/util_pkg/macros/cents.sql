{% macro cents(column) %}{{ return(adapter.dispatch('cents', 'util_pkg')(column)) }}{% endmacro %}

{% macro default__cents(column) %}({{ column }} * 100){% endmacro %}

{% macro duckdb__cents(column) %}cast({{ column }} * 100 as bigint){% endmacro %}
