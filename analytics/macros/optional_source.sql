{#
  optional_source(source_name, table_name, column_types): the source relation when it exists in
  the warehouse, else an empty relation with the given columns and types, so a model over a feed
  that not every warehouse loads (the REES46 marketplace clickstream) builds everywhere and
  simply holds no rows until the feed arrives.
  `column_types` is a mapping of column name to SQL type, in the source's column order. The
  source is always named through source(), so lineage and `--select source:...+` see it.
#}
{% macro optional_source(source_name, table_name, column_types) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- set found = none -%}
    {%- if execute -%}
        {%- set found = adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
    {%- endif -%}
    {%- if found is not none -%}
        {{ relation }}
    {%- else -%}
        (select
        {%- for name, type in column_types.items() %}
            cast(null as {{ type }}) as {{ name }}{{ "," if not loop.last }}
        {%- endfor %}
        where 1 = 0)
    {%- endif -%}
{%- endmacro %}
