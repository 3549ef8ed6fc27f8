-- One row per product with its distribution center, margin and inventory position.
with products as (
    select * from {{ ref('stg_products') }}
),

inventory as (
    select
        product_id,
        count(*) as units_stocked,
        count(case when is_sold then 1 end) as units_sold,
        count(case when is_sold then null else 1 end) as units_on_hand,
        min(stocked_at) as first_stocked_at
    from {{ ref('stg_inventory_items') }}
    group by product_id
)

select
    products.product_id,
    products.product_name,
    products.brand,
    products.category,
    products.department,
    products.sku,
    products.cost,
    products.retail_price,
    products.retail_price - products.cost as unit_margin,
    {{ safe_divide('products.retail_price - products.cost', 'products.retail_price') }} as margin_rate,
    case
        when products.retail_price < 25 then 'budget'
        when products.retail_price < 75 then 'mid'
        when products.retail_price < 150 then 'premium'
        else 'luxury'
    end as price_tier,
    products.distribution_center_id,
    centers.distribution_center_name,
    coalesce(inventory.units_stocked, 0) as units_stocked,
    coalesce(inventory.units_sold, 0) as units_sold,
    coalesce(inventory.units_on_hand, 0) as units_on_hand,
    inventory.first_stocked_at
from products
left join {{ ref('stg_distribution_centers') }} as centers
    on products.distribution_center_id = centers.distribution_center_id
left join inventory on products.product_id = inventory.product_id
