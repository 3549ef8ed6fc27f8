select count(*) as n from {{ ref('payment_totals') }}
