/// Generic tests beyond dbt's four, shipped with the engine and usable from any project's YAML
/// without a package. Names and arguments follow dbt-expectations (`min_value`, `max_value`,
/// `strictly`, `row_condition`, `mostly`, `value_set`, `column_list`), so a project moving from it
/// mostly renames `dbt_expectations.expect_…` to `expect_…`. Like every generic test, each selects
/// the failing rows; with `mostly` below 1 a test fails (one row: the totals and the share) only
/// when the share of passing rows is below it.
public enum ExpectationMacros {
    public static let fileName = "<storehouse expectations>"

    /// The macros as Jinja: `storehouse expectations export` writes them for dbt-core.
    public static let source = #"""
{% macro storehouse_between(expression, min_value, max_value, strictly) -%}
    {%- set low = '>' if strictly else '>=' -%}
    {%- set high = '<' if strictly else '<=' -%}
    {%- if min_value is not none and max_value is not none -%}
        ({{ expression }} {{ low }} {{ min_value }} and {{ expression }} {{ high }} {{ max_value }})
    {%- elif min_value is not none -%}
        ({{ expression }} {{ low }} {{ min_value }})
    {%- elif max_value is not none -%}
        ({{ expression }} {{ high }} {{ max_value }})
    {%- else -%}
        {{ exceptions.raise_compiler_error("a between test needs min_value, max_value or both") }}
    {%- endif -%}
{%- endmacro %}

{% macro storehouse_share_test(model, shown, condition, mostly, among='1 = 1') %}
{%- if mostly is none or mostly >= 1 %}
select {{ shown }}
from {{ model }}
where ({{ among }}) and not ({{ condition }})
{%- else %}
select total_rows, passing_rows, passing_rows * 1.0 / total_rows as passing_share
from (
    select count(*) as total_rows, count(*) filter (where {{ condition }}) as passing_rows
    from {{ model }}
    where {{ among }}
) shares
where total_rows > 0 and passing_rows * 1.0 / total_rows < {{ mostly }}
{%- endif %}
{% endmacro %}

{% macro storehouse_regex_match(expression, regex) -%}
    {{ return(adapter.dispatch('storehouse_regex_match')(expression, regex)) }}
{%- endmacro %}

{% macro default__storehouse_regex_match(expression, regex) -%}
    regexp_matches({{ expression }}, '{{ regex | replace("'", "''") }}')
{%- endmacro %}

{% macro postgres__storehouse_regex_match(expression, regex) -%}
    ({{ expression }} ~ '{{ regex | replace("'", "''") }}')
{%- endmacro %}

{% test expect_table_row_count_to_be_between(model, min_value=none, max_value=none) %}
select count(*) as row_count
from {{ model }}
having not {{ storehouse_between('count(*)', min_value, max_value, false) }}
{% endtest %}

{% test expect_column_values_to_be_between(model, column_name, min_value=none, max_value=none, strictly=false, row_condition=none) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} is not null
    and not {{ storehouse_between(column_name, min_value, max_value, strictly) }}
    {%- if row_condition %}
    and ({{ row_condition }})
    {%- endif %}
{% endtest %}

{% test expect_column_mean_to_be_between(model, column_name, min_value=none, max_value=none, strictly=false) %}
select avg({{ column_name }}) as mean_value
from {{ model }}
having not {{ storehouse_between('avg(' ~ column_name ~ ')', min_value, max_value, strictly) }}
{% endtest %}

{% test expect_column_sum_to_be_between(model, column_name, min_value=none, max_value=none, strictly=false) %}
select sum({{ column_name }}) as sum_value
from {{ model }}
having not {{ storehouse_between('sum(' ~ column_name ~ ')', min_value, max_value, strictly) }}
{% endtest %}

{% test expect_column_values_to_match_regex(model, column_name, regex, mostly=1.0) %}
{{ storehouse_share_test(model, column_name, storehouse_regex_match(column_name, regex), mostly, column_name ~ ' is not null') }}
{% endtest %}

{% test expect_column_values_to_be_in_set(model, column_name, value_set, quote_values=true, mostly=1.0) %}
{%- set listed = [] -%}
{%- for value in value_set -%}
    {%- do listed.append("'" ~ (value | string | replace("'", "''")) ~ "'" if quote_values else value | string) -%}
{%- endfor -%}
{{ storehouse_share_test(model, column_name, column_name ~ ' in (' ~ (listed | join(', ')) ~ ')', mostly, column_name ~ ' is not null') }}
{% endtest %}

{% test expect_column_values_to_not_be_null(model, column_name, mostly=1.0) %}
{{ storehouse_share_test(model, column_name, column_name ~ ' is not null', mostly) }}
{% endtest %}

{% test expect_compound_columns_to_be_unique(model, column_list, ignore_row_if='all_values_are_missing') %}
select {{ column_list | join(', ') }}, count(*) as n_records
from {{ model }}
{%- if ignore_row_if == 'all_values_are_missing' %}
where not ({% for column in column_list %}{{ column }} is null{% if not loop.last %} and {% endif %}{% endfor %})
{%- elif ignore_row_if == 'any_value_is_missing' %}
where {% for column in column_list %}{{ column }} is not null{% if not loop.last %} and {% endif %}{% endfor %}
{%- endif %}
group by {{ column_list | join(', ') }}
having count(*) > 1
{% endtest %}

{% test expect_row_values_to_have_recent_data(model, column_name, datepart='day', interval=1, as_of=none) %}
select max({{ column_name }}) as most_recent
from {{ model }}
having max({{ column_name }}) is null
    or cast(max({{ column_name }}) as timestamp) < cast({{ dateadd(datepart, -interval, as_of if as_of else current_timestamp()) }} as timestamp)
{% endtest %}
"""#
}
