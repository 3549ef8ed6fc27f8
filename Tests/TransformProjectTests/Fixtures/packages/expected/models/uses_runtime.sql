select
    1 as first_id,
    'hello ADA' as first_greeting,
    'id,greeting' as result_columns,
    'id,greeting,amount_cents,label,day_name,next_day,alias_from_nested_call' as column_list,
    7 as distinct_names,
    'hello_world_' as slug,
    'build' as verb,
    'INTEGER' as first_type