{#
  Portable statistics in plain SQL (DuckDB and PostgreSQL share exp, sqrt, power, sign, abs, least).

  normal_cdf(z): the standard normal CDF, Phi(z) = (1 + erf(z / sqrt 2)) / 2, with erf from
  Abramowitz & Stegun formula 7.1.26 (absolute error below 1.5e-7):
      erf(x) = 1 - (a1 t + a2 t^2 + a3 t^3 + a4 t^4 + a5 t^5) exp(-x^2),  t = 1 / (1 + p x),  x >= 0
  and erf(-x) = -erf(x). |x| is capped at 6 (erf(6) = 1 - 2e-17) because PostgreSQL raises an
  underflow error where exp() of a large negative number would round to zero.
#}
{% macro normal_cdf(z) -%}
    (0.5 * (1 + sign(cast({{ z }} as {{ double_type() }})) * (1 - (
        0.254829592 * ({{ _erf_t(z) }})
        - 0.284496736 * power({{ _erf_t(z) }}, 2)
        + 1.421413741 * power({{ _erf_t(z) }}, 3)
        - 1.453152027 * power({{ _erf_t(z) }}, 4)
        + 1.061405429 * power({{ _erf_t(z) }}, 5)
    ) * exp(-1 * power({{ _erf_x(z) }}, 2)))))
{%- endmacro %}

{% macro _erf_x(z) -%}
    least(abs(cast({{ z }} as {{ double_type() }})) / sqrt(2.0), 6.0)
{%- endmacro %}

{% macro _erf_t(z) -%}
    (1.0 / (1.0 + 0.3275911 * {{ _erf_x(z) }}))
{%- endmacro %}

{#
  two_sided_p_value(z): P(|Z| >= |z|) for a standard normal Z = 2 * (1 - Phi(|z|)).
#}
{% macro two_sided_p_value(z) -%}
    (2.0 * (1.0 - {{ normal_cdf('abs(cast(' ~ z ~ ' as ' ~ double_type() ~ '))') }}))
{%- endmacro %}

{#
  chi_square_p_value(statistic, degrees_of_freedom): upper-tail p-value of a chi-square statistic
  through the Wilson-Hilferty cube-root transform, which maps chi-square(k) to an approximately
  standard normal z = ((x/k)^(1/3) - (1 - 2/(9k))) / sqrt(2/(9k)); p = 1 - Phi(z). Accurate to
  about 1e-3 around the usual thresholds, ample for a sample-ratio-mismatch alarm at 0.001.
  The exponent 1/3 is computed in double precision: Spark reads 1.0 / 3.0 as a decimal cut to
  six places.
#}
{% macro chi_square_p_value(statistic, degrees_of_freedom) -%}
    (1.0 - {{ normal_cdf(
        '(power(cast(' ~ statistic ~ ' as ' ~ double_type() ~ ') / (' ~ degrees_of_freedom ~ '), cast(1 as ' ~ double_type() ~ ') / 3)'
        ~ ' - (1.0 - 2.0 / (9.0 * (' ~ degrees_of_freedom ~ '))))'
        ~ ' / sqrt(2.0 / (9.0 * (' ~ degrees_of_freedom ~ ')))'
    ) }})
{%- endmacro %}
