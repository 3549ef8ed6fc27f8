{% macro day_name(d) %}{{ return(adapter.dispatch('day_name', 'dates_pkg')(d)) }}{% endmacro %}

{% macro default__day_name(d) %}to_char({{ d }}, 'Day'){% endmacro %}

{% macro duckdb__day_name(d) %}dayname({{ d }}){% endmacro %}
