/// The cross-database macros as they render on Spark (`type: spark`), so a project written with
/// `dbt.dateadd`, `dbt.datediff`, `dbt.safe_cast`, … builds there unchanged. Each gives what the
/// DuckDB and PostgreSQL renderings give (dbt's documented meaning), in Spark SQL:
/// - dateadd through `timestampadd` (a timestamp, as date + interval is elsewhere);
/// - datediff counts the boundaries crossed, as DuckDB's date_diff and dbt-postgres' do (whole
///   units between the two values truncated to the unit; weeks by days and weekday);
/// - safe_cast is `try_cast`: Spark may evaluate a cast in a CASE or filter before the condition
///   that guards it, where ANSI mode turns a bad value into an error;
/// - string literals escape a quote with a backslash (`''` is two adjacent literals in Spark).
extension BuiltinMacros {
    static let spark = #"""
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) %}
    timestampadd({{ datepart }}, {{ interval }}, {{ from_date_or_timestamp }})
{% endmacro %}

{% macro spark__datediff(first_date, second_date, datepart) -%}
    {%- if datepart == 'week' -%}
        (div({{ datediff(first_date, second_date, 'day') }}, 7) + case
            when dayofweek({{ first_date }}) <= dayofweek({{ second_date }}) then
                case when {{ first_date }} <= {{ second_date }} then 0 else -1 end
            else
                case when {{ first_date }} <= {{ second_date }} then 1 else 0 end
        end)
    {%- elif datepart == 'day' -%}
        datediff(cast({{ second_date }} as date), cast({{ first_date }} as date))
    {%- else -%}
        timestampdiff({{ datepart }}, date_trunc('{{ datepart }}', cast({{ first_date }} as timestamp)), date_trunc('{{ datepart }}', cast({{ second_date }} as timestamp)))
    {%- endif -%}
{%- endmacro %}

{% macro spark__safe_cast(field, type) %}
    try_cast({{ field }} as {{ type }})
{% endmacro %}

{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if limit_num -%}
    {{ exceptions.raise_compiler_error("listagg with limit_num is not supported on Spark; leave limit_num out or filter the rows first") }}
    {%- endif -%}
    listagg({{ measure }}, {{ delimiter_text }}){% if order_by_clause %} within group ({{ order_by_clause }}){% endif %}
{%- endmacro %}

{% macro spark__escape_single_quotes(expression) -%}
{{ expression | replace("\\", "\\\\") | replace("'", "\\'") }}
{%- endmacro %}
"""#
}
