{#
  customer_status(kind, lifetime_orders, lifetime_value, days_since_last_order)

  The ONE definition of the customer segment and lifecycle used by dim_customers, the snapshot and
  the ML features. Arguments are SQL expressions; `kind` is 'segment' or 'lifecycle'.

  kind = 'segment' (value tier, from every order placed and net lifetime value):
    VIP         lifetime_orders >= var vip_min_orders (4)
                or lifetime_value >= var vip_min_lifetime_value (300)
    Regular     lifetime_orders >= var regular_min_orders (3)
    Occasional  lifetime_orders >= var occasional_min_orders (2)
    One-Time    lifetime_orders = 1
    Prospect    no order yet (signed up, never ordered)

  kind = 'lifecycle' (recency, days from the last order to as_of_date):
    Active      days <= var lifecycle_active_max_days (90)
    At Risk     days <= var lifecycle_at_risk_max_days (180)
    Dormant     days <= var lifecycle_dormant_max_days (365)
    Lost        older
    Prospect    no order yet
#}
{% macro customer_status(kind, lifetime_orders, lifetime_value, days_since_last_order) -%}
    {%- if kind == 'segment' -%}
    case
        when coalesce({{ lifetime_orders }}, 0) = 0 then 'Prospect'
        when {{ lifetime_orders }} >= {{ var('vip_min_orders') }}
            or coalesce({{ lifetime_value }}, 0) >= {{ var('vip_min_lifetime_value') }} then 'VIP'
        when {{ lifetime_orders }} >= {{ var('regular_min_orders') }} then 'Regular'
        when {{ lifetime_orders }} >= {{ var('occasional_min_orders') }} then 'Occasional'
        else 'One-Time'
    end
    {%- elif kind == 'lifecycle' -%}
    case
        when coalesce({{ lifetime_orders }}, 0) = 0 or {{ days_since_last_order }} is null then 'Prospect'
        when {{ days_since_last_order }} <= {{ var('lifecycle_active_max_days') }} then 'Active'
        when {{ days_since_last_order }} <= {{ var('lifecycle_at_risk_max_days') }} then 'At Risk'
        when {{ days_since_last_order }} <= {{ var('lifecycle_dormant_max_days') }} then 'Dormant'
        else 'Lost'
    end
    {%- else -%}
        {{ exceptions.raise_compiler_error("customer_status: kind must be 'segment' or 'lifecycle', got '" ~ kind ~ "'") }}
    {%- endif -%}
{%- endmacro %}
