select 1 as visit_id, 10 as customer_id, cast('2024-01-04' as date) as visited_on, 'web' as channel
