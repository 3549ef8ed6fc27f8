{#- dbt's `graph`: what packages such as dbt_project_evaluator read. -#}
{%- set models = [] -%}
{%- set parents = [] -%}
{%- set sources = [] -%}
{%- if execute -%}
{%- for node in graph.nodes.values() | selectattr('resource_type', 'equalto', 'model') | sort(attribute='unique_id') -%}
{%- do models.append(node.package_name ~ '.' ~ node.name ~ ':' ~ node.config.materialized ~ ':' ~ (node.tags | join('+'))) -%}
{%- endfor -%}
{%- set paid = graph.nodes['model.pkg_models_shop.orders_paid'] -%}
{%- do parents.extend(paid.depends_on.nodes | sort) -%}
{%- for source in graph.sources.values() -%}
{%- do sources.append(source.source_name ~ '.' ~ source.name ~ '@' ~ source.schema ~ '.' ~ source.identifier) -%}
{%- endfor -%}
{%- endif -%}
select
    '{{ models | join(", ") }}' as models,
    '{{ parents | join(", ") }}' as parents,
    '{{ sources | join(", ") }}' as sources,
    {{ graph.nodes.values() | selectattr('resource_type', 'equalto', 'test') | list | length if execute else 0 }} as tests,
    '{{ (graph.nodes.values() | selectattr('resource_type', 'equalto', 'seed') | map(attribute='name') | sort | join(',')) if execute else '' }}' as seeds
