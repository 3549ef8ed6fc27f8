{% macro helper(x) %}upper({{ x }}){% endmacro %}

{% macro first_column_alias() %}{{ return(util_pkg.helper("'nested'")) }}{% endmacro %}
