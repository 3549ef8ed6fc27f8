select
    'pkg_models_shop.graph_probe:view:, pkg_models_shop.orders_paid:view:, shop_pkg.payment_totals:table:, shop_pkg.stg_payments:view:pkg_staging' as models,
    'model.shop_pkg.payment_totals, model.shop_pkg.stg_payments, seed.shop_pkg.payment_methods' as parents,
    'shop_raw.payments@main.raw_payments' as sources,
    3 as tests,
    'payment_methods,raw_payments' as seeds