{#
  cross_sell_pairs(cutoffs): for each row of the relation named by `cutoffs` (columns cutoff_date,
  ml_window; see macro ml_cutoffs), the (user, category) pairs where a signed-in user viewed the
  category on or before the cutoff — a product page of the category, or the category's
  department page — and bought nothing of it (no net-revenue line: cancelled or returned
  purchases do not count as bought) on or before that date.
  Columns: cutoff_date, ml_window, user_id, category, department, category_views, last_viewed_at.
  Shared by cross_sell_candidates (as_of_date) and cross_sell_training (the training and
  validation cutoffs) so training rows and scoring rows are defined the same way. Reads
  fact_events: the events already parsed and written once, and no session arithmetic on the way.
#}
{% macro cross_sell_pairs(cutoffs) -%}
    select
        viewed.cutoff_date,
        viewed.ml_window,
        viewed.user_id,
        viewed.category,
        min(viewed.department) as department,
        count(*) as category_views,
        max(viewed.occurred_at) as last_viewed_at
    from (
        select cutoffs.cutoff_date, cutoffs.ml_window, events.customer_id as user_id, products.category, products.department, events.occurred_at
        from {{ ref('fact_events') }} as events
        inner join {{ cutoffs }} as cutoffs on events.event_date <= cutoffs.cutoff_date
        inner join {{ ref('stg_products') }} as products on events.product_id = products.product_id
        where events.event_type = 'product'
          and events.customer_id is not null
        union all
        select cutoffs.cutoff_date, cutoffs.ml_window, events.customer_id as user_id, categories.category, categories.department, events.occurred_at
        from {{ ref('fact_events') }} as events
        inner join {{ cutoffs }} as cutoffs on events.event_date <= cutoffs.cutoff_date
        inner join (
            select distinct category, department, {{ category_slug('category') }} as slug
            from {{ ref('stg_products') }}
        ) as categories
            on events.category_slug = categories.slug
            and events.department_slug = lower(categories.department)
        where events.event_type = 'department'
          and events.customer_id is not null
    ) as viewed
    where not exists (
        select 1
        from {{ ref('int_orders_enriched') }} as bought
        where bought.user_id = viewed.user_id
          and bought.category = viewed.category
          and bought.is_net_revenue
          and bought.order_date <= viewed.cutoff_date
    )
    group by viewed.cutoff_date, viewed.ml_window, viewed.user_id, viewed.category
{%- endmacro %}

{#
  cross_sell_features(cutoffs): the pairs of cross_sell_pairs(cutoffs) with every feature the
  cross-sell model reads, each known at the pair's cutoff: interest in the category, the
  customer's order history, the category's recent popularity, age and gender, and
  co_purchase_rate: market-basket affinity, the strongest rule "orders holding A also hold the
  candidate category" over the categories A the customer bought (the share of orders before the
  cutoff holding A that also held it; A in at least 10 orders; 0 without such a rule). The training set
  and the scoring set both select from it, so a model trained on one reads the same columns,
  computed the same way, on the other.
  Columns: cutoff_date, ml_window, customer_id, category, department, category_views,
  last_viewed_at, days_since_last_view, category_units_last_90d, orders_before_cutoff,
  categories_bought_before_cutoff, days_since_last_order, co_purchase_rate, age, gender.
#}
{% macro cross_sell_features(cutoffs) -%}
    select
        pairs.cutoff_date,
        pairs.ml_window,
        pairs.user_id as customer_id,
        pairs.category,
        pairs.department,
        pairs.category_views,
        pairs.last_viewed_at,
        {{ dbt.datediff('pairs.last_viewed_at', 'pairs.cutoff_date', 'day') }} as days_since_last_view,
        coalesce(popularity.category_units_last_90d, 0) as category_units_last_90d,
        coalesce(history.orders_before_cutoff, 0) as orders_before_cutoff,
        coalesce(history.categories_bought_before_cutoff, 0) as categories_bought_before_cutoff,
        {{ dbt.datediff('history.last_order_at', 'pairs.cutoff_date', 'day') }} as days_since_last_order,
        coalesce(affinity.co_purchase_rate, 0) as co_purchase_rate,
        customers.age,
        customers.gender
    from ({{ cross_sell_pairs(cutoffs) }}) as pairs
    inner join {{ ref('dim_customers') }} as customers on pairs.user_id = customers.customer_id
    left join (
        select
            cutoffs.cutoff_date,
            items.customer_id,
            count(distinct items.order_id) as orders_before_cutoff,
            count(distinct items.category) as categories_bought_before_cutoff,
            max(items.ordered_at) as last_order_at
        from {{ ref('fact_order_items') }} as items
        inner join {{ cutoffs }} as cutoffs on items.order_date <= cutoffs.cutoff_date
        group by cutoffs.cutoff_date, items.customer_id
    ) as history
        on pairs.user_id = history.customer_id and pairs.cutoff_date = history.cutoff_date
    left join (
        select cutoffs.cutoff_date, items.category, count(*) as category_units_last_90d
        from {{ ref('fact_order_items') }} as items
        inner join {{ cutoffs }} as cutoffs
            on items.order_date <= cutoffs.cutoff_date
            and items.order_date > {{ dbt.dateadd('day', -90, 'cutoffs.cutoff_date') }}
        where items.is_net_revenue
        group by cutoffs.cutoff_date, items.category
    ) as popularity
        on pairs.category = popularity.category and pairs.cutoff_date = popularity.cutoff_date
    left join (
        select rules.cutoff_date, bought.customer_id, rules.to_category, max(rules.confidence) as co_purchase_rate
        from (
            select
                baskets.cutoff_date,
                baskets.from_category,
                baskets.to_category,
                cast(count(*) as {{ double_type() }}) / min(category_orders.orders) as confidence
            from (
                select distinct cutoffs.cutoff_date, a.order_id, a.category as from_category, b.category as to_category
                from {{ ref('fact_order_items') }} as a
                inner join {{ ref('fact_order_items') }} as b on a.order_id = b.order_id and a.category <> b.category
                inner join {{ cutoffs }} as cutoffs on a.order_date <= cutoffs.cutoff_date
            ) as baskets
            inner join (
                select cutoffs.cutoff_date, items.category, count(distinct items.order_id) as orders
                from {{ ref('fact_order_items') }} as items
                inner join {{ cutoffs }} as cutoffs on items.order_date <= cutoffs.cutoff_date
                group by cutoffs.cutoff_date, items.category
            ) as category_orders
                on baskets.cutoff_date = category_orders.cutoff_date and baskets.from_category = category_orders.category
            where category_orders.orders >= 10
            group by baskets.cutoff_date, baskets.from_category, baskets.to_category
        ) as rules
        inner join (
            select distinct cutoffs.cutoff_date, items.customer_id, items.category
            from {{ ref('fact_order_items') }} as items
            inner join {{ cutoffs }} as cutoffs on items.order_date <= cutoffs.cutoff_date
            where items.is_net_revenue
        ) as bought
            on rules.from_category = bought.category and rules.cutoff_date = bought.cutoff_date
        group by rules.cutoff_date, bought.customer_id, rules.to_category
    ) as affinity
        on pairs.user_id = affinity.customer_id and pairs.category = affinity.to_category and pairs.cutoff_date = affinity.cutoff_date
{%- endmacro %}
