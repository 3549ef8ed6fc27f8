{#
  safe_divide(numerator, denominator): floating-point division that yields NULL instead of an
  error when the denominator is zero. The cast matters: PostgreSQL divides integers as integers
  (1 / 2 = 0) where DuckDB returns 0.5.
#}
{% macro safe_divide(numerator, denominator) -%}
    (cast({{ numerator }} as {{ double_type() }}) / nullif({{ denominator }}, 0))
{%- endmacro %}

{#
  money(expression): money as an exact decimal (numeric(28,6) on every engine, dbt.type_numeric),
  so sums do not depend on the order rows are added in and agree across engines.
#}
{% macro money(expression) -%}
    cast({{ expression }} as {{ dbt.type_numeric() }})
{%- endmacro %}

{#
  round_to(expression, digits): round(x, n) through numeric, because PostgreSQL has no
  round(double precision, integer).
#}
{% macro round_to(expression, digits) -%}
    round(cast({{ expression }} as {{ dbt.type_numeric() }}), {{ digits }})
{%- endmacro %}

{#
  surrogate_key(columns): an md5 text key from a list of column expressions; NULLs are written as
  a marker so (a, NULL) and (NULL, a) differ.
#}
{% macro surrogate_key(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '_null_')") -%}
        {%- if not loop.last %}{% do parts.append("'|'") %}{% endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}

{#
  double_type(): the type name of a 64-bit float. PostgreSQL and DuckDB read `double precision`;
  Spark knows only `double`. (dbt's type_float() is `float`, which DuckDB reads as 32 bits.)
#}
{% macro double_type() -%}
    {{ return(adapter.dispatch('double_type')()) }}
{%- endmacro %}

{% macro default__double_type() -%}
    double precision
{%- endmacro %}

{% macro spark__double_type() -%}
    double
{%- endmacro %}

{#
  row_fingerprint(columns): a cheap 64-bit hash of the columns, or none where the engine has no
  such function at hand. Equal rows have equal fingerprints; unequal rows rarely do, so a search
  for repeated rows may look only among rows whose fingerprint repeats (and compare them whole).
#}
{% macro row_fingerprint(columns) -%}
    {{ return(adapter.dispatch('row_fingerprint')(columns)) }}
{%- endmacro %}

{% macro default__row_fingerprint(columns) -%}
    {{ return(none) }}
{%- endmacro %}

{% macro duckdb__row_fingerprint(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__row_fingerprint(columns) -%}
    xxhash64({{ columns | join(', ') }})
{%- endmacro %}
