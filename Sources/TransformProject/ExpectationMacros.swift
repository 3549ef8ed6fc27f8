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

{% macro spark__storehouse_regex_match(expression, regex) -%}
    regexp_like({{ expression }}, '{{ regex | replace("\\", "\\\\") | replace("'", "\\'") }}')
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
{#- Distribution drift: the population stability index (PSI) of a column against its profile at
    the last build where this test did not fail, kept in <target schema>_storehouse_meta.column_profiles
    (the engine refreshes it after the test; `--vars '{storehouse_accept_drift: true}'` refreshes it
    after a failure too, accepting the new distribution). Numeric columns fall into `bins` equal-width
    bins between the reference's min and max (plus below, above and null); other columns by value
    (the 50 most frequent, the rest as one bucket). PSI = sum((actual - expected) * ln(actual / expected))
    over buckets, shares floored at 0.0001; 0.1 is a small shift, above 0.25 a large one. Without a
    reference (the first build) the test passes. -#}
{% macro storehouse_profile_schema() -%}
    {{ return(target.schema ~ '_storehouse_meta') }}
{%- endmacro %}

{% macro storehouse_profile_key(model) -%}
    {%- if model.identifier is not defined -%}
        {{ exceptions.raise_compiler_error("expect_column_distribution_to_be_stable compares a whole relation with its profile: remove the test's where config") }}
    {%- endif -%}
    {{ return((model.schema ~ '.' ~ model.identifier) | lower) }}
{%- endmacro %}

{% macro storehouse_profile_kind(model, column_name, categorical) -%}
    {%- if categorical is not none -%}{{ return('categorical' if categorical else 'numeric') }}{%- endif -%}
    {%- set found = namespace(kind=none) -%}
    {%- for column in adapter.get_columns_in_relation(model) -%}
        {%- if column.name | lower == column_name | lower -%}
            {%- set found.kind = 'numeric' if column.is_number() else 'categorical' -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if found.kind is none -%}
        {{ exceptions.raise_compiler_error("expect_column_distribution_to_be_stable: " ~ model ~ " has no column '" ~ column_name ~ "'") }}
    {%- endif -%}
    {{ return(found.kind) }}
{%- endmacro %}

{% macro storehouse_profile_bucket(expression, kind, bins, low='low', high='high', known=none) -%}
    {%- if kind == 'numeric' -%}
    case when {{ expression }} is null then 'null'
        when cast({{ expression }} as {{ storehouse_double_type() }}) < {{ low }} then 'below'
        when cast({{ expression }} as {{ storehouse_double_type() }}) > {{ high }} then 'above'
        else cast(cast(least({{ bins }}, floor((cast({{ expression }} as {{ storehouse_double_type() }}) - {{ low }})
            / (case when {{ high }} > {{ low }} then {{ high }} - {{ low }} else 1 end) * {{ bins }}) + 1) as integer) as {{ storehouse_string_type() }})
    end
    {%- elif known is none -%}
    case when {{ expression }} is null then 'null' else cast({{ expression }} as {{ storehouse_string_type() }}) end
    {%- else -%}
    case when {{ expression }} is null then 'null'
        when cast({{ expression }} as {{ storehouse_string_type() }}) in (select bucket from {{ known }}) then cast({{ expression }} as {{ storehouse_string_type() }})
        else '__other__' end
    {%- endif -%}
{%- endmacro %}

{% test expect_column_distribution_to_be_stable(model, column_name, max_psi=0.25, bins=10, categorical=none) %}
{%- set key = storehouse_profile_key(model) -%}
{%- set profiles = adapter.get_relation(database=target.database, schema=storehouse_profile_schema(), identifier='column_profiles') -%}
{%- if profiles is none %}
select 0 as psi where 1 = 0
{%- else %}
{%- set kind = storehouse_profile_kind(model, column_name, categorical) %}
with reference as (
    select bucket, share, low, high
    from {{ profiles }}
    where relation_name = '{{ key }}' and column_name = '{{ column_name | lower }}'
),
edges as (
    select min(low) as low, max(high) as high from reference
),
{%- if kind == 'numeric' %}
current_buckets as (
    select {{ storehouse_profile_bucket(column_name, kind, bins, 'edges.low', 'edges.high', 'reference') }} as bucket, 1 as n
    from {{ model }} cross join edges
),
{%- else %}
{#- A text column has few values: counted first, each value is then matched to a bucket once. #}
current_values as (
    select {{ column_name }} as profiled_value, count(*) as n from {{ model }} group by 1
),
current_buckets as (
    select {{ storehouse_profile_bucket('profiled_value', kind, bins, 'edges.low', 'edges.high', 'reference') }} as bucket, n
    from current_values cross join edges
),
{%- endif %}
current_shares as (
    select bucket, sum(n) * 1.0 / sum(sum(n)) over () as share
    from current_buckets
    group by bucket
),
compared as (
    select coalesce(r.bucket, c.bucket) as bucket,
        greatest(coalesce(r.share, 0), 0.0001) as expected_share,
        greatest(coalesce(c.share, 0), 0.0001) as actual_share
    from reference r
    full outer join current_shares c on r.bucket = c.bucket
),
contributions as (
    select bucket, expected_share, actual_share,
        (actual_share - expected_share) * ln(actual_share / expected_share) as contribution
    from compared
),
ranked as (
    select bucket, expected_share, actual_share,
        sum(contribution) over () as psi,
        row_number() over (order by contribution desc, bucket) as position
    from contributions
)
select psi, {{ max_psi }} as max_psi, bucket as most_shifted_bucket, expected_share, actual_share
from ranked
where position = 1 and psi > {{ max_psi }} and exists (select 1 from reference)
{%- endif %}
{% endtest %}

{#- The statements that make the column's current distribution its reference (the engine runs them
    after the test; an on-run-end hook can call it under dbt-core). -#}
{#- Type names and the removal of a column's old profile, per engine: Spark spells the types
    string and double, and its parquet tables take no DELETE, so the profiles table is written
    anew without the column's rows. -#}
{% macro storehouse_double_type() -%}
    {{ return(adapter.dispatch('storehouse_double_type')()) }}
{%- endmacro %}

{% macro default__storehouse_double_type() -%}
    double precision
{%- endmacro %}

{% macro spark__storehouse_double_type() -%}
    double
{%- endmacro %}

{% macro storehouse_string_type() -%}
    {{ return(adapter.dispatch('storehouse_string_type')()) }}
{%- endmacro %}

{% macro default__storehouse_string_type() -%}
    varchar
{%- endmacro %}

{% macro spark__storehouse_string_type() -%}
    string
{%- endmacro %}

{% macro storehouse_clear_column_profile(schema, key, column) -%}
    {{ return(adapter.dispatch('storehouse_clear_column_profile')(schema, key, column)) }}
{%- endmacro %}

{% macro default__storehouse_clear_column_profile(schema, key, column) -%}
delete from {{ schema }}.column_profiles where relation_name = '{{ key }}' and column_name = '{{ column }}';
{%- endmacro %}

{% macro spark__storehouse_clear_column_profile(schema, key, column) -%}
drop table if exists {{ schema }}.column_profiles__kept;
create table {{ schema }}.column_profiles__kept as
select * from {{ schema }}.column_profiles where not (relation_name = '{{ key }}' and column_name = '{{ column }}');
drop table {{ schema }}.column_profiles;
alter table {{ schema }}.column_profiles__kept rename to column_profiles;
{%- endmacro %}

{% macro storehouse_refresh_column_profile(model, column_name, max_psi=0.25, bins=10, categorical=none) -%}
{%- set kind = storehouse_profile_kind(model, column_name, categorical) -%}
{%- set schema = storehouse_profile_schema() -%}
{%- set key = storehouse_profile_key(model) -%}
create schema if not exists {{ schema }};
create table if not exists {{ schema }}.column_profiles (
    relation_name {{ storehouse_string_type() }}, column_name {{ storehouse_string_type() }}, kind {{ storehouse_string_type() }}, bucket {{ storehouse_string_type() }},
    low {{ storehouse_double_type() }}, high {{ storehouse_double_type() }}, share {{ storehouse_double_type() }}, row_count bigint, profiled_at timestamp
);
{{ storehouse_clear_column_profile(schema, key, column_name | lower) }}
insert into {{ schema }}.column_profiles
{%- if kind == 'numeric' %}
with edges as (
    select min(cast({{ column_name }} as {{ storehouse_double_type() }})) as low, max(cast({{ column_name }} as {{ storehouse_double_type() }})) as high,
        count(*) as row_count
    from {{ model }}
),
buckets as (
    select {{ storehouse_profile_bucket(column_name, kind, bins, 'edges.low', 'edges.high') }} as bucket, count(*) as n
    from {{ model }} cross join edges
    group by 1
),
{%- else %}
with profiled_values as (
    select {{ column_name }} as profiled_value, count(*) as n from {{ model }} group by 1
),
edges as (
    select cast(null as {{ storehouse_double_type() }}) as low, cast(null as {{ storehouse_double_type() }}) as high, sum(n) as row_count from profiled_values
),
buckets as (
    select {{ storehouse_profile_bucket('profiled_value', kind, bins, 'edges.low', 'edges.high') }} as bucket, sum(n) as n
    from profiled_values cross join edges
    group by 1
),
{%- endif %}
ranked as (
    select bucket, n, row_number() over (order by n desc, bucket) as position from buckets
),
kept as (
    select {% if kind == 'numeric' %}bucket{% else %}case when position <= 50 or bucket = 'null' then bucket else '__other__' end{% endif %} as bucket, sum(n) as n
    from ranked
    group by 1
)
select '{{ key }}', '{{ column_name | lower }}', '{{ kind }}', kept.bucket, edges.low, edges.high,
    kept.n * 1.0 / edges.row_count, edges.row_count, current_timestamp
from kept cross join edges
{%- endmacro %}
"""#
}
