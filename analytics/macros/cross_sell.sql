{#
  cross_sell_pairs(as_of): the (user, category) pairs where a signed-in user viewed the category
  on or before the date expression `as_of` — a product page of the category, or the category's
  department page — and bought nothing of it (no net-revenue line: cancelled or returned
  purchases do not count as bought) on or before that date.
  Columns: user_id, category, department, category_views, last_viewed_at.
  Shared by cross_sell_candidates (as_of_date) and cross_sell_training (ml_cutoff_date) so
  training rows and scoring rows are defined the same way. Reads fact_events: the events already
  parsed and written once, and no session arithmetic on the way.
#}
{% macro cross_sell_pairs(as_of) -%}
    select
        viewed.user_id,
        viewed.category,
        min(viewed.department) as department,
        count(*) as category_views,
        max(viewed.occurred_at) as last_viewed_at
    from (
        select events.customer_id as user_id, products.category, products.department, events.occurred_at
        from {{ ref('fact_events') }} as events
        inner join {{ ref('stg_products') }} as products on events.product_id = products.product_id
        where events.event_type = 'product'
          and events.customer_id is not null
          and events.event_date <= {{ as_of }}
        union all
        select events.customer_id as user_id, categories.category, categories.department, events.occurred_at
        from {{ ref('fact_events') }} as events
        inner join (
            select distinct category, department, {{ category_slug('category') }} as slug
            from {{ ref('stg_products') }}
        ) as categories
            on events.category_slug = categories.slug
            and events.department_slug = lower(categories.department)
        where events.event_type = 'department'
          and events.customer_id is not null
          and events.event_date <= {{ as_of }}
    ) as viewed
    where not exists (
        select 1
        from {{ ref('int_orders_enriched') }} as bought
        where bought.user_id = viewed.user_id
          and bought.category = viewed.category
          and bought.is_net_revenue
          and bought.order_date <= {{ as_of }}
    )
    group by viewed.user_id, viewed.category
{%- endmacro %}
