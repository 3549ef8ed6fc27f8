{# The project's own implementations, found first where dispatch searches the project first. #}
{% macro default__label() %}'label from the project'{% endmacro %}

{# Not used: dates_pkg's dispatch search order names only the package. #}
{% macro duckdb__day_name(d) %}'project day name'{% endmacro %}

{# Wins over the engine's duckdb__dateadd: the project is first in dbt's search order. #}
{% macro default__dateadd(datepart, interval, from_date_or_timestamp) %}({{ from_date_or_timestamp }} + interval {{ interval }} {{ datepart }}){% endmacro %}
