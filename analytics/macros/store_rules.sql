{#
  is_net_revenue_status(status): true when an order or item counts toward net revenue.
  Cancelled orders never shipped and Returned orders were refunded, so both are excluded from net
  revenue, net orders, cost of goods and gross profit everywhere in the project; gross revenue
  counts every item placed.
#}
{% macro is_net_revenue_status(status) -%}
    ({{ status }} not in ('Cancelled', 'Returned'))
{%- endmacro %}

{#
  funnel_stage_rank(event_type): position of an event type in the store funnel
  home (1) -> department (2) -> product (3) -> cart (4) -> purchase (5); other types (cancel) 0.
#}
{% macro funnel_stage_rank(event_type) -%}
    case {{ event_type }}
        when 'home' then 1
        when 'department' then 2
        when 'product' then 3
        when 'cart' then 4
        when 'purchase' then 5
        else 0
    end
{%- endmacro %}

{#
  funnel_stage_name(rank): inverse of funnel_stage_rank; 0 = 'none'.
#}
{% macro funnel_stage_name(rank) -%}
    case {{ rank }}
        when 1 then 'home'
        when 2 then 'department'
        when 3 then 'product'
        when 4 then 'cart'
        when 5 then 'purchase'
        else 'none'
    end
{%- endmacro %}

{#
  clean_country(country): one spelling per country; the raw data mixes English names with
  local ones ("Brasil", "España", "Deutschland").
#}
{% macro clean_country(country) -%}
    case trim({{ country }})
        when 'Brasil' then 'Brazil'
        when 'España' then 'Spain'
        when 'Deutschland' then 'Germany'
        when '' then null
        else trim({{ country }})
    end
{%- endmacro %}

{#
  null_if_blank(text): the literal strings 'null' (any case) and '' become SQL NULL; about 1% of
  raw cities are the text "null".
#}
{% macro null_if_blank(text) -%}
    case when lower(trim({{ text }})) in ('null', '') then null else trim({{ text }}) end
{%- endmacro %}

{#
  category_slug(category): the category as it appears in department URIs: lowercased, spaces
  removed ('Tops & Tees' -> 'tops&tees').
#}
{% macro category_slug(category) -%}
    replace(lower({{ category }}), ' ', '')
{%- endmacro %}

{#
  Visitors. A visitor is a signed-in user, or, for anonymous ("ghost") traffic, the tracker's
  session. ghost_session_key(user_id, source_session_id) is NULL for signed-in users and the
  tracker session for ghosts, so the pair (user_id, ghost_session_key) identifies a visitor
  without building a string per event: the session numbering partitions by it and fct_sessions
  groups by it. visitor_id(user_id, ghost_or_source_session_id) is the readable id,
  'user-<id>' or 'ghost-<tracker session>', built only where it is shown.
#}
{% macro ghost_session_key(user_id, source_session_id) -%}
    case when {{ user_id }} is null then {{ source_session_id }} end
{%- endmacro %}

{% macro visitor_id(user_id, source_session_id) -%}
    case
        when {{ user_id }} is not null then {{ dbt.concat(["'user-'", "cast(" ~ user_id ~ " as " ~ dbt.type_string() ~ ")"]) }}
        else {{ dbt.concat(["'ghost-'", source_session_id]) }}
    end
{%- endmacro %}
