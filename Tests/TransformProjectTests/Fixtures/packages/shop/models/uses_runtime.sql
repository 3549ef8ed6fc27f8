{#- What package macros lean on while a model runs: statement blocks and load_result, the
    warehouse's columns, Python's re and set, agate tables, and the running verb. -#}
{%- call statement('ids', fetch_result=True) -%}
    select id, greeting from {{ ref('uses_packages') }}
{%- endcall -%}
{%- set loaded = load_result('ids') -%}
{%- set columns = adapter.get_columns_in_relation(ref('uses_packages')) -%}
{%- set names = set(columns | map(attribute='name') | list + ['id']) -%}
select
    {{ loaded['data'][0][0] if execute else 0 }} as first_id,
    '{{ (loaded['table'].columns['greeting'].values() | list)[0] if execute else "" }}' as first_greeting,
    '{% for name, column in (loaded['table'].columns.items() if execute else []) %}{{ name }}{{ "," if not loop.last }}{% endfor %}' as result_columns,
    '{{ columns | map(attribute='name') | join(',') }}' as column_list,
    {{ names | length }} as distinct_names,
    '{{ modules.re.sub("[^a-z]+", "_", "Hello, World!".lower()) }}' as slug,
    '{{ flags.WHICH }}' as verb,
    '{{ columns[0].data_type if execute else "" }}' as first_type
