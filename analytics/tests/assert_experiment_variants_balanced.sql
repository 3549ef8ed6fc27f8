-- Every experiment splits its users evenly across variants: fails on experiments whose
-- sample-ratio-mismatch check fires (chi-square p-value below var srm_alpha) or that have no
-- control variant.
select experiment_name, variant, exposed_users, traffic_share, srm_chi_square, srm_p_value
from {{ ref('experiment_results') }}
where srm_detected
   or experiment_name not in (
        select experiment_name from {{ ref('experiment_results') }} where is_control
   )
