{% macro large_order_threshold() %}50{% endmacro %}
