{% macro to_money(column) %}round(cast({{ column }} as decimal(12, 4)), 2){% endmacro %}
