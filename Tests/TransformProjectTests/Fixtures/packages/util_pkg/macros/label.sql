{% macro label() %}{{ return(adapter.dispatch('label', 'util_pkg')()) }}{% endmacro %}

{% macro default__label() %}'label from util_pkg'{% endmacro %}
