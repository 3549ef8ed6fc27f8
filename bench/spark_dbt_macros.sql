{#- Given to dbt-spark's copy of the bundled project by bench/spark_vs_dbt.sh (the root project's
    spark__ macros take precedence over dbt-spark's own in dbt's dispatch), so both builds mean the
    same thing by dateadd and datediff: dbt-spark's own dateadd goes through to_unix_timestamp and
    drops the fraction of a second (a 30-minute session timeout then splits sessions differently),
    and its datediff of seconds or minutes rounds the elapsed time up instead of counting the
    boundaries crossed as dbt-duckdb and dbt-postgres do. These are the meanings Storehouse
    renders on every engine. -#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) %}
    timestampadd({{ datepart }}, {{ interval }}, {{ from_date_or_timestamp }})
{% endmacro %}

{% macro spark__datediff(first_date, second_date, datepart) -%}
    {%- if datepart == 'day' -%}
        datediff(cast({{ second_date }} as date), cast({{ first_date }} as date))
    {%- elif datepart in ('hour', 'minute', 'second') -%}
        timestampdiff({{ datepart }}, date_trunc('{{ datepart }}', cast({{ first_date }} as timestamp)), date_trunc('{{ datepart }}', cast({{ second_date }} as timestamp)))
    {%- else -%}
        {{ exceptions.raise_compiler_error("the bench's datediff covers day, hour, minute and second; the bundled project asked for " ~ datepart) }}
    {%- endif -%}
{%- endmacro %}
